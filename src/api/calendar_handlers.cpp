// /api/v1/holidays and /api/v1/calendars.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/japanese_holidays.hpp"

namespace unyo::api {
namespace {

constexpr int kMaxRangeDays = 3 * 366 + 1;

// `from` and `to` (inclusive) as dates, at most about three years apart.
Result<std::pair<calendar::Date, calendar::Date>> DateRange(const Context& ctx) {
    std::vector<FieldError> errors;
    auto read = [&](const char* name) -> std::optional<calendar::Date> {
        const auto raw = ctx.QueryString(name);
        auto d = raw ? calendar::Date::Parse(*raw) : std::nullopt;
        if (!d) {
            errors.push_back({name, "is required as a date (YYYY-MM-DD)"});
        }
        return d;
    };
    const auto from = read("from");
    const auto to = read("to");
    if (from && to && (*to < *from || from->DaysUntil(*to) > kMaxRangeDays)) {
        errors.push_back({"to", "must be on or after from, and at most three years later"});
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors), ErrorCode::kInvalidArgument));
    }
    return std::pair{*from, *to};
}

struct CalendarInput {
    std::optional<std::string> name, description;
    std::optional<calendar::CalendarRules> rules;
};

Result<CalendarInput> ReadCalendar(Context& ctx, bool creating, const calendar::CalendarRules& base) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"name", "description", "time_zone", "weekly", "national_holidays_closed", "year_end_closed",
                 "closed_days", "open_days", "open_day_hours"});
    CalendarInput in;
    in.name = creating || f.Has("name") ? std::optional(f.RequiredString("name", 100)) : std::nullopt;
    in.description = f.OptionalString("description", 2000);
    UNYO_TRY_VOID(f.Finish());
    bool has_rules = false;
    for (const auto& kv : body) {
        has_rules = has_rules || (kv.key() != "name" && kv.key() != "description");
    }
    if (creating || has_rules) {
        in.rules = UNYO_TRY(calendar::RulesFromJson(body, base));
    }
    return in;
}

}  // namespace

Result<http::Response> ListHolidays(Context& ctx) {
    const auto [from, to] = UNYO_TRY(DateRange(ctx));
    json::array items;
    for (int y = from.year(); y <= to.year(); ++y) {
        const auto holidays = UNYO_TRY(calendar::HolidaysOf(y));
        for (const auto& h : holidays) {
            if (h.date >= from && h.date <= to) {
                items.push_back(json::object{{"date", h.date.ToString()}, {"name", h.name}});
            }
        }
    }
    return http::Response::Json(200, json::object{{"items", std::move(items)}});
}

Result<http::Response> ListCalendars(Context& ctx) {
    const auto calendars = UNYO_TRY(ctx.services().calendars.List());
    json::array items;
    for (const auto& c : calendars) {
        items.push_back(calendar::ToJson(c));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateCalendar(Context& ctx) {
    auto in = UNYO_TRY(ReadCalendar(ctx, true, calendar::CalendarRules{}));
    const auto c = UNYO_TRY(
        ctx.services().calendars.Create(*in.name, in.description.value_or(""), std::move(*in.rules), ctx.actor()));
    return CreatedResponse(calendar::ToJson(c), c.version, "/api/v1/calendars/" + std::to_string(c.id));
}

Result<http::Response> GetCalendar(Context& ctx) {
    const auto c = UNYO_TRY(ctx.services().calendars.Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(calendar::ToJson(c), c.version);
}

Result<http::Response> UpdateCalendar(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto current = UNYO_TRY(ctx.services().calendars.Get(id));
    auto in = UNYO_TRY(ReadCalendar(ctx, false, current.rules));
    const auto c =
        UNYO_TRY(ctx.services().calendars.Update(id, version, in.name, in.description, in.rules, ctx.actor()));
    UNYO_TRY_VOID(ctx.services().records.RescheduleSla());  // deadlines on this calendar may move
    return ResourceResponse(calendar::ToJson(c), c.version);
}

Result<http::Response> DeleteCalendar(Context& ctx) {
    UNYO_TRY_VOID(ctx.services().calendars.Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    UNYO_TRY_VOID(ctx.services().records.RescheduleSla());
    return http::Response::NoContent();
}

Result<http::Response> CalendarDays(Context& ctx) {
    const auto stored = UNYO_TRY(ctx.services().calendars.Get(UNYO_TRY(ctx.IdParam())));
    const auto [from, to] = UNYO_TRY(DateRange(ctx));
    const auto cal = UNYO_TRY(calendar::BusinessCalendar::Create(stored.rules));
    json::array items;
    for (auto d = from; d <= to; d = d.AddDays(1)) {
        const auto hours = cal.HoursOf(d);
        items.push_back(json::object{{"date", d.ToString()},
                                     {"open", hours.has_value()},
                                     {"reason", cal.ClosedReason(d)},
                                     {"holiday", calendar::HolidayName(d) ? json::value(*calendar::HolidayName(d))
                                                                          : json::value(nullptr)},
                                     {"hours", calendar::HoursToJson(hours)}});
    }
    return http::Response::Json(200, json::object{{"calendar_id", stored.id}, {"items", std::move(items)}});
}

}  // namespace unyo::api
