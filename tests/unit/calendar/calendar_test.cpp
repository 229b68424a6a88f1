#include <cstdlib>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "calendar/business_calendar.hpp"
#include "calendar/civil_date.hpp"
#include "calendar/japanese_holidays.hpp"

namespace unyo::calendar {
namespace {

std::vector<std::string> Names(int year) {
    std::vector<std::string> out;
    const auto holidays = HolidaysOf(year).value();
    for (const auto& h : holidays) {
        out.push_back(h.date.ToString() + " " + h.name);
    }
    return out;
}

TEST(JapaneseHolidaysTest, Year2026MatchesTheCabinetOfficeList) {
    // 内閣府「国民の祝日について」令和8年.
    EXPECT_EQ(Names(2026), (std::vector<std::string>{
                               "2026-01-01 元日", "2026-01-12 成人の日", "2026-02-11 建国記念の日",
                               "2026-02-23 天皇誕生日", "2026-03-20 春分の日", "2026-04-29 昭和の日",
                               "2026-05-03 憲法記念日", "2026-05-04 みどりの日", "2026-05-05 こどもの日",
                               "2026-05-06 振替休日", "2026-07-20 海の日", "2026-08-11 山の日",
                               "2026-09-21 敬老の日", "2026-09-22 国民の休日", "2026-09-23 秋分の日",
                               "2026-10-12 スポーツの日", "2026-11-03 文化の日", "2026-11-23 勤労感謝の日"}));
}

TEST(JapaneseHolidaysTest, Year2025SubstituteHolidays) {
    const auto names = Names(2025);
    for (const char* expected : {"2025-02-24 振替休日", "2025-05-06 振替休日", "2025-11-24 振替休日",
                                 "2025-03-20 春分の日", "2025-09-23 秋分の日"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
    EXPECT_EQ(names.size(), 19u);
}

TEST(JapaneseHolidaysTest, OneOffDaysOf2019To2021) {
    EXPECT_EQ(HolidayName(Date(2019, 5, 1)), "即位の日");
    EXPECT_EQ(HolidayName(Date(2019, 10, 22)), "即位礼正殿の儀の行われる日");
    EXPECT_EQ(HolidayName(Date(2021, 7, 23)), "スポーツの日");
    EXPECT_EQ(HolidayName(Date(2021, 8, 9)), "振替休日") << "山の日 on Sunday 8/8";
    EXPECT_FALSE(HolidayName(Date(2021, 10, 11)).has_value()) << "Sports Day moved away that year";
    EXPECT_FALSE(HolidayName(Date(2019, 2, 23)).has_value()) << "no Emperor's Birthday in 2019";
}

// The name the Cabinet Office's list (内閣府 syukujitsu.csv) gives a day we name more precisely.
std::string CabinetOfficeName(const Holiday& h) {
    if (h.name == "振替休日" || h.name == "国民の休日") {
        return "休日";
    }
    if (h.date == Date(2019, 5, 1) || h.date == Date(2019, 10, 22)) {
        return "休日（祝日扱い）";
    }
    if (h.date == Date(2019, 10, 14)) {
        return "体育の日（スポーツの日）";
    }
    return h.name;
}

// Every date of the official list, and nothing else, for every year it covers. The list comes from
// the npm package japanese-public-holidays (installed by `make test`; UNYO_HOLIDAYS_CSV).
TEST(JapaneseHolidaysTest, MatchesTheCabinetOfficeListForEveryYear) {
    const char* path = std::getenv("UNYO_HOLIDAYS_CSV");
    if (path == nullptr) {
        GTEST_SKIP() << "set UNYO_HOLIDAYS_CSV to the package's index.csv (make test does)";
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot read " << path;
    std::map<Date, std::string> official;
    std::string line;
    std::getline(in, line);
    ASSERT_EQ(line, "date,name");
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        const auto comma = line.find(',');
        auto d = Date::Parse(line.substr(0, comma));
        ASSERT_TRUE(d) << line;
        official[*d] = line.substr(comma + 1);
    }
    ASSERT_GT(official.size(), 1000u);
    const int first = official.begin()->first.year();
    const int last = official.rbegin()->first.year();
    std::size_t compared = 0;
    for (int y = first; y <= last; ++y) {
        const auto ours = HolidaysOf(y).value();
        for (const auto& h : ours) {
            auto it = official.find(h.date);
            EXPECT_NE(it, official.end()) << h.date.ToString() << " " << h.name << " is not in the official list";
            if (it != official.end()) {
                EXPECT_EQ(CabinetOfficeName(h), it->second) << h.date.ToString();
                ++compared;
            }
        }
    }
    EXPECT_EQ(compared, official.size()) << "every official holiday from " << first << " to " << last;
}

TEST(JapaneseHolidaysTest, Since1948) {
    EXPECT_EQ(Names(1948), (std::vector<std::string>{"1948-09-23 秋分の日", "1948-11-03 文化の日",
                                                     "1948-11-23 勤労感謝の日"}))
        << "the law took effect on 1948-07-20";
    EXPECT_EQ(HolidayName(Date(1973, 4, 30)), "振替休日") << "the first substitute holiday";
    EXPECT_FALSE(HolidayName(Date(1967, 1, 16)).has_value()) << "no substitute day before 1973";
}

TEST(JapaneseHolidaysTest, OutsideTheRangeIsAnError) {
    EXPECT_FALSE(HolidaysOf(1947));
    EXPECT_FALSE(HolidaysOf(2100));
    EXPECT_FALSE(HolidayName(Date(2150, 1, 1)).has_value());
}

TEST(CivilDateTest, ParsesAndFormats) {
    EXPECT_EQ(Date::Parse("2026-11-23")->ToString(), "2026-11-23");
    EXPECT_FALSE(Date::Parse("2026-02-29"));
    EXPECT_FALSE(Date::Parse("2026/11/23"));
    EXPECT_EQ(Date(2026, 11, 23).weekday(), 1u);
    EXPECT_EQ(Date::FromInstant(1'774'969'200'000), Date(2026, 4, 1)) << "15:00 UTC is midnight JST";
    EXPECT_EQ(Date(2026, 4, 1).StartInstant(), 1'774'969'200'000);
}

TEST(CivilDateTest, FiscalYearStartsInApril) {
    EXPECT_EQ(FiscalYear(Date(2027, 3, 31)), 2026);
    EXPECT_EQ(FiscalYear(Date(2027, 4, 1)), 2027);
}

TEST(CivilDateTest, Wareki) {
    EXPECT_EQ(ToWareki(Date(2026, 11, 23)), "令和8年11月23日");
    EXPECT_EQ(ToWareki(Date(2019, 5, 1)), "令和元年5月1日");
    EXPECT_EQ(ToWareki(Date(2019, 4, 30)), "平成31年4月30日");
    EXPECT_EQ(ToWareki(Date(1989, 1, 7)), "昭和64年1月7日");
    EXPECT_FALSE(ToWareki(Date(1872, 12, 31)));
}

BusinessCalendar Municipal() { return BusinessCalendar::Create({}).value(); }

TEST(BusinessCalendarTest, ClosedOnWeekendsHolidaysAndYearEnd) {
    const auto cal = Municipal();
    EXPECT_EQ(cal.ClosedReason(Date(2026, 11, 23)), "勤労感謝の日");
    EXPECT_EQ(cal.ClosedReason(Date(2026, 11, 22)), "日曜日");
    EXPECT_EQ(cal.ClosedReason(Date(2026, 12, 29)), "年末年始");
    EXPECT_TRUE(cal.IsOpen(Date(2026, 11, 24)));
    EXPECT_EQ(cal.NextOpen(Date(2026, 12, 28), true).value(), Date(2027, 1, 4));
    EXPECT_EQ(cal.AddOpenDays(Date(2026, 5, 1), 1).value(), Date(2026, 5, 7)) << "across Golden Week";
}

TEST(BusinessCalendarTest, OperatingDaysOverrideClosures) {
    CalendarRules r;
    r.extra_open.insert(Date(2026, 11, 23));
    r.extra_closed.insert(Date(2026, 11, 24));
    const auto cal = BusinessCalendar::Create(r).value();
    EXPECT_TRUE(cal.IsOpen(Date(2026, 11, 23)));
    EXPECT_EQ(cal.ClosedReason(Date(2026, 11, 24)), "休業日");
}

TEST(BusinessCalendarTest, DeadlinesCountBusinessHoursOnly) {
    const auto cal = Municipal();
    // Friday 2026-11-20 16:15 JST + 3 business hours: 1 h on Friday, Monday 11/23 is a holiday,
    // so 2 h on Tuesday from 08:30 → Tuesday 10:30 JST.
    const Millis start = Date(2026, 11, 20).StartInstant() + (16 * 60 + 15) * kMinuteMs;
    const Millis due = cal.AddBusinessTime(start, 3 * kHourMs).value();
    EXPECT_EQ(due, Date(2026, 11, 24).StartInstant() + (10 * 60 + 30) * kMinuteMs);
    EXPECT_EQ(cal.BusinessTimeBetween(start, due), 3 * kHourMs);
}

TEST(BusinessCalendarTest, HoursPerWeekday) {
    CalendarRules r;
    r.weekly[6] = Hours{9 * 60, 12 * 60};  // Saturday mornings
    const auto cal = BusinessCalendar::Create(r).value();
    // Friday 17:00 + 2 h: 15 min on Friday, 1 h 45 min on Saturday from 09:00.
    const Millis start = Date(2026, 11, 27).StartInstant() + 17 * kHourMs;
    EXPECT_EQ(cal.AddBusinessTime(start, 2 * kHourMs).value(),
              Date(2026, 11, 28).StartInstant() + (10 * 60 + 45) * kMinuteMs);
    EXPECT_EQ(cal.HoursOf(Date(2026, 11, 28)), (Hours{9 * 60, 12 * 60}));
    EXPECT_FALSE(cal.HoursOf(Date(2026, 11, 29)).has_value());
}

TEST(BusinessCalendarTest, AlwaysOpenIsElapsedTime) {
    const auto cal = BusinessCalendar::Create(CalendarRules::AlwaysOpen()).value();
    const Millis start = Date(2026, 12, 31).StartInstant() + 20 * kHourMs;
    EXPECT_EQ(cal.AddBusinessTime(start, 12 * kHourMs).value(), start + 12 * kHourMs);
    EXPECT_EQ(cal.BusinessTimeBetween(start, start + 30 * kHourMs), 30 * kHourMs);
}

TEST(BusinessCalendarTest, RejectsImpossibleHours) {
    CalendarRules r;
    r.weekly[3] = Hours{600, 540};
    auto cal = BusinessCalendar::Create(r);
    ASSERT_FALSE(cal);
    EXPECT_EQ(cal.error().fields.at(0).field, "weekly[3]");
    CalendarRules closed;
    closed.weekly.fill(std::nullopt);
    closed.closed_on_national_holidays = false;
    EXPECT_FALSE(BusinessCalendar::Create(closed).value().NextOpen(Date(2026, 1, 1)));
}

}  // namespace
}  // namespace unyo::calendar
