#include "core/time_format.hpp"

#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace unyo {
namespace {

bool ParseInt(std::string_view s, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc{};
}

}  // namespace

std::string FormatLocal(Millis at, int utc_offset_minutes, bool with_seconds) {
    using namespace std::chrono;
    const sys_time<milliseconds> tp{milliseconds{at + utc_offset_minutes * kMinuteMs}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(tp - day)};
    std::string out = fmt::format("{:04}/{:02}/{:02} {:02}:{:02}", int(ymd.year()), unsigned(ymd.month()),
                                  unsigned(ymd.day()), hms.hours().count(), hms.minutes().count());
    if (with_seconds) out += fmt::format(":{:02}", hms.seconds().count());
    return out;
}

std::string FormatRfc3339(Millis at) {
    using namespace std::chrono;
    const sys_time<milliseconds> tp{milliseconds{at}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{tp - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<Millis> ParseRfc3339(std::string_view s) {
    using namespace std::chrono;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!ParseInt(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !ParseInt(s, 5, 2, mo) ||
        s[7] != '-' || !ParseInt(s, 8, 2, d)) {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    Millis base = duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count();
    if (s.size() == 10) {
        return base;
    }
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !ParseInt(s, 11, 2, h) || s.size() < 19 ||
        s[13] != ':' || !ParseInt(s, 14, 2, mi) || s[16] != ':' || !ParseInt(s, 17, 2, sec) ||
        h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    Millis frac = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) {
                frac = frac * 10 + (s[pos] - '0');
            }
            ++digits;
            ++pos;
        }
        if (digits == 0) {
            return std::nullopt;
        }
        for (int i = digits; i < 3; ++i) {
            frac *= 10;
        }
    }
    Millis offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!ParseInt(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !ParseInt(s, pos + 4, 2, om)) {
            return std::nullopt;
        }
        offset = (oh * 60 + om) * kMinuteMs * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    return base + (h * 3600 + mi * 60 + sec) * kSecondMs + frac - offset;
}

std::string FormatCompactUtc(Millis at, bool millis) {
    std::string t = FormatRfc3339(at);  // 2026-12-02T18:30:00.123Z
    if (!millis) t = t.substr(0, 19) + "Z";
    std::erase(t, '-');
    std::erase(t, ':');
    return t;
}

}  // namespace unyo
