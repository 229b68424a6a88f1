#include "jobs/schedule.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace unyo::jobs {
namespace {

using calendar::Date;
using Kind = DayRule::Kind;

constexpr Millis kMinuteMs = 60'000;

// Whether the rule itself picks open days only (so there is nothing to shift).
bool PicksOpenDays(Kind k) { return k == Kind::kEveryOpenDay || k == Kind::kNthOpenDay || k == Kind::kLastOpenDay; }

std::optional<Date> MakeDate(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (!ymd.ok()) return std::nullopt;
    return Date(std::chrono::sys_days{ymd});
}

Date LastOfMonth(int year, unsigned month) {
    const std::chrono::year_month_day_last last{std::chrono::year{year},
                                                std::chrono::month_day_last{std::chrono::month{month}}};
    return Date(std::chrono::sys_days{last});
}

// The day a month-based rule picks in (year, month), if any.
std::optional<Date> PickInMonth(const DayRule& r, const calendar::BusinessCalendar& cal, int year, unsigned month) {
    const Date first(year, month, 1);
    const Date last = LastOfMonth(year, month);
    switch (r.kind) {
        case Kind::kNthOpenDay: {
            int seen = 0;
            for (Date d = first; d <= last; d = d.AddDays(1)) {
                if (cal.IsOpen(d) && ++seen == r.n) return d;
            }
            return std::nullopt;
        }
        case Kind::kLastOpenDay:
            for (Date d = last; d >= first; d = d.AddDays(-1)) {
                if (cal.IsOpen(d)) return d;
            }
            return std::nullopt;
        case Kind::kNthDayFromEnd: {
            const Date d = last.AddDays(-(r.n - 1));
            return d >= first ? std::optional<Date>(d) : std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

// The days the rule names in [lo, hi], before any shift, in order.
std::vector<Date> Nominal(const DayRule& r, const calendar::BusinessCalendar& cal, Date lo, Date hi) {
    std::vector<Date> out;
    switch (r.kind) {
        case Kind::kEveryOpenDay:
        case Kind::kWeekdays:
            for (Date d = lo; d <= hi; d = d.AddDays(1)) {
                if (r.kind == Kind::kEveryOpenDay ? cal.IsOpen(d) : r.weekdays.contains(d.weekday())) out.push_back(d);
            }
            break;
        case Kind::kDates:
            for (const Date d : r.dates) {
                if (d >= lo && d <= hi) out.push_back(d);
            }
            break;
        case Kind::kYearly:
            for (int y = lo.year(); y <= hi.year(); ++y) {
                for (const auto& [m, day] : r.month_days) {
                    if (auto d = MakeDate(y, m, day); d && *d >= lo && *d <= hi) out.push_back(*d);
                }
            }
            break;
        case Kind::kCron:
            for (Date d = lo; d <= hi; d = d.AddDays(1)) {
                if (r.cron && r.cron->MatchesDay(d)) out.push_back(d);
            }
            break;
        case Kind::kNthOpenDay:
        case Kind::kLastOpenDay:
        case Kind::kNthDayFromEnd:
            for (int y = lo.year(), m = static_cast<int>(lo.month());
                 y < hi.year() || (y == hi.year() && m <= static_cast<int>(hi.month()));) {
                if (auto d = PickInMonth(r, cal, y, static_cast<unsigned>(m)); d && *d >= lo && *d <= hi) out.push_back(*d);
                if (++m > 12) {
                    m = 1;
                    ++y;
                }
            }
            break;
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Where a chosen day `d` runs, or nullopt when it does not.
std::optional<Date> Shifted(const Schedule& s, const calendar::BusinessCalendar& cal, Date d) {
    if (PicksOpenDays(s.days.kind) || cal.IsOpen(d)) return d;
    if (s.days.kind == Kind::kCron) return s.shift == Shift::kCancel ? std::nullopt : std::optional<Date>(d);
    switch (s.shift) {
        case Shift::kRun:
            return d;
        case Shift::kCancel:
            return std::nullopt;
        case Shift::kEarlier:
        case Shift::kLater: {
            const int step = s.shift == Shift::kEarlier ? -1 : 1;
            for (int i = 1; i <= s.max_shift_days; ++i) {
                const Date c = d.AddDays(step * i);
                if (cal.IsOpen(c)) return c;
            }
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<ChosenDay> ChosenDays(const Schedule& s, const calendar::BusinessCalendar& cal, Date first, Date last) {
    // A chosen day up to max_shift_days outside the range may shift into it.
    const int margin = std::max(0, s.max_shift_days);
    std::vector<ChosenDay> out;
    for (const Date d : Nominal(s.days, cal, first.AddDays(-margin), last.AddDays(margin))) {
        const auto actual = Shifted(s, cal, d);
        if (actual && *actual >= first && *actual <= last) out.push_back({*actual, d});
    }
    std::sort(out.begin(), out.end(), [](const ChosenDay& a, const ChosenDay& b) {
        return a.day < b.day || (a.day == b.day && a.nominal < b.nominal);
    });
    // Two days shifted onto one run once.
    out.erase(std::unique(out.begin(), out.end(), [](const ChosenDay& a, const ChosenDay& b) { return a.day == b.day; }),
              out.end());
    return out;
}

std::vector<Date> BusinessDays(const Schedule& s, const calendar::BusinessCalendar& cal, Date first, Date last) {
    std::vector<Date> out;
    for (const auto& c : ChosenDays(s, cal, first, last)) out.push_back(c.day);
    return out;
}

Date BusinessDayOf(Millis at, int base_minutes, int utc_offset_minutes) {
    return Date::FromInstant(at - base_minutes * kMinuteMs, utc_offset_minutes);
}

std::vector<Millis> PlannedStarts(const Schedule& s, const calendar::BusinessCalendar& cal, Millis from, Millis to) {
    std::vector<Millis> out;
    if (to <= from) return out;
    const int offset = cal.rules().utc_offset_minutes;
    if (s.days.kind == Kind::kCron) {
        // Clock times on the matching calendar days; a closed business day cancels only with `cancel`.
        if (!s.days.cron) return out;
        const Cron& c = *s.days.cron;
        for (Date d = Date::FromInstant(from, offset); d <= Date::FromInstant(to, offset); d = d.AddDays(1)) {
            if (!c.MatchesDay(d)) continue;
            for (int h = 0; h < 24; ++h) {
                if (!c.hour[h]) continue;
                for (int m = 0; m < 60; ++m) {
                    if (!c.minute[m]) continue;
                    const Millis at = d.StartInstant(offset) + (h * 60 + m) * kMinuteMs;
                    if (at < from || at >= to) continue;
                    if (s.shift == Shift::kCancel && !cal.IsOpen(BusinessDayOf(at, s.base_minutes, offset))) continue;
                    out.push_back(at);
                }
            }
        }
        return out;
    }
    const Date first = BusinessDayOf(from, s.base_minutes, offset);
    const Date last = BusinessDayOf(to, s.base_minutes, offset);
    for (const Date d : BusinessDays(s, cal, first, last)) {
        const Millis midnight = d.StartInstant(offset);
        for (const int t : s.start_minutes) {
            const Millis at = midnight + (t < s.base_minutes ? t + 24 * 60 : t) * kMinuteMs;
            if (at >= from && at < to) out.push_back(at);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// --- cron ---------------------------------------------------------------------------------------

namespace {

// One field: "*", "a", "a-b", each with an optional "/step", joined by ",". Sets bits lo..hi.
template <std::size_t N>
std::optional<std::string> ParseCronField(std::string_view text, int lo, int hi, std::bitset<N>& bits) {
    const auto number = [](std::string_view t, int& out) {
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return ec == std::errc{} && end == t.data() + t.size();
    };
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view part = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        int step = 1;
        if (const auto slash = part.find('/'); slash != std::string_view::npos) {
            if (!number(part.substr(slash + 1), step) || step < 1) return fmt::format("bad step in '{}'", part);
            part = part.substr(0, slash);
        }
        int a = lo, b = hi;
        if (part != "*") {
            const auto dash = part.find('-');
            if (!number(part.substr(0, dash), a) || (dash != std::string_view::npos && !number(part.substr(dash + 1), b))) {
                return fmt::format("'{}' is not a number, range or *", part);
            }
            if (dash == std::string_view::npos) b = step > 1 ? hi : a;
        }
        if (a < lo || b > hi || a > b) return fmt::format("'{}' is outside {}–{}", part, lo, hi);
        for (int v = a; v <= b; v += step) bits.set(static_cast<std::size_t>(v));
    }
    return std::nullopt;
}

}  // namespace

Result<Cron> Cron::Parse(std::string_view text, const std::string& field) {
    std::vector<std::string_view> parts;
    for (std::size_t i = 0; i < text.size();) {
        const auto start = text.find_first_not_of(' ', i);
        if (start == std::string_view::npos) break;
        const auto end = std::min(text.find(' ', start), text.size());
        parts.push_back(text.substr(start, end - start));
        i = end;
    }
    if (parts.size() != 5) return Fail(Error::Field(field, "must have five fields: minute hour day month weekday"));
    Cron c;
    std::bitset<8> weekday;
    const char* names[] = {"minute", "hour", "day", "month", "weekday"};
    std::optional<std::string> why;
    int failed = 0;
    for (int i = 0; i < 5 && !why; ++i) {
        failed = i;
        switch (i) {
            case 0: why = ParseCronField(parts[0], 0, 59, c.minute); break;
            case 1: why = ParseCronField(parts[1], 0, 23, c.hour); break;
            case 2: why = ParseCronField(parts[2], 1, 31, c.day); break;
            case 3: why = ParseCronField(parts[3], 1, 12, c.month); break;
            default: why = ParseCronField(parts[4], 0, 7, weekday); break;
        }
    }
    if (why) return Fail(Error::Field(field, fmt::format("{}: {}", names[failed], *why)));
    for (int d = 0; d < 7; ++d) c.weekday[d] = weekday[d] || (d == 0 && weekday[7]);
    c.any_day = parts[2] == "*";
    c.any_weekday = parts[4] == "*";
    return c;
}

bool Cron::MatchesDay(Date d) const {
    if (!month[d.month()]) return false;
    const bool by_day = day[d.day()], by_weekday = weekday[d.weekday()];
    if (!any_day && !any_weekday) return by_day || by_weekday;
    return by_day && by_weekday;
}

// --- JSON ---------------------------------------------------------------------------------------

namespace {

constexpr std::pair<std::string_view, Kind> kRules[] = {
    {"every_open_day", Kind::kEveryOpenDay}, {"weekdays", Kind::kWeekdays},
    {"nth_open_day", Kind::kNthOpenDay},     {"last_open_day", Kind::kLastOpenDay},
    {"nth_day_from_end", Kind::kNthDayFromEnd}, {"dates", Kind::kDates},
    {"yearly", Kind::kYearly},               {"cron", Kind::kCron}};
constexpr std::pair<std::string_view, Shift> kShifts[] = {
    {"earlier", Shift::kEarlier}, {"later", Shift::kLater}, {"cancel", Shift::kCancel}, {"run", Shift::kRun}};

// "HH:MM" within the day (not the "24:00" that ends one).
std::optional<int> ClockMinutes(std::string_view t) {
    const auto m = calendar::ParseClock(t);
    return m && *m < 24 * 60 ? m : std::nullopt;
}

// A window from == to is the whole day (no window).
bool InWindow(int t, int from, int to) { return from == to || (from < to ? t >= from && t < to : t >= from || t < to); }

}  // namespace

Result<DayRule> DayRuleFromJson(const json::object& d) {
    DayRule r;
    FieldReader df(d);
    df.AllowOnly({"rule", "weekdays", "n", "dates", "month_days", "cron"});
    const auto rule = df.RequiredString("rule", 40);
    const auto* it = std::find_if(std::begin(kRules), std::end(kRules), [&](const auto& p) { return p.first == rule; });
    if (!rule.empty() && it == std::end(kRules)) {
        df.AddError("rule", "must be every_open_day, weekdays, nth_open_day, last_open_day, nth_day_from_end, "
                            "dates, yearly or cron");
    }
    if (it != std::end(kRules)) r.kind = it->second;
    const Kind k = r.kind;
    if (auto n = df.OptionalInt("n", 1, 31)) r.n = static_cast<int>(*n);
    if ((k == Kind::kNthOpenDay || k == Kind::kNthDayFromEnd) && !d.contains("n")) df.AddError("n", "is required for this rule");
    if (const auto* w = d.if_contains("weekdays"); w && w->is_array()) {
        for (const auto& v : w->as_array()) {
            if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > 6) {
                df.AddError("weekdays", "must be numbers 0 (Sunday) to 6 (Saturday)");
                break;
            }
            r.weekdays.insert(static_cast<unsigned>(v.as_int64()));
        }
    }
    if (k == Kind::kWeekdays && r.weekdays.empty()) df.AddError("weekdays", "give at least one weekday");
    for (const auto& text : df.OptionalStrings("dates").value_or(std::vector<std::string>{})) {
        if (auto date = Date::Parse(text)) {
            r.dates.push_back(*date);
        } else {
            df.AddError("dates", fmt::format("'{}' is not a day YYYY-MM-DD", text));
        }
    }
    if (k == Kind::kDates && r.dates.empty()) df.AddError("dates", "give at least one day");
    for (const auto& text : df.OptionalStrings("month_days").value_or(std::vector<std::string>{})) {
        int m = 0, dd = 0;
        const bool ok = text.size() == 5 && text[2] == '-' &&
                        std::from_chars(text.data(), text.data() + 2, m).ec == std::errc{} &&
                        std::from_chars(text.data() + 3, text.data() + 5, dd).ec == std::errc{} &&
                        MakeDate(2000, static_cast<unsigned>(m), static_cast<unsigned>(dd)).has_value();  // a leap year
        if (ok) {
            r.month_days.emplace_back(m, dd);
        } else {
            df.AddError("month_days", fmt::format("'{}' is not a day of the year MM-DD", text));
        }
    }
    if (k == Kind::kYearly && r.month_days.empty()) df.AddError("month_days", "give at least one MM-DD");
    if (auto cron = df.OptionalString("cron", 200)) {
        if (auto c = Cron::Parse(*cron)) {
            r.cron = *c;
            r.cron_text = *cron;
        } else {
            df.AddErrors("", c.error());
        }
    }
    if (k == Kind::kCron && !d.contains("cron")) df.AddError("cron", "is required for this rule");
    UNYO_TRY_VOID(df.Finish());
    return r;
}

Result<Schedule> ScheduleFromJson(const json::object& body) {
    Schedule s;
    FieldReader f(body);
    f.AllowOnly({"days", "start_times", "base_time", "shift", "max_shift_days", "window"});
    if (auto m = calendar::ReadClock(f, "base_time")) s.base_minutes = *m;
    if (auto shift = f.OptionalString("shift", 20)) {
        const auto* it = std::find_if(std::begin(kShifts), std::end(kShifts), [&](const auto& p) { return p.first == *shift; });
        if (it == std::end(kShifts)) {
            f.AddError("shift", "must be earlier, later, cancel or run");
        } else {
            s.shift = it->second;
        }
    }
    if (auto n = f.OptionalInt("max_shift_days", 0, 31)) s.max_shift_days = static_cast<int>(*n);
    if (const auto* w = body.if_contains("window")) {
        if (!w->is_object()) {
            f.AddError("window", "must be an object {from, to}");
        } else {
            FieldReader wf(w->as_object());
            wf.AllowOnly({"from", "to"});
            if (auto m = calendar::ReadClock(wf, "from")) s.window_from = *m;
            if (auto m = calendar::ReadClock(wf, "to")) s.window_to = *m;
            if (auto r = wf.Finish(); !r) {
                f.AddErrors("window", r.error());
            }
        }
    }
    const auto* days = body.if_contains("days");
    if (days == nullptr || !days->is_object()) {
        f.AddError("days", "is required: an object with a rule");
    } else if (auto rule = DayRuleFromJson(days->as_object())) {
        s.days = std::move(*rule);
    } else {
        f.AddErrors("days", rule.error());
    }
    const bool cron = s.days.kind == Kind::kCron;
    for (const auto& text : f.OptionalStrings("start_times").value_or(std::vector<std::string>{})) {
        if (auto m = ClockMinutes(text)) {
            s.start_minutes.push_back(*m);
        } else {
            f.AddError("start_times", fmt::format("'{}' is not a time HH:MM", text));
        }
    }
    if (cron && !s.start_minutes.empty()) f.AddError("start_times", "a cron rule gives its own times");
    if (!cron && !body.contains("start_times")) f.AddError("start_times", "give at least one start time HH:MM");
    // Every start inside the batch window (JOB-3).
    std::vector<int> starts = s.start_minutes;
    if (cron && s.days.cron) {
        for (int h = 0; h < 24; ++h) {
            for (int m = 0; m < 60; ++m) {
                if (s.days.cron->hour[h] && s.days.cron->minute[m]) starts.push_back(h * 60 + m);
            }
        }
    }
    for (const int t : starts) {
        if (!InWindow(t, s.window_from, s.window_to)) {
            f.AddError(cron ? "days.cron" : "start_times",
                       fmt::format("{} is outside the batch window {}–{}", calendar::FormatClock(t),
                                   calendar::FormatClock(s.window_from), calendar::FormatClock(s.window_to)));
            break;
        }
    }
    std::sort(s.start_minutes.begin(), s.start_minutes.end());
    s.start_minutes.erase(std::unique(s.start_minutes.begin(), s.start_minutes.end()), s.start_minutes.end());
    UNYO_TRY_VOID(f.Finish());
    return s;
}

json::object ToJson(const DayRule& r) {
    json::object days;
    const auto* rule = std::find_if(std::begin(kRules), std::end(kRules), [&](const auto& p) { return p.second == r.kind; });
    days["rule"] = rule->first;
    switch (r.kind) {
        case Kind::kWeekdays: days["weekdays"] = json::value_from(std::vector<unsigned>(r.weekdays.begin(), r.weekdays.end())); break;
        case Kind::kNthOpenDay:
        case Kind::kNthDayFromEnd: days["n"] = r.n; break;
        case Kind::kDates: {
            json::array a;
            for (const auto& d : r.dates) a.push_back(json::value(d.ToString()));
            days["dates"] = std::move(a);
            break;
        }
        case Kind::kYearly: {
            json::array a;
            for (const auto& [m, d] : r.month_days) a.push_back(json::value(fmt::format("{:02}-{:02}", m, d)));
            days["month_days"] = std::move(a);
            break;
        }
        case Kind::kCron: days["cron"] = r.cron_text; break;
        default: break;
    }
    return days;
}

json::object ToJson(const Schedule& s) {
    json::object days = ToJson(s.days);
    json::array starts;
    for (const int t : s.start_minutes) starts.push_back(json::value(calendar::FormatClock(t)));
    const auto* shift = std::find_if(std::begin(kShifts), std::end(kShifts), [&](const auto& p) { return p.second == s.shift; });
    return {{"days", std::move(days)},
            {"start_times", std::move(starts)},
            {"base_time", calendar::FormatClock(s.base_minutes)},
            {"shift", shift->first},
            {"max_shift_days", s.max_shift_days},
            {"window", json::object{{"from", calendar::FormatClock(s.window_from)},
                                    {"to", calendar::FormatClock(s.window_to)}}}};
}

}  // namespace unyo::jobs
