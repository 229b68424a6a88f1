#pragma once
// A tabular export (a list screen as a file): typed cells so that every renderer can do the right
// thing — CSV writes text, XLSX writes real numbers and dates. Column titles in Japanese and
// English. Plain values; build on any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace unyo::reports {

/// An instant shown as a date and time in the report's zone.
struct Instant {
    Millis at;
};

/// A number with a fixed count of decimal places (a ratio in percent, hours).
struct Decimal {
    double value = 0;
    int places = 1;
};

/// A calendar date "YYYY-MM-DD" (shown 2026/11/23; a date cell in XLSX).
struct Day {
    std::string ymd;
};

/// Empty, text, integer, boolean (はい/いいえ), instant, decimal or date.
using Cell = std::variant<std::monostate, std::string, std::int64_t, bool, Instant, Decimal, Day>;

struct Column {
    std::string ja;
    std::string en;
};

enum class Language { kJapanese, kEnglish };

struct Table {
    std::string name;  // file and sheet name, e.g. "users"
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
    std::string caption_ja, caption_en;  // above the table in a report ("障害一覧")
};

/// Where instants are shown: minutes east of UTC (JST = +540, the default; no DST in Japan).
struct RenderOptions {
    Language language = Language::kJapanese;
    int utc_offset_minutes = 9 * 60;
};

/// "2026/11/23 09:05" in the report's zone.
[[nodiscard]] std::string FormatInstant(Millis at, int utc_offset_minutes);

/// A cell as text ("" for empty, はい/いいえ or yes/no for booleans).
[[nodiscard]] std::string CellText(const Cell& cell, const RenderOptions& options);

enum class CsvEncoding { kUtf8Bom, kCp932 };

/// RFC 4180 CSV with CRLF line ends, for Excel on Japanese Windows: UTF-8 with a BOM, or CP932.
/// Error::Field("encoding") when a character has no CP932 form.
[[nodiscard]] Result<std::string> RenderCsv(const Table& table, CsvEncoding encoding,
                                            const RenderOptions& options);

/// An .xlsx workbook with one sheet; numbers and instants are typed cells.
[[nodiscard]] Result<std::string> RenderXlsx(const Table& table, const RenderOptions& options);

/// One sheet of a workbook: a title row, then each block (a table with its own header row and,
/// when named, a caption above it) one blank row after the other.
struct Sheet {
    std::string name;  // at most 31 characters are used
    std::string title;
    std::vector<std::pair<std::string, Table>> blocks;  // caption, table
};

/// An .xlsx workbook of `sheets`; numbers, decimals, dates and instants are typed cells.
[[nodiscard]] Result<std::string> RenderWorkbook(const std::vector<Sheet>& sheets, const RenderOptions& options);

}  // namespace unyo::reports
