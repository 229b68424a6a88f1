#pragma once
// Calendar days without a time zone ("2026-11-23"), the Japanese fiscal year (年度, from April)
// and era names (和暦). Pure value types and functions; safe from any thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/json.hpp"

namespace unyo::calendar {

/// A civil day. Ordered and hashable by its day number.
class Date {
public:
    constexpr Date() = default;
    constexpr explicit Date(std::chrono::sys_days day) : day_(day) {}
    /// Error-free construction for known-good literals; check ok() for computed input.
    constexpr Date(int year, unsigned month, unsigned day)
        : day_(std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}) {}

    /// "YYYY-MM-DD"; nullopt when malformed or not a real day.
    [[nodiscard]] static std::optional<Date> Parse(std::string_view text);
    /// The day containing instant `at` in a zone `utc_offset_minutes` east of UTC (JST: 540).
    [[nodiscard]] static Date FromInstant(Millis at, int utc_offset_minutes = 540);

    [[nodiscard]] constexpr std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{day_}; }
    [[nodiscard]] constexpr int year() const { return int(ymd().year()); }
    [[nodiscard]] constexpr unsigned month() const { return unsigned(ymd().month()); }
    [[nodiscard]] constexpr unsigned day() const { return unsigned(ymd().day()); }
    /// 0 = Sunday … 6 = Saturday.
    [[nodiscard]] constexpr unsigned weekday() const { return std::chrono::weekday{day_}.c_encoding(); }
    [[nodiscard]] constexpr Date AddDays(int n) const { return Date(day_ + std::chrono::days{n}); }
    [[nodiscard]] constexpr int DaysUntil(Date other) const { return (other.day_ - day_).count(); }
    /// Midnight at the start of this day in the zone, as an instant.
    [[nodiscard]] Millis StartInstant(int utc_offset_minutes = 540) const;
    /// "YYYY-MM-DD".
    [[nodiscard]] std::string ToString() const;

    constexpr auto operator<=>(const Date&) const = default;

private:
    std::chrono::sys_days day_{};
};

/// A clock time "HH:MM" as minutes after midnight: "08:30" → 510, "24:00" → 1440 (an end of
/// day); nullopt when malformed.
[[nodiscard]] std::optional<int> ParseClock(std::string_view text);
/// Minutes after midnight as "HH:MM": 510 → "08:30".
[[nodiscard]] std::string FormatClock(int minutes);
/// The optional member `name` of `f`'s object as a clock time within the day, "00:00"–"23:59"
/// (minutes); nullopt when absent, and an error naming it when it is not one.
[[nodiscard]] std::optional<int> ReadClock(FieldReader& f, std::string_view name);

/// The fiscal year (年度) of `d`: April to March, named by the year it starts in.
[[nodiscard]] int FiscalYear(Date d);

/// The day in the Japanese era calendar, e.g. "令和8年11月23日" (元年 for the first year);
/// nullopt before Meiji 6 (1873), when Japan took up the Gregorian calendar.
[[nodiscard]] std::optional<std::string> ToWareki(Date d);

}  // namespace unyo::calendar
