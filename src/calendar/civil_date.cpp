#include "calendar/civil_date.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace unyo::calendar {

std::optional<Date> Date::Parse(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return std::nullopt;
    }
    int y = 0;
    unsigned m = 0, d = 0;
    auto num = [&](std::size_t pos, std::size_t len, auto& out) {
        auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
        return ec == std::errc{} && p == s.data() + pos + len;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return Date(std::chrono::sys_days{ymd});
}

Date Date::FromInstant(Millis at, int utc_offset_minutes) {
    using namespace std::chrono;
    const sys_time<milliseconds> local{milliseconds{at + utc_offset_minutes * kMinuteMs}};
    return Date(floor<days>(local));
}

Millis Date::StartInstant(int utc_offset_minutes) const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(day_.time_since_epoch()).count() - utc_offset_minutes * kMinuteMs;
}

std::string Date::ToString() const { return fmt::format("{:04}-{:02}-{:02}", year(), month(), day()); }

std::optional<int> ParseClock(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    auto [p1, e1] = std::from_chars(s.data(), s.data() + 2, h);
    auto [p2, e2] = std::from_chars(s.data() + 3, s.data() + 5, m);
    if (e1 != std::errc{} || e2 != std::errc{} || p1 != s.data() + 2 || p2 != s.data() + 5 || m > 59 ||
        h * 60 + m > 24 * 60) {
        return std::nullopt;
    }
    return h * 60 + m;
}

std::string FormatClock(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

std::optional<int> ReadClock(FieldReader& f, std::string_view name) {
    const auto text = f.OptionalString(name, 5);
    if (!text) return std::nullopt;
    const auto m = ParseClock(*text);
    if (!m || *m >= 24 * 60) {
        f.AddError(std::string(name), fmt::format("'{}' is not a time HH:MM", *text));
        return std::nullopt;
    }
    return m;
}

int FiscalYear(Date d) { return d.month() >= 4 ? d.year() : d.year() - 1; }

std::optional<std::string> ToWareki(Date d) {
    struct Era {
        const char* name;
        Date start;
    };
    // First days of each era (改元日).
    static const std::array<Era, 5> kEras{{{"令和", Date(2019, 5, 1)},
                                            {"平成", Date(1989, 1, 8)},
                                            {"昭和", Date(1926, 12, 25)},
                                            {"大正", Date(1912, 7, 30)},
                                            {"明治", Date(1873, 1, 1)}}};
    for (const auto& era : kEras) {
        if (d >= era.start) {
            const int n = d.year() - era.start.year() + (era.name == std::string_view("明治") ? 6 : 1);
            const std::string year = n == 1 ? "元" : std::to_string(n);
            return fmt::format("{}{}年{}月{}日", era.name, year, d.month(), d.day());
        }
    }
    return std::nullopt;
}

}  // namespace unyo::calendar
