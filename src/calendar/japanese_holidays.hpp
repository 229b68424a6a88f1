#pragma once
// Japanese national holidays (国民の祝日に関する法律, in force since 1948-07-20) as the law stood on
// each day: fixed and Happy Monday days, equinox days, substitute holidays (振替休日, 1973 and
// 2007 rules), citizens' holidays (国民の休日, from 1985), the days of their own laws (1959, 1989,
// 1990, 1993, 2019) and the Olympic moves of 2020/2021. Pure; safe from any thread.

#include <optional>
#include <string>
#include <vector>

#include "calendar/civil_date.hpp"
#include "core/error.hpp"

namespace unyo::calendar {

struct Holiday {
    Date date;
    std::string name;  // Japanese name, e.g. "振替休日"
};

/// First and last year whose holidays are computed (the equinox formula's range).
constexpr int kFirstHolidayYear = 1948;
constexpr int kLastHolidayYear = 2099;

/// Every national holiday of `year`, in date order. Error::Field("year") outside the range.
[[nodiscard]] Result<std::vector<Holiday>> HolidaysOf(int year);

/// The holiday's name when `d` is a national holiday; nullopt otherwise (also outside the range).
[[nodiscard]] std::optional<std::string> HolidayName(Date d);

}  // namespace unyo::calendar
