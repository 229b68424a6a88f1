// /api/v1/opscal: the operation calendar (events, planned stops and jobnet starts in one list),
// its events, and the iCalendar feed for calendar clients (JOB-1, SLM-3).
#include <algorithm>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

opscal::OpsEvents& E(Context& ctx) { return ctx.services().jobs.events; }

// Everything planned overlapping [from, to): events, planned stops and jobnet starts, by start.
Result<std::vector<opscal::CalendarItem>> Merged(Services& s, Millis from, Millis to) {
    auto items = UNYO_TRY(s.jobs.events.Occurrences(from, to));
    for (const auto& p : UNYO_TRY(s.monitoring.stops.List(from, to))) {
        items.push_back({fmt::format("stop-{}@unyo", p.id), "planned_stop", p.kind, p.title, p.reason,
                         fmt::format("{}", fmt::join(p.services, ", ")), p.starts_at, p.ends_at, p.id});
    }
    for (const auto& n : UNYO_TRY(s.jobs.jobnets.List())) {
        if (!n.enabled || !n.schedule) continue;
        const auto cal = UNYO_TRY(s.jobs.jobnets.CalendarOf(n));
        for (const auto& p : jobs::JobnetStore::Planned(n, cal, from, to)) {
            // Until its end deadline when it has one: the time the batch may take.
            const Millis end = n.end_by ? jobs::NextClockTime(p.at, *n.end_by, cal.rules().utc_offset_minutes) : p.at;
            items.push_back({fmt::format("jobnet-{}-{}@unyo", n.id, p.at), "jobnet", "jobnet", n.name, n.description,
                             n.service, p.at, end, n.id});
        }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const opscal::CalendarItem& a, const opscal::CalendarItem& b) { return a.starts_at < b.starts_at; });
    return items;
}

Result<std::pair<Millis, Millis>> Range(Context& ctx, Millis back, Millis ahead) {
    const Millis now = ctx.services().clock.Now();
    const auto from = UNYO_TRY(ctx.QueryTime("from")).value_or(now - back);
    const auto to = UNYO_TRY(ctx.QueryTime("to")).value_or(now + ahead);
    if (from >= to) return Fail(Error::Field("from", "must be before to", ErrorCode::kInvalidArgument));
    if (to - from > 400 * kDayMs) return Fail(Error::Field("to", "at most 400 days after from", ErrorCode::kInvalidArgument));
    return std::pair{from, to};
}

Result<http::Response> Calendar(Context& ctx) {
    const auto [from, to] = UNYO_TRY(Range(ctx, 0, 31 * kDayMs));
    json::array items;
    for (const auto& i : UNYO_TRY(Merged(ctx.services(), from, to))) items.push_back(opscal::ToJson(i));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> Feed(Context& ctx) {
    UNYO_TRY(E(ctx).FeedUser(ctx.QueryString("token").value_or("")));
    const auto [from, to] = UNYO_TRY(Range(ctx, 31 * kDayMs, 365 * kDayMs));
    http::Response r;
    r.content_type = "text/calendar; charset=utf-8";
    r.body = opscal::ToICalendar(UNYO_TRY(Merged(ctx.services(), from, to)), ctx.services().clock.Now(), "unyo 運用カレンダー");
    r.SetHeader("Cache-Control", "no-store");
    return r;
}

Result<http::Response> NewFeedToken(Context& ctx) {
    const auto token = UNYO_TRY(E(ctx).NewFeedToken(ctx.principal().user_id, ctx.actor()));
    return http::Response::Json(201, json::object{{"token", token}, {"path", "/api/v1/opscal.ics?token=" + token}});
}

Result<http::Response> ListEvents(Context& ctx) {
    json::array items;
    for (const auto& e : UNYO_TRY(E(ctx).List())) items.push_back(opscal::ToJson(e));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateEvent(Context& ctx) {
    const auto e = UNYO_TRY(E(ctx).Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(opscal::ToJson(e), e.version, "/api/v1/opscal/events/" + std::to_string(e.id));
}

Result<http::Response> GetEvent(Context& ctx) {
    const auto e = UNYO_TRY(E(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(opscal::ToJson(e), e.version);
}

Result<http::Response> UpdateEvent(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto e = UNYO_TRY(E(ctx).Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(opscal::ToJson(e), e.version);
}

Result<http::Response> DeleteEvent(Context& ctx) {
    UNYO_TRY_VOID(E(ctx).Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace

void AddOpscalRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/opscal", in, 0, false,
           "The operation calendar between from and to: events, planned stops and jobnet starts", "any signed-in user",
           Calendar});
    r.Add({"GET", "/api/v1/opscal.ics", Access::kPublic, 0, false,
           "The operation calendar as iCalendar (token= from POST /opscal/feed-token)", "anyone with a feed token", Feed});
    r.Add({"POST", "/api/v1/opscal/feed-token", in, 0, false,
           "A new secret for your iCalendar feed (the old one stops working)", "any signed-in user", NewFeedToken});
    r.Add({"GET", "/api/v1/opscal/events", in, 0, false, "Events of the operation plan", "any signed-in user", ListEvents});
    r.Add({"POST", "/api/v1/opscal/events", in, kStaff, true, "Add an event (once or recurring)", staff, CreateEvent});
    r.Add({"GET", "/api/v1/opscal/events/{id}", in, 0, false, "One event", "any signed-in user", GetEvent});
    r.Add({"PATCH", "/api/v1/opscal/events/{id}", in, kStaff, false, "Change an event (If-Match)", staff, UpdateEvent});
    r.Add({"DELETE", "/api/v1/opscal/events/{id}", in, kStaff, false, "Delete an event", staff, DeleteEvent});
}

}  // namespace unyo::api
