#pragma once
// Business calendars: which days are open, business hours within a day, and time counted in
// business hours only — for SLA clocks, job schedules and reports. Japanese national holidays and
// the municipal year-end closure (12/29–1/3, 地方自治法第4条の2) are built in; operating days on a
// holiday (休日稼働日) and extra closed days are data. Immutable after construction; safe from any
// thread.

#include <array>
#include <optional>
#include <set>
#include <string>

#include "calendar/civil_date.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace unyo::calendar {

/// Business hours within a day, in minutes from midnight: [open, close).
struct Hours {
    int open = 8 * 60 + 30;
    int close = 17 * 60 + 15;
    auto operator<=>(const Hours&) const = default;
};

struct CalendarRules {
    /// Hours per weekday, index 0 = Sunday … 6 = Saturday; nullopt: closed that weekday.
    std::array<std::optional<Hours>, 7> weekly{std::nullopt, Hours{}, Hours{}, Hours{}, Hours{}, Hours{}, std::nullopt};
    bool closed_on_national_holidays = true;
    bool closed_at_year_end = true;  // 12/29 to 1/3
    std::set<Date> extra_closed;     // e.g. planned stops
    std::set<Date> extra_open;       // operating days that would be closed (休日稼働日); win over all
    Hours extra_open_hours;          // the hours of those operating days
    int utc_offset_minutes = 9 * 60;  // JST

    /// Every day open, all day: plain elapsed time (24/365 service).
    [[nodiscard]] static CalendarRules AlwaysOpen();
};

class BusinessCalendar {
public:
    /// Error::Field naming the rule ("weekly[1]", "extra_open_hours") when hours are not
    /// 0 ≤ open < close ≤ 1440.
    [[nodiscard]] static Result<BusinessCalendar> Create(CalendarRules rules);

    [[nodiscard]] bool IsOpen(Date d) const;
    /// The business hours of `d`; nullopt when closed.
    [[nodiscard]] std::optional<Hours> HoursOf(Date d) const;
    /// Why `d` is closed ("土曜日", "勤労感謝の日", "年末年始", "休業日"), or "" when open.
    [[nodiscard]] std::string ClosedReason(Date d) const;
    /// The first open day on or after `d` (after, when `strictly_after`). Error when none within 10 years.
    [[nodiscard]] Result<Date> NextOpen(Date d, bool strictly_after = false) const;
    /// The open day `n` open days after `d` (n ≥ 0; 0 gives NextOpen(d)).
    [[nodiscard]] Result<Date> AddOpenDays(Date d, int n) const;
    /// The instant at which `budget` of business time has elapsed since `start` (a deadline).
    [[nodiscard]] Result<Millis> AddBusinessTime(Millis start, Millis budget) const;
    /// Business time between `from` and `to` (0 when to ≤ from).
    [[nodiscard]] Millis BusinessTimeBetween(Millis from, Millis to) const;

    [[nodiscard]] const CalendarRules& rules() const { return rules_; }

private:
    explicit BusinessCalendar(CalendarRules rules) : rules_(std::move(rules)) {}
    CalendarRules rules_;
};

}  // namespace unyo::calendar
