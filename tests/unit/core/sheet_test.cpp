// The sheet readers. XLSX on a workbook as Excel writes Japanese text (tests/fixtures/xlsx/
// make_excel_japanese.py): sheets in the workbook's order, shared strings without their phonetic
// guides, rich text runs joined, inline strings, numbers and booleans as written, gaps kept as
// empty cells; and what is not an XLSX refused with a reason. CSV with quotes, a BOM and CRLF.
#include "core/sheet.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace unyo::sheet {
namespace {

std::string Fixture(const std::string& name) {
    std::ifstream in(std::filesystem::path(UNYO_FIXTURES) / "xlsx" / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void ExpectRow(const std::vector<std::string>& got, std::initializer_list<std::string_view> want, const char* what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    std::size_t i = 0;
    for (const auto w : want) EXPECT_EQ(got[i++], w) << what << " cell " << i;
}

TEST(XlsxReader, ReadsCellsAsExcelWroteThem) {
    const auto book = Fixture("excel_japanese.xlsx");
    ASSERT_FALSE(book.empty());
    const auto rows = ReadXlsx(book).value();
    ASSERT_EQ(rows.size(), 3U);
    ExpectRow(rows[0], {"障害受付", "作業主体", "", "インライン"},
              "no ショウガイ/ウケツケ from the phonetic guide; runs joined; the gap column empty");
    EXPECT_TRUE(rows[1].empty()) << "the row in between";
    ExpectRow(rows[2], {"112", "TRUE", " 空白 ", "", "112"}, "a number, a boolean, spaces kept, a formula's value");
    const auto memo = ReadXlsx(book, 1).value();
    ASSERT_EQ(memo.size(), 1U);
    ASSERT_EQ(memo[0].size(), 1U);
    EXPECT_EQ(memo[0][0], "メモのシート") << "the second sheet in the workbook's order is sheet1.xml";
}

TEST(XlsxReader, RefusesWhatIsNotAWorkbook) {
    const auto not_zip = ReadXlsx("項番\t作業項目\n");
    ASSERT_FALSE(not_zip);
    EXPECT_NE(not_zip.error().message.find("zip"), std::string::npos) << not_zip.error().message;
    const auto third = ReadXlsx(Fixture("excel_japanese.xlsx"), 2);
    ASSERT_FALSE(third);
    EXPECT_NE(third.error().message.find("2 sheet"), std::string::npos) << third.error().message;
}

TEST(CsvReader, QuotesBomAndLineEnds) {
    const auto rows = ReadCsv("\xEF\xBB\xBFlogin,組織\r\n tanaka ,\"市民課, 窓口\"\r\nsato,\"改\n行\"\"\"").value();
    ASSERT_EQ(rows.size(), 3U);
    ExpectRow(rows[0], {"login", "組織"}, "the BOM gone");
    ExpectRow(rows[1], {"tanaka", "市民課, 窓口"}, "trimmed; a comma inside quotes");
    ExpectRow(rows[2], {"sato", "改\n行\""}, "a line break and a quote inside quotes");
    EXPECT_FALSE(ReadCsv("a,\"open"));
}

}  // namespace
}  // namespace unyo::sheet
