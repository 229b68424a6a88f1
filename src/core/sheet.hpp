#pragma once
// The tables users bring as files, read as rows of text cells: CSV (RFC 4180), and one worksheet
// of an XLSX workbook (Office Open XML: a zip of XML parts) — shared strings (their phonetic
// guides left out), inline strings, numbers and booleans as written. Enough for the tables users
// keep in Excel (role division matrices, reorganisation sheets); formulas are read as their last
// value, styles and dates' formats are not applied (a date cell reads as its serial number).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace unyo::sheet {

using Rows = std::vector<std::vector<std::string>>;

/// The `index`th worksheet (0: the first in the workbook's order) of the workbook in `bytes`;
/// rows and cells without content in between are empty strings, trailing ones left out.
/// Error::Invalid saying what is wrong (not a zip, no such sheet, broken XML).
[[nodiscard]] Result<Rows> ReadXlsx(std::string_view bytes, std::size_t index = 0);
/// The rows of a CSV file (UTF-8, a BOM allowed; quoted cells may hold commas, quotes and line
/// breaks), each cell trimmed of surrounding spaces. Error::Invalid when it ends inside quotes.
[[nodiscard]] Result<Rows> ReadCsv(std::string_view text);

}  // namespace unyo::sheet
