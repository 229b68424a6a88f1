// /api/v1/cis: configuration items with lifecycle warnings, relations and the impact of a
// failure (issue 7: CFG-1, ENV-1), docs/cis.md; /api/v1/partners: the integration partner list
// (CFG-3, INC-11), docs/partners.md.
#include <limits>

#include "api/routes.hpp"
#include "cis/cis.hpp"
#include "cis/partners.hpp"

namespace unyo::api {
namespace {

cis::CiStore Store(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }

Result<http::Response> ListCis(Context& ctx) {
    json::array items;
    for (const auto& c : UNYO_TRY(Store(ctx).List())) items.push_back(cis::ToJson(c));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateCi(Context& ctx) {
    const auto c = UNYO_TRY(Store(ctx).Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(cis::ToJson(c), c.version_no, "/api/v1/cis/" + std::to_string(c.id));
}

Result<http::Response> GetCi(Context& ctx) {
    const auto c = UNYO_TRY(Store(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(cis::ToJson(c), c.version_no);
}

Result<http::Response> UpdateCi(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto c = UNYO_TRY(Store(ctx).Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(cis::ToJson(c), c.version_no);
}

Result<http::Response> DeleteCi(Context& ctx) {
    UNYO_TRY_VOID(Store(ctx).Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> ListRelations(Context& ctx) {
    json::array items;
    for (const auto& r : UNYO_TRY(Store(ctx).Relations(UNYO_TRY(ctx.IdParam())))) {
        items.push_back(json::object{{"from_id", r.from_id}, {"to_id", r.to_id}, {"kind", r.kind}});
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<cis::Relation> RelationOf(Context& ctx, const json::object& body) {
    FieldReader f(body);
    f.AllowOnly({"to_id", "kind"});
    const auto to = f.OptionalInt("to_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!to) f.AddError("to_id", "is required: the other configuration item's id");
    const auto kind = f.RequiredString("kind", 20);
    UNYO_TRY_VOID(f.Finish());
    return cis::Relation{UNYO_TRY(ctx.IdParam()), *to, kind};
}

Result<http::Response> Relate(Context& ctx) {
    const auto rel = UNYO_TRY(RelationOf(ctx, UNYO_TRY(ctx.Body())));
    UNYO_TRY_VOID(Store(ctx).Relate(rel, ctx.actor()));
    return ListRelations(ctx);
}

Result<http::Response> Unrelate(Context& ctx) {
    json::object q;
    q["to_id"] = UNYO_TRY(ctx.QueryInt("to_id", 1, std::numeric_limits<std::int64_t>::max())).value_or(0);
    q["kind"] = ctx.QueryString("kind").value_or("");
    const auto rel = UNYO_TRY(RelationOf(ctx, q));
    UNYO_TRY_VOID(Store(ctx).Unrelate(rel, ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> Impact(Context& ctx) {
    json::array items;
    for (const auto& i : UNYO_TRY(Store(ctx).ImpactOf(UNYO_TRY(ctx.IdParam())))) items.push_back(cis::ToJson(i));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> Lifecycle(Context& ctx) {
    const auto days = UNYO_TRY(ctx.QueryInt("within_days", 0, 3650)).value_or(90);
    json::array items;
    for (const auto& m : UNYO_TRY(Store(ctx).Lifecycle(static_cast<int>(days)))) items.push_back(cis::ToJson(m));
    return ListResponse(std::move(items), std::nullopt);
}

cis::PartnerStore Partners(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }

Result<http::Response> ListPartners(Context& ctx) {
    const auto ci = UNYO_TRY(ctx.QueryInt("ci_id", 1, std::numeric_limits<std::int64_t>::max()));
    json::array items;
    for (const auto& p : UNYO_TRY(Partners(ctx).List(ci))) items.push_back(cis::ToJson(p));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreatePartner(Context& ctx) {
    const auto p = UNYO_TRY(Partners(ctx).Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(cis::ToJson(p), p.version, "/api/v1/partners/" + std::to_string(p.id));
}

Result<http::Response> GetPartner(Context& ctx) {
    const auto p = UNYO_TRY(Partners(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(cis::ToJson(p), p.version);
}

Result<http::Response> UpdatePartner(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto p = UNYO_TRY(Partners(ctx).Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(cis::ToJson(p), p.version);
}

Result<http::Response> DeletePartner(Context& ctx) {
    UNYO_TRY_VOID(Partners(ctx).Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace

void AddCiRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    r.Add({"GET", "/api/v1/cis", in, 0, false, "Configuration items", "any signed-in user", ListCis});
    r.Add({"POST", "/api/v1/cis", in, kPlanners, true, "Add a configuration item", "admin, manager", CreateCi});
    r.Add({"GET", "/api/v1/cis/lifecycle", in, 0, false,
           "Lifecycle dates (end of sales, support, life; licence expiry) within within_days (90) and those passed",
           "any signed-in user", Lifecycle});
    r.Add({"GET", "/api/v1/cis/{id}", in, 0, false, "One configuration item", "any signed-in user", GetCi});
    r.Add({"PATCH", "/api/v1/cis/{id}", in, kPlanners, false, "Change a configuration item (If-Match)", "admin, manager", UpdateCi});
    r.Add({"DELETE", "/api/v1/cis/{id}", in, kPlanners, false, "Remove a configuration item", "admin, manager", DeleteCi});
    r.Add({"GET", "/api/v1/cis/{id}/relations", in, 0, false, "Its relations", "any signed-in user", ListRelations});
    r.Add({"POST", "/api/v1/cis/{id}/relations", in, kPlanners, false,
           "Relate it: {to_id, kind: runs_on|depends_on|connects_to|part_of}", "admin, manager", Relate});
    r.Add({"DELETE", "/api/v1/cis/{id}/relations", in, kPlanners, false, "Remove a relation (to_id, kind)", "admin, manager",
           Unrelate});
    r.Add({"GET", "/api/v1/cis/{id}/impact", in, 0, false, "What a failure of it affects", "any signed-in user", Impact});
    // The partner list names people and their addresses: staff, viewers and vendors read it.
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    r.Add({"GET", "/api/v1/partners", in, readers, false, "The integration partner list (ci_id: connected to it)", reader_note,
           ListPartners});
    r.Add({"POST", "/api/v1/partners", in, kPlanners, true, "List an integration partner", "admin, manager", CreatePartner});
    r.Add({"GET", "/api/v1/partners/{id}", in, readers, false, "One integration partner", reader_note, GetPartner});
    r.Add({"PATCH", "/api/v1/partners/{id}", in, kPlanners, false, "Change an integration partner (If-Match)", "admin, manager",
           UpdatePartner});
    r.Add({"DELETE", "/api/v1/partners/{id}", in, kPlanners, false, "Remove an integration partner", "admin, manager",
           DeletePartner});
}

}  // namespace unyo::api
