// /api/v1/escalation-routes: the escalation route (体制図, issue 7: INC-9) as data, and an
// incident's escalation along it: /api/v1/incidents/{id}/escalation (where it stands) and
// /escalate (tell the next level now). docs/escalation.md.
#include <fmt/format.h>

#include "alerts/escalation.hpp"
#include "api/routes.hpp"
#include "records/workflow.hpp"

namespace unyo::api {
namespace {

alerts::EscalationRoutes Store(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }
Millis Now(Context& ctx) { return ctx.services().clock.Now(); }

Result<http::Response> ListRoutes(Context& ctx) {
    json::array items;
    for (const auto& r : UNYO_TRY(Store(ctx).List())) items.push_back(alerts::ToJson(r, Now(ctx)));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateRoute(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(alerts::ToJson(r, Now(ctx)), r.version, "/api/v1/escalation-routes/" + std::to_string(r.id));
}

Result<http::Response> GetRoute(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(alerts::ToJson(r, Now(ctx)), r.version);
}

Result<http::Response> UpdateRoute(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto r = UNYO_TRY(Store(ctx).Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(alerts::ToJson(r, Now(ctx)), r.version);
}

Result<http::Response> DeleteRoute(Context& ctx) {
    UNYO_TRY_VOID(Store(ctx).Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

// The incident, if the caller may see it (404 otherwise, as for the record itself).
Result<std::int64_t> VisibleIncident(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto* w = records::WorkflowByKind("incident");
    UNYO_TRY(ctx.services().records.Get(*w, id, ctx.principal()));
    return id;
}

Result<http::Response> IncidentEscalation(Context& ctx) {
    const auto id = UNYO_TRY(VisibleIncident(ctx));
    return http::Response::Json(200, UNYO_TRY(ctx.services().monitoring.alerts.EscalationOf(id)));
}

Result<http::Response> Escalate(Context& ctx) {
    const auto id = UNYO_TRY(VisibleIncident(ctx));
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"comment"});
    const auto comment = f.OptionalString("comment", 2000).value_or("");
    UNYO_TRY_VOID(f.Finish());
    const auto out = UNYO_TRY(ctx.services().monitoring.alerts.EscalateIncident(id, comment, ctx.actor()));
    ctx.services().monitoring.outbox.Wake();
    return http::Response::Json(200, out);
}

}  // namespace

void AddEscalationRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const auth::RoleSet workers = kStaff | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    r.Add({"GET", "/api/v1/escalation-routes", in, readers, false, "Escalation routes (体制図)", reader_note, ListRoutes});
    r.Add({"POST", "/api/v1/escalation-routes", in, kPlanners, true, "Define an escalation route", "admin, manager", CreateRoute});
    r.Add({"GET", "/api/v1/escalation-routes/{id}", in, readers, false, "One escalation route", reader_note, GetRoute});
    r.Add({"PATCH", "/api/v1/escalation-routes/{id}", in, kPlanners, false, "Change or confirm an escalation route (If-Match)",
           "admin, manager", UpdateRoute});
    r.Add({"DELETE", "/api/v1/escalation-routes/{id}", in, kPlanners, false, "Remove an escalation route", "admin, manager",
           DeleteRoute});
    r.Add({"GET", "/api/v1/incidents/{id}/escalation", in, readers, false,
           "The incident's escalation route and each level: when due, when told", reader_note, IncidentEscalation});
    r.Add({"POST", "/api/v1/incidents/{id}/escalate", in, workers, false, "Tell the next level of the route now {comment?}",
           "admin, manager, operator, vendor", Escalate});
}

}  // namespace unyo::api
