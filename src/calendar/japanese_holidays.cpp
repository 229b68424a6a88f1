#include "calendar/japanese_holidays.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>

#include <fmt/format.h>

namespace unyo::calendar {
namespace {

// The n-th Monday of a month (ハッピーマンデー).
Date NthMonday(int year, unsigned month, int n) {
    Date first(year, month, 1);
    const int to_monday = (8 - static_cast<int>(first.weekday())) % 7;
    return first.AddDays(to_monday + 7 * (n - 1));
}

// Equinox days by the formulas used for the official calendar, in integer arithmetic (the
// constants in millionths of a day): floor(base + 0.242194 × (y − 1980) − trunc((y − offset) / 4)).
unsigned EquinoxDay(int year, bool spring) {
    const long n = year - 1980;
    const bool old = year < 1980;
    const long base = spring ? (old ? 20835700L : 20843100L) : (old ? 23258800L : 23248800L);
    const long leap = (year - (old ? 1983 : 1980)) / 4;  // truncates toward zero, as the formula does
    return static_cast<unsigned>((base + 242194L * n) / 1000000L - leap);
}

void Add(std::vector<Holiday>& out, Date d, const char* name) { out.push_back({d, name}); }

// The national holidays proper (国民の祝日) of year `y`, as the law stood on each day.
std::vector<Holiday> Shukujitsu(int y) {
    std::vector<Holiday> h;
    if (y >= 1949) {  // the law took effect on 1948-07-20
        Add(h, Date(y, 1, 1), "元日");
        Add(h, y >= 2000 ? NthMonday(y, 1, 2) : Date(y, 1, 15), "成人の日");
        Add(h, Date(y, 3, EquinoxDay(y, true)), "春分の日");
        Add(h, Date(y, 5, 3), "憲法記念日");
        Add(h, Date(y, 5, 5), "こどもの日");
    }
    if (y >= 1967) {
        Add(h, Date(y, 2, 11), "建国記念の日");
    }
    if (y >= 1949 && y <= 1988) {
        Add(h, Date(y, 4, 29), "天皇誕生日");
    } else if (y >= 1989 && y <= 2006) {
        Add(h, Date(y, 4, 29), "みどりの日");
    } else if (y >= 2007) {
        Add(h, Date(y, 4, 29), "昭和の日");
        Add(h, Date(y, 5, 4), "みどりの日");
    }
    if (y >= 1989 && y <= 2018) {
        Add(h, Date(y, 12, 23), "天皇誕生日");
    } else if (y >= 2020) {
        Add(h, Date(y, 2, 23), "天皇誕生日");
    }
    // Sea Day, Mountain Day and Sports Day moved for the Tokyo Olympics (2020, 2021).
    if (y == 2020 || y == 2021) {
        Add(h, Date(y, 7, y == 2020 ? 23 : 22), "海の日");
        Add(h, Date(y, 7, y == 2020 ? 24 : 23), "スポーツの日");
        Add(h, Date(y, 8, y == 2020 ? 10 : 8), "山の日");
    } else {
        if (y >= 1996) {
            Add(h, y >= 2003 ? NthMonday(y, 7, 3) : Date(y, 7, 20), "海の日");
        }
        if (y >= 2016) {
            Add(h, Date(y, 8, 11), "山の日");
        }
        if (y >= 1966) {
            Add(h, y >= 2000 ? NthMonday(y, 10, 2) : Date(y, 10, 10), y >= 2020 ? "スポーツの日" : "体育の日");
        }
    }
    if (y >= 1966) {
        Add(h, y >= 2003 ? NthMonday(y, 9, 3) : Date(y, 9, 15), "敬老の日");
    }
    Add(h, Date(y, 9, EquinoxDay(y, false)), "秋分の日");
    Add(h, Date(y, 11, 3), "文化の日");
    Add(h, Date(y, 11, 23), "勤労感謝の日");
    // Days made holidays by their own laws.
    static const std::array<std::pair<Date, const char*>, 8> kOneOff{{
        {Date(1959, 4, 10), "結婚の儀"},
        {Date(1989, 2, 24), "大喪の礼"},
        {Date(1990, 11, 12), "即位礼正殿の儀"},
        {Date(1993, 6, 9), "結婚の儀"},
        {Date(2019, 4, 30), "国民の休日"},
        {Date(2019, 5, 1), "即位の日"},
        {Date(2019, 5, 2), "国民の休日"},
        {Date(2019, 10, 22), "即位礼正殿の儀の行われる日"},
    }};
    for (const auto& [d, name] : kOneOff) {
        if (d.year() == y) {
            Add(h, d, name);
        }
    }
    std::sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    return h;
}

bool Contains(const std::vector<Holiday>& h, Date d) {
    return std::any_of(h.begin(), h.end(), [d](const Holiday& x) { return x.date == d; });
}

std::vector<Holiday> Compute(int y) {
    std::vector<Holiday> h = Shukujitsu(y);
    const std::vector<Holiday> shukujitsu = h;
    // 振替休日 (Art. 3-2), from 1973-04-12: a holiday on a Sunday makes the next day a holiday;
    // from 2007, the next day that is not itself a national holiday.
    std::vector<Holiday> furikae;
    for (const auto& x : shukujitsu) {
        if (x.date.weekday() != 0 || x.date < Date(1973, 4, 12)) {
            continue;
        }
        Date d = x.date.AddDays(1);
        if (d.year() >= 2007) {
            while (Contains(shukujitsu, d)) {
                d = d.AddDays(1);
            }
        } else if (Contains(shukujitsu, d)) {
            continue;
        }
        furikae.push_back({d, "振替休日"});
    }
    h.insert(h.end(), furikae.begin(), furikae.end());
    // 国民の休日 (Art. 3-3), from 1985-12-27: a day between two national holidays that is not a
    // Sunday, a national holiday or a substitute holiday.
    for (std::size_t i = 0; i + 1 < shukujitsu.size(); ++i) {
        const Date between = shukujitsu[i].date.AddDays(1);
        if (shukujitsu[i].date.DaysUntil(shukujitsu[i + 1].date) == 2 && between >= Date(1985, 12, 27) &&
            between.weekday() != 0 && !Contains(h, between)) {
            h.push_back({between, "国民の休日"});
        }
    }
    std::sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    return h;
}

}  // namespace

Result<std::vector<Holiday>> HolidaysOf(int year) {
    if (year < kFirstHolidayYear || year > kLastHolidayYear) {
        return Fail(Error::Field("year", fmt::format("holidays are known for {} to {} only", kFirstHolidayYear,
                                                     kLastHolidayYear)));
    }
    // Computed once per year and kept: the rules do not change while the process runs.
    static std::mutex mutex;
    static std::map<int, std::vector<Holiday>> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(year);
    if (it == cache.end()) {
        it = cache.emplace(year, Compute(year)).first;
    }
    return it->second;
}

std::optional<std::string> HolidayName(Date d) {
    auto holidays = HolidaysOf(d.year());
    if (!holidays) {
        return std::nullopt;
    }
    for (const auto& h : *holidays) {
        if (h.date == d) {
            return h.name;
        }
    }
    return std::nullopt;
}

}  // namespace unyo::calendar
