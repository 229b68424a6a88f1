#include "reports/report_model.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "reports/files.hpp"

namespace unyo::reports {
namespace {

Report Sample() {
    Report r;
    r.kind = "monthly";
    r.period = "2026-11";
    r.title_ja = "月次運用報告書";
    r.title_en = "Monthly operation report";
    r.period_ja = "2026年11月";
    r.from = 1'793'458'800'000;  // 2026-11-01 00:00 JST
    r.to = 1'796'050'800'000;
    r.generated_at = 1'796'100'000'000;
    r.closed = true;
    Section s{"incidents", "障害", "Incidents", {}, {}, {}, {}, {}, {}};
    s.figures.push_back({"incidents.total", "障害件数", "Incidents", Cell(std::int64_t{2}), "件", ""});
    s.figures.push_back({"incidents.notify_avg_min", "通知までの平均", "Avg", Cell(Decimal{465.0, 0}), "分", "min"});
    s.figures.push_back({"incidents.none", "なし", "None", Cell{}, "", ""});
    s.charts.push_back({"重大度別", "By severity", "件", {{"重大", 1}, {"高", 1}}, std::nullopt, std::nullopt, std::nullopt});
    Table t{"incidents-list", {{"キー", "Key"}, {"認知", "At"}, {"期限", "Due"}, {"比率", "Ratio"}, {"達成", "Met"}}, {}, "障害一覧", "List"};
    t.rows.push_back({std::string("INC-000001 <b>&"), Instant{1'794'000'000'000}, Day{"2026-11-30"}, Decimal{99.9512, 3}, true});
    t.rows.push_back({std::string("INC-000002"), Cell{}, Cell{}, Cell{}, false});
    s.tables.push_back(std::move(t));
    r.sections.push_back(std::move(s));
    Section missing{"availability", "稼働率", "Availability", "監視がありません", "No monitors", {}, {}, {}, {}};
    r.sections.push_back(std::move(missing));
    return r;
}

TEST(ReportModelTest, JsonRoundTripKeepsEveryTypedCell) {
    const Report r = Sample();
    const auto back = ReportFromJson(ToJson(r));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(json::serialize(ToJson(*back)), json::serialize(ToJson(r)));
    const auto& row = back->sections[0].tables[0].rows[0];
    EXPECT_EQ(std::get<Instant>(row[1]).at, 1'794'000'000'000);
    EXPECT_EQ(std::get<Day>(row[2]).ymd, "2026-11-30");
    EXPECT_DOUBLE_EQ(std::get<Decimal>(row[3]).value, 99.951) << "rounded to its places in the JSON";
    EXPECT_EQ(std::get<Decimal>(row[3]).places, 3);
    EXPECT_TRUE(std::get<bool>(row[4]));
    EXPECT_TRUE(back->sections[1].missing_ja.has_value());
}

TEST(ReportModelTest, NotADocumentIsRefused) {
    EXPECT_FALSE(ReportFromJson(json::object{{"kind", "monthly"}}));
    auto bad = ToJson(Sample());
    bad["sections"].as_array()[0].as_object()["tables"].as_array()[0].as_object()["rows"].as_array()[0].as_array()[1] = 5;
    EXPECT_FALSE(ReportFromJson(bad)) << "an instant column with a number";
}

TEST(ReportModelTest, HtmlIsEscapedSelfContainedAndMarksMissingData) {
    HtmlOptions o;
    o.wareki = true;
    const std::string html = RenderHtml(Sample(), o);
    EXPECT_NE(html.find("INC-000001 &lt;b&gt;&amp;"), std::string::npos);
    EXPECT_EQ(html.find("<b>&"), std::string::npos);
    EXPECT_NE(html.find("size: A4"), std::string::npos);
    EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
    EXPECT_NE(html.find("data-missing>監視がありません"), std::string::npos);
    EXPECT_NE(html.find("2026/11/30 (令和8年11月30日)"), std::string::npos);
    EXPECT_NE(html.find("99.951"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "nothing fetched";
}

TEST(ReportModelTest, OneSheetPerSectionAndCsvTablesWithFigures) {
    InitCrypto();
    const auto sheets = ToSheets(Sample(), Language::kJapanese);
    ASSERT_EQ(sheets.size(), 2u);
    EXPECT_EQ(sheets[0].name, "01 障害");
    ASSERT_EQ(sheets[0].blocks.size(), 2u);
    EXPECT_EQ(sheets[0].blocks[1].first, "障害一覧");
    const auto xlsx = RenderWorkbook(sheets, {});
    ASSERT_TRUE(xlsx) << xlsx.error().message;
    EXPECT_TRUE(xlsx->starts_with("PK\x03\x04"));
    const auto tables = CsvTables(Sample());
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(tables[0].name, "incidents-figures");
    EXPECT_EQ(tables[1].name, "incidents-list");
}

TEST(ReportModelTest, ZipIsTheSameForTheSameFiles) {
    const auto a = RenderZip({{"a.csv", "1,2\r\n"}, {"b.csv", "日本語"}});
    const auto b = RenderZip({{"a.csv", "1,2\r\n"}, {"b.csv", "日本語"}});
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->starts_with("PK"));
    EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace unyo::reports
