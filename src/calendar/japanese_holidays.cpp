#include "calendar/japanese_holidays.hpp"

#include <algorithm>
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

// Equinox days by the formula used for the official calendar (valid 1980–2099), in integer
// arithmetic: floor(base + 0.242194 × (y − 1980) − floor((y − 1980) / 4)).
unsigned EquinoxDay(int year, long base_micro) {
    const long n = year - 1980;
    return static_cast<unsigned>((base_micro + 242194L * n) / 1000000L - n / 4);
}

void Add(std::vector<Holiday>& out, Date d, const char* name) { out.push_back({d, name}); }

std::vector<Holiday> Compute(int y) {
    std::vector<Holiday> h;
    Add(h, Date(y, 1, 1), "元日");
    Add(h, NthMonday(y, 1, 2), "成人の日");
    Add(h, Date(y, 2, 11), "建国記念の日");
    if (y >= 2020) {
        Add(h, Date(y, 2, 23), "天皇誕生日");
    }
    Add(h, Date(y, 3, EquinoxDay(y, 20843100L)), "春分の日");
    Add(h, Date(y, 4, 29), y >= 2007 ? "昭和の日" : "みどりの日");
    Add(h, Date(y, 5, 3), "憲法記念日");
    if (y >= 2007) {
        Add(h, Date(y, 5, 4), "みどりの日");
    }
    Add(h, Date(y, 5, 5), "こどもの日");
    // Sea Day, Mountain Day and Sports Day moved for the Tokyo Olympics (2020, 2021).
    if (y == 2020) {
        Add(h, Date(2020, 7, 23), "海の日");
        Add(h, Date(2020, 7, 24), "スポーツの日");
        Add(h, Date(2020, 8, 10), "山の日");
    } else if (y == 2021) {
        Add(h, Date(2021, 7, 22), "海の日");
        Add(h, Date(2021, 7, 23), "スポーツの日");
        Add(h, Date(2021, 8, 8), "山の日");
    } else {
        Add(h, y >= 2003 ? NthMonday(y, 7, 3) : Date(y, 7, 20), "海の日");
        if (y >= 2016) {
            Add(h, Date(y, 8, 11), "山の日");
        }
        Add(h, NthMonday(y, 10, 2), y >= 2020 ? "スポーツの日" : "体育の日");
    }
    Add(h, y >= 2003 ? NthMonday(y, 9, 3) : Date(y, 9, 15), "敬老の日");
    Add(h, Date(y, 9, EquinoxDay(y, 23248800L)), "秋分の日");
    Add(h, Date(y, 11, 3), "文化の日");
    Add(h, Date(y, 11, 23), "勤労感謝の日");
    if (y <= 2018) {
        Add(h, Date(y, 12, 23), "天皇誕生日");
    }
    if (y == 2019) {  // the enthronement (即位)
        Add(h, Date(2019, 4, 30), "国民の休日");
        Add(h, Date(2019, 5, 1), "即位の日");
        Add(h, Date(2019, 5, 2), "国民の休日");
        Add(h, Date(2019, 10, 22), "即位礼正殿の儀の行われる日");
    }
    std::sort(h.begin(), h.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    auto is_holiday = [&h](Date d) {
        return std::any_of(h.begin(), h.end(), [d](const Holiday& x) { return x.date == d; });
    };
    std::vector<Holiday> extra;
    // 国民の休日: a weekday (not Sunday) between two holidays is itself a holiday (Art. 3-3).
    for (std::size_t i = 0; i + 1 < h.size(); ++i) {
        const Date between = h[i].date.AddDays(1);
        if (h[i].date.DaysUntil(h[i + 1].date) == 2 && between.weekday() != 0 && !is_holiday(between)) {
            extra.push_back({between, "国民の休日"});
        }
    }
    // 振替休日: a holiday on a Sunday makes the next day that is not a holiday one (Art. 3-2).
    for (const auto& x : h) {
        if (x.date.weekday() == 0) {
            Date d = x.date.AddDays(1);
            while (is_holiday(d)) {
                d = d.AddDays(1);
            }
            extra.push_back({d, "振替休日"});
        }
    }
    h.insert(h.end(), extra.begin(), extra.end());
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
