// Jobnet schedules on a business calendar (JOB-1..4): the day rules, the shift on closed days, the
// base time that moves the day boundary, and the start instants listed for a period.
#include "jobs/schedule.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace unyo::jobs {
namespace {

using calendar::Date;
using Kind = DayRule::Kind;

calendar::BusinessCalendar Municipal() { return calendar::BusinessCalendar::Create(calendar::CalendarRules{}).value(); }

std::vector<std::string> Texts(const std::vector<Date>& days) {
    std::vector<std::string> out;
    for (const auto& d : days) out.push_back(d.ToString());
    return out;
}

TEST(JobSchedule, TheLastOpenDayOfEachMonthSkipsWeekendsHolidaysAndTheYearEnd) {
    const auto cal = Municipal();
    Schedule s;
    s.days.kind = Kind::kLastOpenDay;
    const auto days = BusinessDays(s, cal, Date(2026, 12, 1), Date(2027, 11, 30));
    ASSERT_EQ(days.size(), 12u) << "one a month";
    EXPECT_EQ(days[0], Date(2026, 12, 28)) << "12/29–12/31 are the year-end closure";
    EXPECT_EQ(days[7], Date(2027, 7, 30)) << "7/31 is a Saturday";
    for (const auto& d : days) {
        EXPECT_TRUE(cal.IsOpen(d)) << d.ToString();
        for (Date later = d.AddDays(1); later.month() == d.month(); later = later.AddDays(1)) {
            EXPECT_FALSE(cal.IsOpen(later)) << later.ToString() << " is open after " << d.ToString();
        }
    }
    // "The last day of the month, or the open day before it" says the same thing.
    Schedule back;
    back.days.kind = Kind::kNthDayFromEnd;
    back.days.n = 1;
    back.shift = Shift::kEarlier;
    back.max_shift_days = 7;
    EXPECT_EQ(Texts(BusinessDays(back, cal, Date(2026, 12, 1), Date(2027, 11, 30))), Texts(days));
    back.max_shift_days = 2;
    const auto limited = BusinessDays(back, cal, Date(2026, 12, 1), Date(2026, 12, 31));
    EXPECT_TRUE(limited.empty()) << "12/31 → 12/28 is three days back: beyond the maximum shift, no run";
}

TEST(JobSchedule, AClosedDayShiftsLaterEarlierOrIsCancelledOrRunsAnyway) {
    const auto cal = Municipal();
    Schedule s;
    s.days.kind = Kind::kWeekdays;
    s.days.weekdays = {1};  // Mondays; 2027-01-11 is 成人の日
    const Date from(2027, 1, 4), to(2027, 1, 17);
    s.shift = Shift::kLater;
    EXPECT_EQ(Texts(BusinessDays(s, cal, from, to)), (std::vector<std::string>{"2027-01-04", "2027-01-12"}));
    s.shift = Shift::kEarlier;
    EXPECT_EQ(Texts(BusinessDays(s, cal, from, to)), (std::vector<std::string>{"2027-01-04", "2027-01-08"}));
    s.shift = Shift::kCancel;
    EXPECT_EQ(Texts(BusinessDays(s, cal, from, to)), (std::vector<std::string>{"2027-01-04"}));
    s.shift = Shift::kRun;
    EXPECT_EQ(Texts(BusinessDays(s, cal, from, to)), (std::vector<std::string>{"2027-01-04", "2027-01-11"}));
}

TEST(JobSchedule, TwoDaysShiftedOntoOneRunOnceAndADayShiftedIntoTheRangeCounts) {
    const auto cal = Municipal();
    Schedule s;
    s.days.kind = Kind::kDates;
    s.days.dates = {Date(2027, 2, 27), Date(2027, 2, 28)};  // Saturday and Sunday
    s.shift = Shift::kLater;
    EXPECT_EQ(Texts(BusinessDays(s, cal, Date(2027, 3, 1), Date(2027, 3, 31))), (std::vector<std::string>{"2027-03-01"}));
    s.shift = Shift::kEarlier;
    EXPECT_EQ(Texts(BusinessDays(s, cal, Date(2027, 2, 1), Date(2027, 2, 28))), (std::vector<std::string>{"2027-02-26"}));
}

TEST(JobSchedule, NthOpenDayYearlyAndCountedBackFromTheMonthEnd) {
    const auto cal = Municipal();
    Schedule first;
    first.days.kind = Kind::kNthOpenDay;
    first.days.n = 1;
    EXPECT_EQ(Texts(BusinessDays(first, cal, Date(2027, 1, 1), Date(2027, 1, 31))),
              (std::vector<std::string>{"2027-01-04"}))
        << "1/1–1/3 are closed";
    first.days.n = 40;
    EXPECT_TRUE(BusinessDays(first, cal, Date(2027, 1, 1), Date(2027, 1, 31)).empty()) << "no month has 40 open days";

    Schedule leap;
    leap.days.kind = Kind::kYearly;
    leap.days.month_days = {{2, 29}};
    leap.shift = Shift::kRun;
    EXPECT_EQ(Texts(BusinessDays(leap, cal, Date(2026, 1, 1), Date(2029, 12, 31))),
              (std::vector<std::string>{"2028-02-29"}))
        << "only in a leap year";

    Schedule third_last;
    third_last.days.kind = Kind::kNthDayFromEnd;
    third_last.days.n = 3;
    third_last.shift = Shift::kRun;
    EXPECT_EQ(Texts(BusinessDays(third_last, cal, Date(2027, 2, 1), Date(2027, 3, 31))),
              (std::vector<std::string>{"2027-02-26", "2027-03-29"}));
}

TEST(JobSchedule, TheBaseTimeMovesTheDayBoundaryForStartsAfterMidnight) {
    const auto cal = Municipal();
    Schedule s;
    s.days.kind = Kind::kDates;
    s.days.dates = {Date(2027, 1, 8)};  // a Friday
    s.base_minutes = 5 * 60;
    s.start_minutes = {23 * 60, 1 * 60 + 30};
    const Millis day = Date(2027, 1, 8).StartInstant(540);
    const auto starts = PlannedStarts(s, cal, day, day + 3 * 24 * 3600'000LL);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0], day + 23 * 3600'000LL) << "Friday 23:00";
    EXPECT_EQ(starts[1], day + (24 + 1) * 3600'000LL + 30 * 60'000LL) << "01:30 on Saturday belongs to Friday";
    EXPECT_EQ(BusinessDayOf(starts[1], s.base_minutes, 540), Date(2027, 1, 8));
    EXPECT_EQ(BusinessDayOf(starts[1], 0, 540), Date(2027, 1, 9)) << "without a base time it would be Saturday's";
    // The period is half-open, by instant: a window ending at 01:30 does not include that start.
    EXPECT_EQ(PlannedStarts(s, cal, day, starts[1]).size(), 1u);
    EXPECT_TRUE(PlannedStarts(s, cal, starts[1], starts[1]).empty());
}

TEST(JobSchedule, TwelveMonthsOfStartsOnTheLastBusinessDayAt22) {
    const auto cal = Municipal();
    Schedule s;
    s.days.kind = Kind::kNthDayFromEnd;
    s.days.n = 1;
    s.shift = Shift::kEarlier;
    s.max_shift_days = 7;
    s.start_minutes = {22 * 60};
    const Millis from = Date(2026, 12, 1).StartInstant(540);
    const Millis to = Date(2027, 12, 1).StartInstant(540);
    const auto starts = PlannedStarts(s, cal, from, to);
    ASSERT_EQ(starts.size(), 12u);
    for (const Millis at : starts) {
        const Date d = Date::FromInstant(at, 540);
        EXPECT_TRUE(cal.IsOpen(d)) << d.ToString();
        EXPECT_EQ((at - d.StartInstant(540)) / 60'000, 22 * 60);
    }
}

TEST(JobSchedule, CronGivesDaysAndTimesAndACancelSkipsClosedDays) {
    const auto cal = Municipal();
    auto parsed = ScheduleFromJson(json::parse(R"({"days": {"rule": "cron", "cron": "30 22 * * 1-5"}, "shift": "cancel"})").as_object());
    ASSERT_TRUE(parsed) << parsed.error().message;
    const Millis from = Date(2027, 1, 4).StartInstant(540), to = Date(2027, 1, 18).StartInstant(540);
    const auto starts = PlannedStarts(*parsed, cal, from, to);
    ASSERT_EQ(starts.size(), 9u) << "ten weekdays, less 成人の日";
    EXPECT_EQ(starts[0], from + (22 * 60 + 30) * 60'000LL);
    parsed->shift = Shift::kRun;
    EXPECT_EQ(PlannedStarts(*parsed, cal, from, to).size(), 10u);
    // Day of month and weekday both restricted: either matches; 7 is Sunday too.
    const auto c = Cron::Parse("0 23 1 * 7").value();
    EXPECT_TRUE(c.MatchesDay(Date(2027, 2, 1))) << "the 1st";
    EXPECT_TRUE(c.MatchesDay(Date(2027, 2, 7))) << "a Sunday";
    EXPECT_FALSE(c.MatchesDay(Date(2027, 2, 8)));
    const auto steps = Cron::Parse("*/15 0-4/2 * * *").value();
    EXPECT_EQ(steps.minute.count(), 4u);
    EXPECT_EQ(steps.hour.count(), 3u) << "0, 2, 4";
    for (const char* bad : {"* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "5-1 * * * *", "*/0 * * * *", "a * * * *"}) {
        EXPECT_FALSE(Cron::Parse(bad)) << bad;
    }
}

TEST(JobSchedule, ReadFromJsonWithEveryBadFieldNamedAndBackAgain) {
    const auto good = json::parse(R"({"days": {"rule": "nth_day_from_end", "n": 1}, "start_times": ["23:00", "01:30"],
        "base_time": "05:00", "shift": "earlier", "max_shift_days": 7})").as_object();
    const auto s = ScheduleFromJson(good);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->start_minutes, (std::vector<int>{90, 23 * 60}));
    EXPECT_EQ(s->base_minutes, 300);
    EXPECT_EQ(s->shift, Shift::kEarlier);
    const auto again = ScheduleFromJson(ToJson(*s));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(json::serialize(ToJson(*again)), json::serialize(ToJson(*s)));

    const auto bad = ScheduleFromJson(json::parse(R"({"days": {"rule": "weekdays", "weekdays": [8]},
        "start_times": ["12:00", "25:00"], "shift": "sometimes", "base_time": "5am", "colour": "red"})").as_object());
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& e : bad.error().fields) fields.push_back(e.field);
    std::sort(fields.begin(), fields.end());
    fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
    EXPECT_EQ(fields, (std::vector<std::string>{"base_time", "colour", "days.weekdays", "shift", "start_times"}));
    const auto noon = std::find_if(bad.error().fields.begin(), bad.error().fields.end(), [](const auto& e) {
        return e.field == "start_times" && e.message.find("batch window") != std::string::npos;
    });
    EXPECT_NE(noon, bad.error().fields.end()) << "12:00 is in the use time 05:00–22:00";
    // A window of its own allows a daytime start.
    EXPECT_TRUE(ScheduleFromJson(json::parse(R"({"days": {"rule": "every_open_day"}, "start_times": ["12:00"],
        "window": {"from": "12:00", "to": "13:00"}})").as_object()));
    EXPECT_FALSE(ScheduleFromJson(json::parse(R"({"days": {"rule": "yearly", "month_days": ["02-30"]},
        "start_times": ["23:00"]})").as_object()));
}

}  // namespace
}  // namespace unyo::jobs
