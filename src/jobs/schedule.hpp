#pragma once
// When a jobnet runs (JOB-1..4): a day rule on a business calendar, the shift applied when a chosen
// day is closed, a base time that moves the day boundary (with 05:00, 01:00 belongs to the
// previous business day, as in JP1/AJS3), and start times within that business day. Pure; safe
// from any thread. `PlannedStarts` lists the instants, so an operator can check the rules against
// the operation plan before they run.

#include <bitset>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "calendar/business_calendar.hpp"
#include "calendar/civil_date.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace unyo::jobs {

/// What to do when the day a rule chose is closed.
enum class Shift {
    kEarlier,  // the open day before (within max_shift_days), else not at all
    kLater,    // the open day after (within max_shift_days), else not at all
    kCancel,   // not that time
    kRun,      // run anyway
};

/// A five-field cron expression, "minute hour day-of-month month day-of-week", in the calendar's
/// zone: numbers, `*`, ranges `a-b`, steps `/n` and lists `,` (day of week 0–7, both 0 and 7
/// Sunday). When both days are restricted, either matches (as in Vixie cron).
struct Cron {
    std::bitset<60> minute;
    std::bitset<24> hour;
    std::bitset<32> day;     // 1–31
    std::bitset<13> month;   // 1–12
    std::bitset<7> weekday;  // 0 = Sunday
    bool any_day = true, any_weekday = true;

    /// Error::Field(`field`, why) when `text` is not one.
    [[nodiscard]] static Result<Cron> Parse(std::string_view text, const std::string& field = "cron");
    [[nodiscard]] bool MatchesDay(calendar::Date d) const;
};

struct DayRule {
    enum class Kind {
        kEveryOpenDay,   // every open day
        kWeekdays,       // the days of `weekdays` (0 = Sunday … 6 = Saturday)
        kNthOpenDay,     // the n-th open day of each month (1 = the first)
        kLastOpenDay,    // the last open day of each month
        kNthDayFromEnd,  // the n-th calendar day counted back from the month's end (1 = its last day)
        kDates,          // the days of `dates`
        kYearly,         // each year on the (month, day) of `month_days`
        kCron,           // a cron expression (days and times both; see Cron)
    };
    Kind kind = Kind::kEveryOpenDay;
    std::set<unsigned> weekdays;
    int n = 1;
    std::vector<calendar::Date> dates;
    std::vector<std::pair<unsigned, unsigned>> month_days;
    std::optional<Cron> cron;
    std::string cron_text;  // as given, for reading back
};

struct Schedule {
    DayRule days;
    /// Clock times of the starts, minutes after midnight (0–1439). A time before the base time
    /// belongs to the business day before: with base 05:00, 01:00 runs on the next calendar day.
    std::vector<int> start_minutes;
    int base_minutes = 0;  // the day boundary (0–1439)
    Shift shift = Shift::kLater;
    int max_shift_days = 3;
    /// The batch window (JOB-3), clock minutes [from, to) wrapping midnight when from > to: every
    /// start must fall in it; from == to allows any time. Default: outside the use time 05:00–22:00.
    int window_from = 22 * 60, window_to = 5 * 60;
};

/// Reads a schedule: {days: {rule, weekdays?, n?, dates?, month_days?, cron?}, start_times:
/// ["HH:MM", …] (not for cron), base_time?: "HH:MM", shift?: earlier|later|cancel|run,
/// max_shift_days?, window?: {from: "HH:MM", to: "HH:MM"}}. Every bad field is named
/// ("schedule.start_times": "23:30 is outside the batch window 22:00–05:00", …).
[[nodiscard]] Result<Schedule> ScheduleFromJson(const json::object& body);
/// A day rule alone: {rule, weekdays?, n?, dates?, month_days?, cron?} (the schedule's `days`).
[[nodiscard]] Result<DayRule> DayRuleFromJson(const json::object& days);
[[nodiscard]] json::object ToJson(const DayRule& r);
[[nodiscard]] json::object ToJson(const Schedule& s);

/// A business day a schedule runs on, and the day its rule chose (different when shifted).
struct ChosenDay {
    calendar::Date day, nominal;
};
/// As BusinessDays, with the day each was chosen as (the earliest, when two shift onto one).
[[nodiscard]] std::vector<ChosenDay> ChosenDays(const Schedule& s, const calendar::BusinessCalendar& cal,
                                                calendar::Date first, calendar::Date last);

/// The business days `s` chooses in [first, last], after shifting, each once, in order. Rules that
/// choose only open days (every open day, n-th and last open day) never shift. A cron rule's days
/// are not shifted: on a closed day it runs unless the shift is `cancel`.
[[nodiscard]] std::vector<calendar::Date> BusinessDays(const Schedule& s, const calendar::BusinessCalendar& cal,
                                                       calendar::Date first, calendar::Date last);

/// The start instants of `s` in [from, to), in order.
[[nodiscard]] std::vector<Millis> PlannedStarts(const Schedule& s, const calendar::BusinessCalendar& cal, Millis from,
                                                Millis to);

/// The business day an instant belongs to: its calendar day after taking the base time off.
[[nodiscard]] calendar::Date BusinessDayOf(Millis at, int base_minutes, int utc_offset_minutes);

}  // namespace unyo::jobs
