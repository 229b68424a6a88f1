#include "sla/sla_clock.hpp"

#include <gtest/gtest.h>

namespace unyo::sla {
namespace {

using calendar::BusinessCalendar;
using calendar::CalendarRules;
using calendar::Date;

// Friday 2026-11-20 23:00 JST.
const Millis kFriday23 = Date(2026, 11, 20).StartInstant() + 23 * kHourMs;

const BusinessCalendar& Always() {
    static const auto cal = BusinessCalendar::Create(CalendarRules::AlwaysOpen()).value();
    return cal;
}

const Policy& PolicyFor(const std::string& severity, const std::string& source) {
    static const auto policies = DefaultPolicies();
    const auto matching = Matching(policies, "incident", severity, source);
    EXPECT_EQ(matching.size(), 1u) << severity << "/" << source;
    return *matching.front();
}

RecordFacts Incident(Millis recognized, Millis created) {
    RecordFacts f;
    f.created_at = created;
    f.recognized_at = recognized;
    f.statuses = {{created, "received"}};
    return f;
}

TEST(SlaClockTest, FridayNightFailureHasThreeTwelveHourClocks) {
    const auto& p = PolicyFor("high", "monitoring");
    ASSERT_EQ(p.targets.size(), 3u);
    const auto facts = Incident(kFriday23, kFriday23 + 10 * kMinuteMs);
    for (const auto& t : p.targets) {
        const auto c = Evaluate(t, facts, Always(), kFriday23 + kHourMs);
        EXPECT_EQ(c.state, ClockState::kRunning) << t.name;
        EXPECT_EQ(c.started_at, kFriday23) << "clocks start when the failure was recognised";
        EXPECT_EQ(c.target_at, Date(2026, 11, 21).StartInstant() + 11 * kHourMs) << t.name << ": Saturday 11:00";
        EXPECT_EQ(c.remaining_ms, 11 * kHourMs);
        EXPECT_FALSE(c.warning);
    }
}

TEST(SlaClockTest, CriticalRecoveryHasTwentyFourHours) {
    const auto& p = PolicyFor("critical", "user_report");
    const auto c = Evaluate(p.targets.at(2), Incident(kFriday23, kFriday23), Always(), kFriday23);
    EXPECT_EQ(c.name, "recovery");
    EXPECT_EQ(c.target_at, kFriday23 + 24 * kHourMs);
}

TEST(SlaClockTest, UnauthorizedAccessMustStartWithinAnHour) {
    const auto& p = PolicyFor("high", "unauthorized_access");
    ASSERT_EQ(p.targets.size(), 2u);
    EXPECT_EQ(p.targets[1].name, "response_start");
    auto facts = Incident(kFriday23, kFriday23);
    auto c = Evaluate(p.targets[1], facts, Always(), kFriday23 + 50 * kMinuteMs);
    EXPECT_TRUE(c.warning) << "75 % of an hour has passed";
    EXPECT_EQ(c.state, ClockState::kRunning);
    facts.statuses.emplace_back(kFriday23 + 55 * kMinuteMs, "responding");
    c = Evaluate(p.targets[1], facts, Always(), kFriday23 + 2 * kHourMs);
    EXPECT_EQ(c.state, ClockState::kMet);
    EXPECT_EQ(c.met_at, kFriday23 + 55 * kMinuteMs);
    EXPECT_FALSE(c.warning);
}

TEST(SlaClockTest, MissedDeadlineIsBreachedEvenWhenMetLater) {
    const auto& notify = PolicyFor("low", "user_report").targets.at(0);
    auto facts = Incident(kFriday23, kFriday23);
    EXPECT_EQ(Evaluate(notify, facts, Always(), kFriday23 + 13 * kHourMs).state, ClockState::kBreached);
    facts.fields_set_at["owner_notified_at"] = kFriday23 + 14 * kHourMs;
    const auto late = Evaluate(notify, facts, Always(), kFriday23 + 20 * kHourMs);
    EXPECT_EQ(late.state, ClockState::kBreached);
    EXPECT_EQ(late.remaining_ms, -2 * kHourMs);
}

TEST(SlaClockTest, PauseStatesStopTheClockAndMoveTheDeadline) {
    Target t;
    t.name = "answer";
    t.duration = 4 * kHourMs;
    t.start = "created_at";
    t.stop.states = {"answered"};
    t.pause_states = {"waiting_for_requester"};
    RecordFacts f;
    f.created_at = kFriday23;
    f.statuses = {{kFriday23, "received"},
                  {kFriday23 + kHourMs, "waiting_for_requester"},
                  {kFriday23 + 3 * kHourMs, "received"}};
    const auto c = Evaluate(t, f, Always(), kFriday23 + 4 * kHourMs);
    EXPECT_EQ(c.target_at, kFriday23 + 6 * kHourMs) << "two hours paused";
    EXPECT_EQ(c.remaining_ms, 2 * kHourMs);
    f.statuses.emplace_back(kFriday23 + 4 * kHourMs, "waiting_for_requester");
    EXPECT_EQ(Evaluate(t, f, Always(), kFriday23 + 5 * kHourMs).state, ClockState::kPaused);
}

TEST(SlaClockTest, BusinessCalendarsCountOfficeHoursOnly) {
    // An inquiry received Friday 23:00 on the office-hours calendar: the business day starts
    // Monday 08:30 (11/23 is a holiday, so Tuesday), and one business day is 8 h 45 min.
    const auto office = BusinessCalendar::Create(CalendarRules{}).value();
    const auto policies = DefaultPolicies();
    const auto inquiry = Matching(policies, "inquiry", "", "");
    ASSERT_EQ(inquiry.size(), 1u);
    RecordFacts f;
    f.created_at = kFriday23;
    f.statuses = {{kFriday23, "received"}};
    const auto c = Evaluate(inquiry.front()->targets.at(0), f, office, kFriday23);
    EXPECT_EQ(c.target_at, Date(2026, 11, 24).StartInstant() + (17 * 60 + 15) * kMinuteMs);
}

TEST(SlaClockTest, PoliciesMatchBySeverityAndSource) {
    const auto policies = DefaultPolicies();
    EXPECT_EQ(Matching(policies, "incident", "critical", "unauthorized_access").front()->name, "不正アクセス");
    EXPECT_EQ(Matching(policies, "incident", "critical", "monitoring").front()->name, "障害 (重大)");
    EXPECT_TRUE(Matching(policies, "change", "high", "").empty());
}

}  // namespace
}  // namespace unyo::sla
