// Check results on both databases: raw rows, 1-minute and 1-hour aggregates merged across
// batches, the resolution chosen for a period, and retention.
#include "monitor/results.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "monitor/monitor_store.hpp"
#include "support/test_db.hpp"

namespace unyo {
namespace {

using monitor::ResultRow;
using monitor::State;
using monitor::Step;

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};
constexpr Millis kDay = 24 * kHourMs;

class ResultStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        monitor::MonitorStore monitors(t_->db(), clock_);
        json::object body{{"name", "web"}, {"type", "tcp"}, {"target", {{"host", "127.0.0.1"}, {"port", 80}}}};
        id_ = monitors.Create(monitor::MonitorFromJson(body, {}, true).value(), kActor).value().id;
    }
    const Millis t0_ = ParseRfc3339("2026-11-23T10:00:00+09:00").value();  // a whole hour
    FakeClock clock_{t0_};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::int64_t id_ = 0;
};

TEST_P(ResultStoreTest, AggregatesMergeAcrossBatchesWithTheWorstState) {
    monitor::ResultStore store(t_->db(), {});
    // Two batches that share the minute 10:00 and the hour 10:00.
    ASSERT_TRUE(store.Append({{id_, t0_ + 1'000, State::kOk, 10.0}, {id_, t0_ + 20'000, State::kOk, 30.0}}));
    ASSERT_TRUE(store.Append({{id_, t0_ + 40'000, State::kCritical, std::nullopt},
                              {id_, t0_ + 61'000, State::kWarning, 50.0}}));

    const auto raw = store.Query(id_, t0_, t0_ + kHourMs, Step::kRaw).value();
    ASSERT_EQ(raw.size(), 4u);
    EXPECT_EQ(raw[2].state, State::kCritical);
    EXPECT_FALSE(raw[2].avg.has_value()) << "a failed check has no value";
    EXPECT_DOUBLE_EQ(*raw[3].avg, 50.0);

    const auto minutes = store.Query(id_, t0_, t0_ + kHourMs, Step::kMinute).value();
    ASSERT_EQ(minutes.size(), 2u);
    EXPECT_EQ(minutes[0].at, t0_);
    EXPECT_EQ(minutes[0].count, 3);
    EXPECT_EQ(minutes[0].state, State::kCritical) << "the worst of the minute";
    EXPECT_DOUBLE_EQ(*minutes[0].min, 10.0);
    EXPECT_DOUBLE_EQ(*minutes[0].max, 30.0);
    EXPECT_DOUBLE_EQ(*minutes[0].avg, 20.0) << "the mean of the values, not of the results";
    EXPECT_EQ(minutes[1].state, State::kWarning);

    const auto hours = store.Query(id_, t0_, t0_ + kHourMs, Step::kHour).value();
    ASSERT_EQ(hours.size(), 1u);
    EXPECT_EQ(hours[0].count, 4);
    EXPECT_DOUBLE_EQ(*hours[0].avg, 30.0);
    EXPECT_DOUBLE_EQ(*hours[0].max, 50.0);
}

TEST_P(ResultStoreTest, ABatchLargerThanOneInsertIsWhole) {
    monitor::ResultStore store(t_->db(), {});
    std::vector<ResultRow> batch;
    for (int i = 0; i < 1000; ++i) batch.push_back({id_, t0_ + i * 1000LL, State::kOk, static_cast<double>(i)});
    ASSERT_TRUE(store.Append(batch));
    EXPECT_EQ(store.Query(id_, t0_, t0_ + kHourMs, Step::kRaw)->size(), 1000u);
    const auto minutes = store.Query(id_, t0_, t0_ + kHourMs, Step::kMinute).value();
    ASSERT_EQ(minutes.size(), 17u);  // 1000 s: 16 whole minutes and 40 s
    EXPECT_EQ(minutes[16].count, 40);
}

TEST_P(ResultStoreTest, EachResolutionIsKeptForItsRetention) {
    monitor::ResultStore store(t_->db(), {7, 90, 0});
    const Millis old = t0_ - 100 * kDay, week = t0_ - 8 * kDay;
    ASSERT_TRUE(store.Append({{id_, old, State::kOk, 1.0}, {id_, week, State::kOk, 2.0}, {id_, t0_, State::kOk, 3.0}}));
    EXPECT_EQ(store.Prune(t0_).value(), 2 + 1) << "two raw rows older than 7 days, one minute older than 90";
    EXPECT_EQ(store.Query(id_, old - kDay, t0_ + 1, Step::kRaw)->size(), 1u);
    EXPECT_EQ(store.Query(id_, old - kDay, t0_ + 1, Step::kMinute)->size(), 2u);
    EXPECT_EQ(store.Query(id_, old - kDay, t0_ + 1, Step::kHour)->size(), 3u) << "hours are kept forever";
}

TEST(ResultStepTest, TheFinestResolutionStillKept) {
    const monitor::Retention keep{7, 90, 0};
    const Millis now = 1'000 * kDay;
    EXPECT_EQ(monitor::AutoStep(now - kHourMs, now, now, keep), Step::kRaw);
    EXPECT_EQ(monitor::AutoStep(now - kDay, now, now, keep), Step::kMinute);
    EXPECT_EQ(monitor::AutoStep(now - 30 * kDay, now, now, keep), Step::kHour);
    EXPECT_EQ(monitor::AutoStep(now - 10 * kDay, now - 10 * kDay + kHourMs, now, keep), Step::kMinute)
        << "raw is gone after 7 days";
    EXPECT_EQ(monitor::ParseStep("1m"), Step::kMinute);
    EXPECT_FALSE(monitor::ParseStep("5m").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ResultStoreTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo
