#pragma once
// The role division matrix (役割分担表, ORG-2): work items × organisations, each cell main (作業主体)
// or support (作業協力/作業支援) or empty. Pure: reading the tables as the owners' documents print
// them (tab-separated text copied from a PDF or Word, or CSV), and writing them back.
//
// What the reader understands (docs/raci.md): a header row with 項番 and the column titles
// (作業項目 or 大項目/中項目/作業項目, 作業内容 or 詳細, 実施サイクル, 備考), organisations either
// named in the header row or under a group title (実施者) in the row below it, the legend in the
// text (○ 作業主体 △ 作業協力, or ●:作業主体 ○:作業支援), numbered rows, and rows without marks
// that head the rows after them (sections). A document split over pages repeats the header: the
// tables are one matrix, the organisations taken by position. Whatever it has to guess or leave
// out is said in `warnings`, never silently.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace unyo::raci {

enum class Role { kMain, kSupport };

struct Item {
    int seq = 0;                    // 項番 as printed
    std::vector<std::string> path;  // the headings above it: [大項目, 中項目] or [section]
    std::string title;              // 作業項目
    std::string content;            // 作業内容 / 詳細
    std::string cycle;              // 実施サイクル
    std::string note;               // 備考
    bool section = false;           // a heading row: no marks, no content
    std::map<int, Role> marks;      // organisation column → role
};

struct Matrix {
    std::string main_mark = "○", support_mark = "△";
    std::vector<std::string> organizations;  // the columns, in order
    std::vector<Item> items;
    bool levels = false;  // 大項目/中項目 columns (else headings are rows without marks)
    std::vector<std::string> warnings;  // what the reader guessed or left out, in words
};

/// Reads the tables in tab-separated `text` (a copied document: other lines are skipped).
[[nodiscard]] Result<Matrix> ReadText(std::string_view text);
/// Reads a CSV file (RFC 4180, UTF-8 with or without a BOM) laid out like the printed tables.
[[nodiscard]] Result<Matrix> ReadCsv(std::string_view text);
/// Reads the first worksheet of an XLSX workbook laid out like the printed tables (merged cells
/// read as the documents print them: the value in the first cell only).
[[nodiscard]] Result<Matrix> ReadXlsx(std::string_view bytes);

/// The matrix as one table: 項番, (大項目, 中項目 when it has them,) 作業項目, 作業内容, 実施サイクル,
/// the organisations, 備考, after a legend line; tab-separated (`csv` false) or CSV.
/// ReadText/ReadCsv read it back to the same matrix.
[[nodiscard]] std::string Write(const Matrix& m, bool csv);
/// The rows Write lays out, cell by cell (for a workbook).
[[nodiscard]] std::vector<std::vector<std::string>> Table(const Matrix& m);

[[nodiscard]] std::string_view RoleName(Role r);  // main | support
[[nodiscard]] std::optional<Role> RoleFromName(std::string_view s);

}  // namespace unyo::raci
