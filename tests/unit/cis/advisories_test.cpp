// Security advisories (SEC-1): versions compared part by part, version ranges as written in
// English and as JVN writes them in Japanese, products matched to configuration items by CPE or
// name, MyJVN VULDEF / JVNRSS / JSON files read, and on both databases an import that adds new
// advisories, refreshes known ones keeping what was decided, and writes nothing on a dry run.
#include "cis/advisories.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::cis {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

std::string Fixture(const std::string& name) {
    std::ifstream in(std::filesystem::path(UNYO_FIXTURES) / "advisories" / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(AdvisoryVersions, ComparePartByPart) {
    EXPECT_LT(CompareVersions("2.4.9", "2.4.10"), 0);
    EXPECT_EQ(CompareVersions("2.4", "2.4.0"), 0);
    EXPECT_GT(CompareVersions("10.0", "9.9.9"), 0);
    EXPECT_LT(CompareVersions("1.0rc1", "1.0"), 0);
    EXPECT_EQ(CompareVersions("05.08", "5.8"), 0);
}

TEST(AdvisoryVersions, RangesInEnglishAndJapanese) {
    EXPECT_EQ(VersionIn("< 2.4.58", "2.4.57"), true);
    EXPECT_EQ(VersionIn("< 2.4.58", "2.4.58"), false);
    EXPECT_EQ(VersionIn("<= 1.2", "1.2.0"), true);
    EXPECT_EQ(VersionIn(">= 3", "2.9"), false);
    EXPECT_EQ(VersionIn("= 1.0", "1.0"), true);
    EXPECT_EQ(VersionIn("1.0", "1.0.1"), false);
    EXPECT_EQ(VersionIn("2.0 - 2.3", "2.3.4"), false);
    EXPECT_EQ(VersionIn("2.0 - 2.3", "2.1"), true);
    EXPECT_EQ(VersionIn("*", ""), true);
    EXPECT_EQ(VersionIn("for Windows 5.8 (Build 1575) 未満", "5.7.9"), true);
    EXPECT_EQ(VersionIn("for Windows 5.8 (Build 1575) 未満", "5.8"), false);
    EXPECT_EQ(VersionIn("2.4.57 およびそれ以前", "2.4.57"), true);
    EXPECT_EQ(VersionIn("3.0 以降", "2.9"), false);
    EXPECT_EQ(VersionIn("2.4.0 から 2.4.61", "2.4.61"), true);
    EXPECT_EQ(VersionIn("2.4.0 から 2.4.61", "2.4.62"), false);
    EXPECT_EQ(VersionIn("全バージョン", "1"), true);
    EXPECT_EQ(VersionIn("< 2.0", ""), std::nullopt) << "no version to compare";
    EXPECT_EQ(VersionIn("最新版より前の全て", "1.0"), std::nullopt) << "no version in the range";
}

TEST(AdvisoryMatching, ByCpeOrNameWithAVerdictEach) {
    Advisory a;
    a.products = {{"Example", "Example HTTP Server", "cpe:/a:example:http_server", {"< 2.4.62"}},
                  {"Sample", "Sample VirusGuard Server", "", {}}};
    Ci by_cpe{1, "Webサーバ (httpd)", "software", "2.4.57"};
    by_cpe.attributes["cpe"] = "cpe:/a:example:http_server:2.4.57";
    Ci by_name{2, "example http server", "software", "2.4.62"};
    Ci by_cpe_product{3, "HTTP_Server 本番", "middleware", ""};
    Ci versionless{4, "Sample VirusGuard Server for Linux", "software", "3.2"};
    Ci other{5, "Example Database", "software", "1.0"};
    Ci other_cpe{6, "Example HTTP Server", "software", "1.0"};
    other_cpe.attributes["cpe"] = "cpe:/a:other:http_server";
    const auto m = Match(a, {by_cpe, by_name, by_cpe_product, versionless, other, other_cpe});
    ASSERT_EQ(m.size(), 4U);
    EXPECT_EQ(m[0].ci_id, 1);
    EXPECT_EQ(m[0].verdict, "affected");
    EXPECT_EQ(m[1].ci_id, 3);
    EXPECT_EQ(m[1].verdict, "unknown") << "no version recorded";
    EXPECT_EQ(m[2].ci_id, 4);
    EXPECT_EQ(m[2].verdict, "unknown") << "the advisory says no version";
    EXPECT_EQ(m[3].ci_id, 2);
    EXPECT_EQ(m[3].verdict, "not_affected");
}

TEST(AdvisoryFiles, VuldefJvnRssAndJson) {
    const auto vuldef = ReadAdvisories(Fixture("vuldef.xml")).value();
    ASSERT_EQ(vuldef.size(), 2U);
    EXPECT_EQ(vuldef[0].ref, "JVNDB-2026-100001");
    EXPECT_EQ(vuldef[0].source, "jvn");
    EXPECT_EQ(vuldef[0].severity, "high");
    EXPECT_EQ(vuldef[0].cvss, "7.5");
    EXPECT_EQ(vuldef[0].published_on->ToString(), "2026-11-20");
    EXPECT_EQ(vuldef[0].cves, std::vector<std::string>{"CVE-2026-900001"});
    ASSERT_EQ(vuldef[0].products.size(), 1U);
    EXPECT_EQ(vuldef[0].products[0].cpe, "cpe:/a:example:http_server");
    EXPECT_EQ(vuldef[0].products[0].versions, std::vector<std::string>{"2.4.0 から 2.4.61"});
    EXPECT_EQ(vuldef[1].severity, "critical");
    EXPECT_EQ(vuldef[1].products[0].versions.size(), 2U);

    const auto rss = ReadAdvisories(Fixture("jvnrss.xml")).value();
    ASSERT_EQ(rss.size(), 1U);
    EXPECT_EQ(rss[0].ref, "JVNDB-2026-100003");
    EXPECT_EQ(rss[0].severity, "medium");
    EXPECT_EQ(rss[0].cvss, "5.3");
    EXPECT_EQ(rss[0].products[0].name, "Example Database");
    EXPECT_EQ(rss[0].products[0].cpe, "cpe:/a:example:database");
    EXPECT_EQ(rss[0].published_on->ToString(), "2026-11-21");

    const auto js = ReadAdvisories(R"({"advisories": [{"ref": "VENDOR-1", "title": "t", "source": "vendor"}]})").value();
    EXPECT_EQ(js[0].source, "vendor");
    EXPECT_FALSE(ReadAdvisories(R"([{"ref": "X"}])"));  // no title
    EXPECT_FALSE(ReadAdvisories("<a><b></a>"));
    EXPECT_FALSE(ReadAdvisories("<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>")) << "no document type declarations";
    EXPECT_FALSE(ReadAdvisories("<rss><channel/></rss>")) << "nothing in it";
}

class AdvisoryStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
    }
    FakeClock clock_{ParseRfc3339("2026-12-02T15:30:00Z").value()};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(AdvisoryStoreTest, ImportAddsRefreshesAndKeepsDecisions) {
    AdvisoryStore s(t_->db(), clock_);
    const auto dry = s.Import(ReadAdvisories(Fixture("vuldef.xml")).value(), true, kActor).value();
    EXPECT_EQ(dry.created, 2);
    EXPECT_TRUE(s.List(std::nullopt).value().empty()) << "a dry run writes nothing";

    const auto first = s.Import(ReadAdvisories(Fixture("vuldef.xml")).value(), false, kActor).value();
    EXPECT_EQ(first.created, 2);
    const auto id = first.advisories[0].id;
    s.Update(id, 1, json::parse(R"({"status": "accepted", "note": "閉域網のため"})").as_object(), kActor).value();
    EXPECT_EQ(s.Update(id, 1, json::object{{"note", "x"}}, kActor).error().code, ErrorCode::kPreconditionFailed);

    auto again = ReadAdvisories(Fixture("vuldef.xml")).value();
    again[0].cvss = "8.1";
    const auto second = s.Import(std::move(again), false, kActor).value();
    EXPECT_EQ(second.created, 0);
    EXPECT_EQ(second.updated, 1);
    EXPECT_EQ(second.unchanged, 1);
    const auto refreshed = s.Get(id).value();
    EXPECT_EQ(refreshed.cvss, "8.1");
    EXPECT_EQ(refreshed.status, "accepted") << "what was decided stays";
    EXPECT_EQ(refreshed.note, "閉域網のため");
    EXPECT_EQ(s.List(std::string("open")).value().size(), 1U);
    EXPECT_EQ(s.Create(json::parse(R"({"ref": "JVNDB-2026-100001", "title": "dup"})").as_object(), kActor).error().code,
              ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdvisoryStoreTest, ::testing::ValuesIn(unyo::testing::Backends()), unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::cis
