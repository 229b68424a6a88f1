// Configuration items on both databases: created with lifecycle dates, warned of within the
// horizon (a passed date too), changed with optimistic concurrency, related, and the impact of a
// failure followed through runs_on and part_of, a connection told but not followed.
#include "cis/cis.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::cis {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

class CiTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
    }
    Ci Make(CiStore& s, std::string_view body) { return s.Create(json::parse(body).as_object(), kActor).value(); }
    FakeClock clock_{ParseRfc3339("2026-12-02T15:30:00Z").value()};  // 2026-12-03 00:30 in Japan
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(CiTest, LifecycleWarningsRelationsAndImpact) {
    CiStore s(t_->db(), clock_);
    const auto hw = Make(s, R"({"name": "DBサーバ", "type": "hardware", "end_of_support": "2026-12-01"})");
    const auto os = Make(s, R"({"name": "OS", "type": "software", "end_of_support": "2027-02-01", "licence_expiry": "2027-01-31", "licence_count": 4})");
    const auto app = Make(s, R"({"name": "住民記録", "type": "application", "end_of_life": "2030-01-01"})");
    const auto disk = Make(s, R"({"name": "ディスク装置", "type": "hardware"})");
    const auto peer = Make(s, R"({"name": "連携先", "type": "managed_service"})");
    const auto far = Make(s, R"({"name": "遠い", "type": "middleware", "end_of_sales": "2027-12-01"})");
    const auto warned = s.Lifecycle(60).value();
    std::vector<std::pair<std::string, int>> got;
    for (const auto& m : warned) got.emplace_back(m.ci_name + ":" + m.milestone, m.days_left);
    EXPECT_EQ(got, (std::vector<std::pair<std::string, int>>{{"DBサーバ:end_of_support", -2},
                                                             {"OS:licence_expiry", 59},
                                                             {"OS:end_of_support", 60}}));
    EXPECT_EQ(s.Update(os.id, os.version_no + 1, json::object{{"version", "7.3"}}, kActor).error().code,
              ErrorCode::kPreconditionFailed);
    EXPECT_EQ(s.Update(os.id, os.version_no, json::object{{"version", "7.3"}}, kActor).value().version, "7.3");

    ASSERT_TRUE(s.Relate({os.id, hw.id, "runs_on"}, kActor));
    ASSERT_TRUE(s.Relate({app.id, os.id, "depends_on"}, kActor));
    ASSERT_TRUE(s.Relate({disk.id, hw.id, "part_of"}, kActor));
    ASSERT_TRUE(s.Relate({app.id, peer.id, "connects_to"}, kActor));
    EXPECT_FALSE(s.Relate({app.id, app.id, "runs_on"}, kActor));
    std::vector<std::string> names;
    const auto impact = s.ImpactOf(disk.id).value();
    for (const auto& i : impact) names.push_back(i.ci_name + "/" + i.via + "/" + std::to_string(i.depth));
    EXPECT_EQ(names, (std::vector<std::string>{"DBサーバ/part_of/1", "OS/runs_on/2", "住民記録/depends_on/3", "連携先/connects_to/4"}));
    EXPECT_EQ(s.Relations(app.id).value().size(), 2u);
    ASSERT_TRUE(s.Delete(os.id, kActor));
    EXPECT_EQ(s.Relations(app.id).value().size(), 1u) << "its relations went with it";
    (void)far;
}

INSTANTIATE_TEST_SUITE_P(Backends, CiTest, ::testing::ValuesIn(unyo::testing::Backends()), unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::cis
