// Soft and hard states, and availability to the millisecond with planned stops left out.
#include "monitor/state_machine.hpp"

#include <gtest/gtest.h>

#include "monitor/availability.hpp"

namespace unyo::monitor {
namespace {

CheckResult R(State s, Millis at) { return {s, std::nullopt, "", at}; }

TEST(Flapping, StartsAboveThirtyPercentOfWeightedChangesAndStopsBelowTwentyFive) {
    Runtime rt;
    auto feed = [&](State s) { return TrackFlapping(rt, s); };
    for (int i = 0; i < 21; ++i) EXPECT_FALSE(feed(State::kOk)) << "steady";
    EXPECT_DOUBLE_EQ(rt.flap_percent, 0);
    // Alternating: every result a change; the judgement comes as soon as the share passes 30 %.
    std::optional<FlapChange> started;
    int alternations = 0;
    while (!started && alternations < 20) {
        started = feed(alternations % 2 == 0 ? State::kCritical : State::kOk);
        ++alternations;
    }
    ASSERT_TRUE(started);
    EXPECT_TRUE(started->flapping);
    EXPECT_GT(started->percent, 30.0);
    EXPECT_LT(alternations, 8) << "newer changes weigh more: a few recent ones are enough";
    // Steady again: it stops only once the share falls below 25 % (hysteresis).
    std::optional<FlapChange> stopped;
    int steady = 0;
    while (!stopped && steady < 21) {
        stopped = feed(State::kOk);
        ++steady;
        if (!stopped) {
            EXPECT_GE(rt.flap_percent, 25.0);
        }
    }
    ASSERT_TRUE(stopped);
    EXPECT_FALSE(stopped->flapping);
    EXPECT_LT(stopped->percent, 25.0);
}

TEST(Flapping, NotJudgedBeforeTheWindowIsFull) {
    Runtime rt;
    for (int i = 0; i < kFlapWindow; ++i) {
        EXPECT_FALSE(TrackFlapping(rt, i % 2 == 0 ? State::kOk : State::kCritical)) << i;
    }
    EXPECT_TRUE(TrackFlapping(rt, State::kOk).has_value()) << "the 21st result: 20 changes, all flapping";
}

TEST(StateMachine, FailuresAreSoftUntilRetriesThenHardFromTheFirstFailure) {
    Runtime rt;
    auto first = Apply(rt, R(State::kOk, 1000), 3);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->from, State::kUnknown);
    EXPECT_EQ(first->to, State::kOk);
    EXPECT_FALSE(Apply(rt, R(State::kOk, 2000), 3)) << "no change, no event";
    EXPECT_FALSE(Apply(rt, R(State::kCritical, 3000), 3)) << "soft 1";
    EXPECT_FALSE(Apply(rt, R(State::kCritical, 4000), 3)) << "soft 2";
    const auto hard = Apply(rt, R(State::kCritical, 5000), 3);
    ASSERT_TRUE(hard);
    EXPECT_EQ(hard->to, State::kCritical);
    EXPECT_EQ(hard->at, 5000);
    EXPECT_EQ(hard->detected_at, 3000) << "recognised at the first failing check";
    EXPECT_EQ(hard->began_at, 3000) << "down since the first failing check (the soft retries count as down time)";
    EXPECT_FALSE(Apply(rt, R(State::kCritical, 6000), 3));
    const auto worse = Apply(rt, R(State::kWarning, 7000), 3);
    ASSERT_TRUE(worse) << "a change of kind while hard is hard at once";
    EXPECT_EQ(worse->to, State::kWarning);
    EXPECT_EQ(worse->began_at, 7000) << "from one failure to another: the new kind begins now";
    const auto back = Apply(rt, R(State::kOk, 8000), 3);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->to, State::kOk);
    EXPECT_EQ(back->at, 8000);
    EXPECT_EQ(back->began_at, 8000);
}

TEST(StateMachine, AGoodResultBetweenFailuresStartsOver) {
    Runtime rt;
    ASSERT_TRUE(Apply(rt, R(State::kOk, 0), 2));
    EXPECT_FALSE(Apply(rt, R(State::kCritical, 1000), 2));
    EXPECT_FALSE(Apply(rt, R(State::kOk, 2000), 2));
    EXPECT_FALSE(Apply(rt, R(State::kCritical, 3000), 2));
    const auto hard = Apply(rt, R(State::kCritical, 4000), 2);
    ASSERT_TRUE(hard);
    EXPECT_EQ(hard->detected_at, 3000);
}

TEST(Availability, ExactToTheMillisecondWithStopsOut) {
    const Millis h = kHourMs;
    // Up from 0, down 10:00–11:00 and 20:00–20:30; a planned stop 19:45–20:15 (overlapping).
    const std::vector<StateChange> changes{{-h, State::kOk},          {10 * h, State::kCritical},
                                           {11 * h, State::kOk},      {20 * h, State::kCritical},
                                           {20 * h + 30 * kMinuteMs, State::kOk}};
    const auto a = Compute(changes, 0, 24 * h, {{19 * h + 45 * kMinuteMs, 20 * h + 15 * kMinuteMs}}, 0.999);
    EXPECT_EQ(a.excluded_ms, 30 * kMinuteMs);
    EXPECT_EQ(a.down_ms, h + 15 * kMinuteMs);
    EXPECT_EQ(a.up_ms, 24 * h - 30 * kMinuteMs - a.down_ms);
    EXPECT_EQ(a.unknown_ms, 0);
    EXPECT_DOUBLE_EQ(*a.ratio, static_cast<double>(a.up_ms) / static_cast<double>(a.up_ms + a.down_ms));
}

TEST(Availability, UnknownBeforeTheFirstResultAndTheYearlyBudget) {
    const Millis day = 24 * kHourMs;
    const auto a = Compute({{day, State::kOk}}, 0, 365 * day, {}, 0.999);
    EXPECT_EQ(a.unknown_ms, day);
    EXPECT_EQ(a.up_ms, 364 * day);
    EXPECT_EQ(a.budget_ms, 8 * kHourMs + 45 * kMinuteMs + 36 * 1000) << "99.9 % of a year: 8 h 45 m 36 s";
    EXPECT_EQ(a.remaining_budget_ms, a.budget_ms);
    EXPECT_DOUBLE_EQ(*a.ratio, 1.0);
    EXPECT_FALSE(Compute({}, 0, day, {}, 0.999).ratio) << "nothing measured: no ratio rather than 100 %";
}

TEST(Availability, AServiceIsDownWhileAnyOfItsMonitorsIs) {
    const Millis h = kHourMs;
    // web: down 10–11; db: down 10:30–12, under a planned stop of its own 11:30–13; batch: made at 6.
    const MonitorTimeline web{{{0, State::kOk}, {10 * h, State::kCritical}, {11 * h, State::kOk}}, {}};
    const MonitorTimeline db{{{0, State::kOk}, {10 * h + h / 2, State::kCritical}, {12 * h, State::kOk}},
                             {{11 * h + h / 2, 13 * h}}};
    const MonitorTimeline batch{{{6 * h, State::kOk}}, {{0, 6 * h}}};
    const auto c = CombineService({web, db, batch}, 0, 24 * h);
    const auto a = Compute(c.changes, 0, 24 * h, c.excluded, 0.999);
    EXPECT_EQ(a.down_ms, h + h / 2) << "10:00–11:30: web, then db until its stop began";
    EXPECT_EQ(a.excluded_ms, 0) << "web counts during db's stop";
    EXPECT_EQ(a.unknown_ms, 0) << "batch before it existed is not unknown";
    EXPECT_EQ(a.up_ms, 24 * h - a.down_ms);

    const MonitorTimeline stopped{{{0, State::kOk}}, {{2 * h, 4 * h}}};
    const auto both = CombineService({stopped, stopped}, 0, 24 * h);
    const auto b = Compute(both.changes, 0, 24 * h, both.excluded, 0.999);
    EXPECT_EQ(b.excluded_ms, 2 * h) << "excluded while every monitor is under a stop";
    EXPECT_EQ(b.up_ms, 22 * h);
}

}  // namespace
}  // namespace unyo::monitor
