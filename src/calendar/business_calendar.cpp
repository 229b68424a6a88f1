#include "calendar/business_calendar.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "calendar/japanese_holidays.hpp"

namespace unyo::calendar {
namespace {

constexpr int kSearchDays = 3660;  // ten years: a calendar open less often than that is a mistake

bool YearEnd(Date d) { return (d.month() == 12 && d.day() >= 29) || (d.month() == 1 && d.day() <= 3); }

bool Valid(const Hours& h) { return h.open >= 0 && h.open < h.close && h.close <= 24 * 60; }

}  // namespace

CalendarRules CalendarRules::AlwaysOpen() {
    CalendarRules r;
    r.weekly.fill(Hours{0, 24 * 60});
    r.closed_on_national_holidays = false;
    r.closed_at_year_end = false;
    r.extra_open_hours = Hours{0, 24 * 60};
    return r;
}

Result<BusinessCalendar> BusinessCalendar::Create(CalendarRules rules) {
    constexpr const char* kRule = "must open before it closes, within 00:00 to 24:00";
    for (std::size_t i = 0; i < rules.weekly.size(); ++i) {
        if (rules.weekly[i] && !Valid(*rules.weekly[i])) {
            return Fail(Error::Field(fmt::format("weekly[{}]", i), kRule));
        }
    }
    if (!Valid(rules.extra_open_hours)) {
        return Fail(Error::Field("extra_open_hours", kRule));
    }
    return BusinessCalendar(std::move(rules));
}

std::optional<Hours> BusinessCalendar::HoursOf(Date d) const {
    if (rules_.extra_open.contains(d)) {
        return rules_.weekly[d.weekday()].value_or(rules_.extra_open_hours);
    }
    if (!IsOpen(d)) {
        return std::nullopt;
    }
    return rules_.weekly[d.weekday()];
}

std::string BusinessCalendar::ClosedReason(Date d) const {
    if (rules_.extra_open.contains(d)) {
        return "";
    }
    if (rules_.extra_closed.contains(d)) {
        return "休業日";
    }
    if (rules_.closed_at_year_end && YearEnd(d)) {
        return "年末年始";
    }
    if (rules_.closed_on_national_holidays) {
        if (auto name = HolidayName(d)) {
            return *name;
        }
    }
    static constexpr std::array<const char*, 7> kDays{"日曜日", "月曜日", "火曜日", "水曜日",
                                                       "木曜日", "金曜日", "土曜日"};
    if (!rules_.weekly[d.weekday()]) {
        return kDays[d.weekday()];
    }
    return "";
}

bool BusinessCalendar::IsOpen(Date d) const { return ClosedReason(d).empty(); }

Result<Date> BusinessCalendar::NextOpen(Date d, bool strictly_after) const {
    Date cur = strictly_after ? d.AddDays(1) : d;
    for (int i = 0; i < kSearchDays; ++i, cur = cur.AddDays(1)) {
        if (IsOpen(cur)) {
            return cur;
        }
    }
    return Fail(Error::Field("calendar", "has no open day within ten years"));
}

Result<Date> BusinessCalendar::AddOpenDays(Date d, int n) const {
    Date cur = UNYO_TRY(NextOpen(d));
    for (int i = 0; i < n; ++i) {
        cur = UNYO_TRY(NextOpen(cur, true));
    }
    return cur;
}

Result<Millis> BusinessCalendar::AddBusinessTime(Millis start, Millis budget) const {
    Millis left = std::max<Millis>(budget, 0);
    Date day = Date::FromInstant(start, rules_.utc_offset_minutes);
    for (int i = 0; i < kSearchDays; ++i, day = day.AddDays(1)) {
        const auto hours = HoursOf(day);
        if (!hours) {
            continue;
        }
        const Millis base = day.StartInstant(rules_.utc_offset_minutes);
        const Millis open = std::max(start, base + hours->open * kMinuteMs);
        const Millis close = base + hours->close * kMinuteMs;
        if (open >= close) {
            continue;
        }
        if (open + left <= close) {
            return open + left;
        }
        left -= close - open;
    }
    return Fail(Error::Field("calendar", "has no business time within ten years"));
}

Millis BusinessCalendar::BusinessTimeBetween(Millis from, Millis to) const {
    Millis total = 0;
    if (to <= from) {
        return 0;
    }
    const Date last = Date::FromInstant(to, rules_.utc_offset_minutes);
    for (Date day = Date::FromInstant(from, rules_.utc_offset_minutes); day <= last; day = day.AddDays(1)) {
        const auto hours = HoursOf(day);
        if (!hours) {
            continue;
        }
        const Millis base = day.StartInstant(rules_.utc_offset_minutes);
        const Millis open = std::max(from, base + hours->open * kMinuteMs);
        const Millis close = std::min(to, base + hours->close * kMinuteMs);
        total += std::max<Millis>(0, close - open);
    }
    return total;
}

}  // namespace unyo::calendar
