// Stored calendars on both databases: JSON rules round trip, validation, concurrency, audit.
#include "calendar/calendar_store.hpp"

#include <gtest/gtest.h>

#include "support/test_db.hpp"

namespace unyo::calendar {
namespace {

const audit::Actor kActor{std::int64_t{1}, "admin", "127.0.0.1"};

TEST(CalendarRulesJsonTest, RoundTrips) {
    CalendarRules r;
    r.weekly[6] = Hours{9 * 60, 12 * 60};
    r.extra_closed = {Date(2026, 12, 28)};
    r.extra_open = {Date(2026, 11, 23)};
    r.closed_at_year_end = false;
    const auto json = RulesToJson(r);
    EXPECT_EQ(json.at("weekly").as_object().at("sat").as_object().at("open").as_string(), "09:00");
    EXPECT_TRUE(json.at("weekly").as_object().at("sun").is_null());
    auto back = RulesFromJson(json, CalendarRules::AlwaysOpen());
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->weekly, r.weekly);
    EXPECT_EQ(back->extra_closed, r.extra_closed);
    EXPECT_EQ(back->extra_open, r.extra_open);
    EXPECT_FALSE(back->closed_at_year_end);
}

TEST(CalendarRulesJsonTest, NamesEveryBadField) {
    auto obj = ParseObject(R"({"time_zone":"Europe/Paris","weekly":{"mon":{"open":"25:00","close":"26:00"}},
                               "closed_days":["tomorrow"],"year_end_closed":"yes"})")
                   .value();
    auto r = RulesFromJson(obj, {});
    ASSERT_FALSE(r);
    std::vector<std::string> fields;
    for (const auto& f : r.error().fields) {
        fields.push_back(f.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"time_zone", "weekly.mon", "year_end_closed", "closed_days"}));
}

class CalendarStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        store_ = std::make_unique<CalendarStore>(t_->db(), clock_);
    }
    FakeClock clock_{1'790'000'000'000};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<CalendarStore> store_;
};

TEST_P(CalendarStoreTest, CreatesUpdatesAndDeletesWithAudit) {
    auto c = store_->Create("窓口", "市民課の窓口", CalendarRules{}, kActor);
    ASSERT_TRUE(c) << c.error().message;
    auto dup = store_->Create("窓口", "", CalendarRules{}, kActor);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    CalendarRules saturday;
    saturday.weekly[6] = Hours{9 * 60, 12 * 60};
    auto updated = store_->Update(c->id, c->version, std::nullopt, std::nullopt, saturday, kActor);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->version, 2);
    auto stale = store_->Update(c->id, c->version, std::string("別名"), std::nullopt, std::nullopt, kActor);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
    EXPECT_EQ(store_->Get(c->id)->rules.weekly[6], (Hours{9 * 60, 12 * 60})) << "the rules survive a reload";
    ASSERT_TRUE(store_->Delete(c->id, kActor));
    EXPECT_EQ(store_->Get(c->id).error().code, ErrorCode::kNotFound);
    auto entries = audit::List(t_->db(), {});
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 3u);
    EXPECT_EQ((*entries)[0].action, "calendar.delete");
    EXPECT_EQ((*entries)[2].action, "calendar.create");
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarStoreTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo::calendar
