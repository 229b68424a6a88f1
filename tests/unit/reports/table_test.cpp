#include "reports/table.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace unyo::reports {
namespace {

Table Sample() {
    return Table{
        "users",
        {{"名前", "Name"}, {"件数", "Count"}, {"有効", "Active"}, {"日時", "Time"}},
        {{std::string("田中, \"太郎\""), std::int64_t{3}, true, Instant{1'774'915'200'000}},
         {std::string("=HYPERLINK(\"x\")"), Cell{}, false, Cell{}}}};
}

TEST(CsvTest, Utf8WithBomAndCrlf) {
    auto csv = RenderCsv(Sample(), CsvEncoding::kUtf8Bom, {});
    ASSERT_TRUE(csv);
    EXPECT_TRUE(csv->starts_with("\xEF\xBB\xBF名前,件数,有効,日時\r\n"));
    EXPECT_NE(csv->find("\"田中, \"\"太郎\"\"\",3,はい,2026/03/31 09:00\r\n"), std::string::npos)
        << *csv;
}

TEST(CsvTest, FormulasAreDefused) {
    auto csv = RenderCsv(Sample(), CsvEncoding::kUtf8Bom, {});
    ASSERT_TRUE(csv);
    EXPECT_NE(csv->find("\"'=HYPERLINK(\"\"x\"\")\",,いいえ,\r\n"), std::string::npos) << *csv;
}

TEST(CsvTest, EnglishTitlesAndValues) {
    RenderOptions en;
    en.language = Language::kEnglish;
    auto csv = RenderCsv(Sample(), CsvEncoding::kUtf8Bom, en);
    ASSERT_TRUE(csv);
    EXPECT_NE(csv->find("Name,Count,Active,Time\r\n"), std::string::npos);
    EXPECT_NE(csv->find(",yes,"), std::string::npos);
}

TEST(CsvTest, Cp932ForExcelOnJapaneseWindows) {
    auto csv = RenderCsv(Sample(), CsvEncoding::kCp932, {});
    ASSERT_TRUE(csv);
    EXPECT_FALSE(csv->starts_with("\xEF\xBB\xBF"));
    EXPECT_TRUE(csv->starts_with("\x96\xBC\x91\x4F")) << "名前 in Shift_JIS";
}

TEST(CsvTest, Cp932RefusesWhatItCannotRepresent) {
    Table t{"x", {{"名前", "Name"}}, {{std::string("ok")}, {std::string("🙂")}}};
    auto csv = RenderCsv(t, CsvEncoding::kCp932, {});
    ASSERT_FALSE(csv);
    EXPECT_EQ(csv.error().fields.at(0).field, "encoding");
    EXPECT_NE(csv.error().message.find("line 3"), std::string::npos) << csv.error().message;
}

TEST(XlsxTest, WritesAWorkbook) {
    InitCrypto();
    auto xlsx = RenderXlsx(Sample(), {});
    ASSERT_TRUE(xlsx) << xlsx.error().message;
    EXPECT_TRUE(xlsx->starts_with("PK\x03\x04")) << "an .xlsx is a zip archive";
    EXPECT_GT(xlsx->size(), 1000u);
}

TEST(InstantTest, ShowsJapanTime) {
    EXPECT_EQ(FormatInstant(1'774'915'200'000, 540), "2026/03/31 09:00");
    EXPECT_EQ(FormatInstant(1'774'965'540'000, 540), "2026/03/31 22:59");
    EXPECT_EQ(FormatInstant(1'774'969'200'000, 540), "2026/04/01 00:00")
        << "the Japanese day starts at 15:00 UTC";
}

}  // namespace
}  // namespace unyo::reports
