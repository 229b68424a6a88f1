#include "calendar/calendar_store.hpp"

#include <array>

#include <algorithm>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::calendar {
namespace {

constexpr std::array<const char*, 7> kWeekdayKeys{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// Reads {open, close}; adds an error named `field` when malformed.
std::optional<Hours> ReadHours(const json::value& v, const std::string& field, std::vector<FieldError>& errors) {
    const auto* obj = v.if_object();
    const auto* open = obj ? obj->if_contains("open") : nullptr;
    const auto* close = obj ? obj->if_contains("close") : nullptr;
    std::optional<int> o, c;
    if (open && open->is_string()) o = ParseClock(open->as_string());
    if (close && close->is_string()) c = ParseClock(close->as_string());
    if (!o || !c || *o >= *c) {
        errors.push_back({field, "must be {\"open\": \"HH:MM\", \"close\": \"HH:MM\"} with open before close"});
        return std::nullopt;
    }
    return Hours{*o, *c};
}

std::set<Date> ReadDays(const json::value& v, const std::string& field, std::vector<FieldError>& errors) {
    std::set<Date> out;
    const auto* arr = v.if_array();
    if (arr == nullptr) {
        errors.push_back({field, "must be an array of dates (YYYY-MM-DD)"});
        return out;
    }
    for (const auto& item : *arr) {
        std::optional<Date> d;
        if (item.is_string()) d = Date::Parse(item.as_string());
        if (!d) {
            errors.push_back({field, fmt::format("{} is not a date (YYYY-MM-DD)", json::serialize(item))});
            continue;
        }
        out.insert(*d);
    }
    return out;
}

json::array DaysJson(const std::set<Date>& days) {
    json::array out;
    for (const auto& d : days) {
        out.emplace_back(d.ToString());
    }
    return out;
}

StoredCalendar FromRow(const storage::Row& r) {
    StoredCalendar c;
    c.id = r.Int(0);
    c.name = r.Text(1);
    c.description = r.Text(2);
    c.rules = RulesFromJson(ParseObjectOrEmpty(r.Text(3)), {}).value_or(CalendarRules{});
    c.created_at = r.Int(4);
    c.updated_at = r.Int(5);
    c.version = r.Int(6);
    return c;
}

constexpr const char* kColumns = "id, name, description, rules_json, created_at, updated_at, version";

Error NameTaken(const Error& e, const std::string& name) {
    if (e.code != ErrorCode::kConflict) {
        return e;
    }
    return Error::Field("name", fmt::format("a calendar named \"{}\" already exists", name), ErrorCode::kConflict);
}

}  // namespace

json::object RulesToJson(const CalendarRules& r) {
    json::object weekly;
    for (std::size_t i = 0; i < kWeekdayKeys.size(); ++i) {
        weekly[kWeekdayKeys[i]] = HoursToJson(r.weekly[i]);
    }
    return {{"time_zone", r.utc_offset_minutes == 0 ? "UTC" : "Asia/Tokyo"},
            {"weekly", std::move(weekly)},
            {"national_holidays_closed", r.closed_on_national_holidays},
            {"year_end_closed", r.closed_at_year_end},
            {"closed_days", DaysJson(r.extra_closed)},
            {"open_days", DaysJson(r.extra_open)},
            {"open_day_hours", HoursToJson(r.extra_open_hours)}};
}

Result<CalendarRules> RulesFromJson(const json::object& obj, CalendarRules r) {
    std::vector<FieldError> errors;
    if (const auto* tz = obj.if_contains("time_zone")) {
        if (tz->is_string() && tz->as_string() == "Asia/Tokyo") {
            r.utc_offset_minutes = 9 * 60;
        } else if (tz->is_string() && tz->as_string() == "UTC") {
            r.utc_offset_minutes = 0;
        } else {
            errors.push_back({"time_zone", "must be Asia/Tokyo or UTC"});
        }
    }
    if (const auto* weekly = obj.if_contains("weekly")) {
        if (!weekly->is_object()) {
            errors.push_back({"weekly", "must be an object with sun … sat"});
        } else {
            for (const auto& kv : weekly->as_object()) {
                const auto it = std::find(kWeekdayKeys.begin(), kWeekdayKeys.end(), std::string_view(kv.key()));
                if (it == kWeekdayKeys.end()) {
                    errors.push_back({"weekly", fmt::format("\"{}\" is not one of sun, mon, tue, wed, thu, fri, sat",
                                                            std::string_view(kv.key()))});
                    continue;
                }
                const auto idx = static_cast<std::size_t>(it - kWeekdayKeys.begin());
                r.weekly[idx] = kv.value().is_null()
                                    ? std::nullopt
                                    : ReadHours(kv.value(), fmt::format("weekly.{}", *it), errors);
            }
        }
    }
    for (auto [key, target] : {std::pair{"national_holidays_closed", &r.closed_on_national_holidays},
                               std::pair{"year_end_closed", &r.closed_at_year_end}}) {
        if (const auto* v = obj.if_contains(key)) {
            if (v->is_bool()) {
                *target = v->as_bool();
            } else {
                errors.push_back({key, "must be true or false"});
            }
        }
    }
    if (const auto* v = obj.if_contains("closed_days")) r.extra_closed = ReadDays(*v, "closed_days", errors);
    if (const auto* v = obj.if_contains("open_days")) r.extra_open = ReadDays(*v, "open_days", errors);
    if (const auto* v = obj.if_contains("open_day_hours")) {
        if (auto h = ReadHours(*v, "open_day_hours", errors)) r.extra_open_hours = *h;
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors)));
    }
    UNYO_TRY(BusinessCalendar::Create(r));
    return r;
}

json::value HoursToJson(const std::optional<Hours>& h) {
    if (!h) {
        return nullptr;
    }
    return json::object{{"open", FormatClock(h->open)}, {"close", FormatClock(h->close)}};
}

json::object ToJson(const StoredCalendar& c) {
    json::object o{{"id", c.id}, {"name", c.name}, {"description", c.description}};
    for (auto& kv : RulesToJson(c.rules)) {
        o[kv.key()] = kv.value();
    }
    o["created_at"] = FormatRfc3339(c.created_at);
    o["updated_at"] = FormatRfc3339(c.updated_at);
    o["version"] = c.version;
    return o;
}

Result<StoredCalendar> CalendarStore::Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM calendars WHERE id = $1", kColumns), {id}));
    if (rows.empty()) {
        return Fail(Error::NotFound(fmt::format("calendar {} does not exist", id)));
    }
    return FromRow(rows.front());
}

Result<std::vector<StoredCalendar>> CalendarStore::List() {
    return db_.Read([](storage::Connection& c) -> Result<std::vector<StoredCalendar>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM calendars ORDER BY id", kColumns)));
        std::vector<StoredCalendar> out;
        for (const auto& r : rows.rows) {
            out.push_back(FromRow(r));
        }
        return out;
    });
}

Result<StoredCalendar> CalendarStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<StoredCalendar> CalendarStore::Create(std::string name, std::string description, CalendarRules rules,
                                             const audit::Actor& actor) {
    if (name.empty()) {
        return Fail(Error::Field("name", "is required"));
    }
    StoredCalendar cal{0, std::move(name), std::move(description), std::move(rules), clock_.Now(), clock_.Now(), 1};
    return db_.Write([&](storage::Connection& c) -> Result<StoredCalendar> {
        auto rows = c.Query(
            "INSERT INTO calendars (name, description, rules_json, created_at, updated_at, version) "
            "VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
            {cal.name, cal.description, json::serialize(RulesToJson(cal.rules)), cal.created_at, cal.updated_at});
        if (!rows) {
            return Fail(NameTaken(rows.error(), cal.name));
        }
        cal.id = rows->front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"calendar.create", "calendar", std::to_string(cal.id), nullptr, ToJson(cal)},
                               cal.created_at));
        return cal;
    });
}

Result<StoredCalendar> CalendarStore::Update(std::int64_t id, std::int64_t expected_version,
                                             const std::optional<std::string>& name,
                                             const std::optional<std::string>& description,
                                             const std::optional<CalendarRules>& rules, const audit::Actor& actor) {
    if (name && name->empty()) {
        return Fail(Error::Field("name", "must not be empty"));
    }
    return db_.Write([&](storage::Connection& c) -> Result<StoredCalendar> {
        const StoredCalendar before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("calendar {} was changed by someone else (now version {}); reload and retry", id,
                                     before.version),
                         {}});
        }
        StoredCalendar after = before;
        if (name) after.name = *name;
        if (description) after.description = *description;
        if (rules) after.rules = *rules;
        after.updated_at = clock_.Now();
        after.version = before.version + 1;
        auto n = c.Exec(
            "UPDATE calendars SET name = $1, description = $2, rules_json = $3, updated_at = $4, version = $5 "
            "WHERE id = $6 AND version = $7",
            {after.name, after.description, json::serialize(RulesToJson(after.rules)), after.updated_at, after.version,
             id, expected_version});
        if (!n) {
            return Fail(NameTaken(n.error(), after.name));
        }
        UNYO_TRY(audit::Append(c, actor,
                               {"calendar.update", "calendar", std::to_string(id), ToJson(before), ToJson(after)},
                               after.updated_at));
        return after;
    });
}

Result<void> CalendarStore::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const StoredCalendar before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM calendars WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"calendar.delete", "calendar", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
}

}  // namespace unyo::calendar
