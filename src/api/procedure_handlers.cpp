// /api/v1/procedure-templates and /api/v1/procedure-runs: procedures with approval gates (issue 7:
// PRC-1..8). docs/procedures.md.
#include "api/routes.hpp"
#include "procedures/procedures.hpp"

namespace unyo::api {
namespace {

procedures::ProcedureStore Store(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }

Result<http::Response> ListTemplates(Context& ctx) {
    json::array items;
    for (const auto& t : UNYO_TRY(Store(ctx).Templates())) items.push_back(procedures::ToJson(t));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateTemplate(Context& ctx) {
    const auto t = UNYO_TRY(Store(ctx).CreateTemplate(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(procedures::ToJson(t), t.version, "/api/v1/procedure-templates/" + std::to_string(t.id));
}

Result<http::Response> InstallDefaults(Context& ctx) {
    const int made = UNYO_TRY(Store(ctx).InstallDefaults(ctx.actor()));
    return http::Response::Json(200, json::object{{"created", made}});
}

Result<http::Response> GetTemplate(Context& ctx) {
    const auto t = UNYO_TRY(Store(ctx).GetTemplate(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(procedures::ToJson(t), t.version);
}

Result<http::Response> ListRuns(Context& ctx) {
    json::array items;
    for (const auto& r : UNYO_TRY(Store(ctx).Runs(UNYO_TRY(ctx.Limit())))) items.push_back(procedures::ToJson(r));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> StartRun(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"template_id", "name", "record_id"});
    const auto template_id = f.OptionalInt("template_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!template_id) f.AddError("template_id", "is required: the procedure template's id");
    const auto name = f.OptionalString("name", 200).value_or("");
    const auto record = f.OptionalInt("record_id", 1, std::numeric_limits<std::int64_t>::max());
    UNYO_TRY_VOID(f.Finish());
    const auto r = UNYO_TRY(Store(ctx).Start(*template_id, name, record, ctx.actor()));
    return CreatedResponse(procedures::ToJson(r), r.version, "/api/v1/procedure-runs/" + std::to_string(r.id));
}

Result<http::Response> GetRun(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).GetRun(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(procedures::ToJson(r), r.version);
}

Result<http::Response> StepAction(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const std::string key(ctx.request().Param("key"));
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"action", "comment", "evidence"});
    const auto action = f.RequiredString("action", 20);
    const auto comment = f.OptionalString("comment", 4000).value_or("");
    static const json::object kNone;
    const auto* evidence = body.if_contains("evidence");
    if (evidence && !evidence->is_object() && !evidence->is_null()) {
        f.AddError("evidence", "must be {attachment_id} | {job_run_id} | {drill_id}");
    }
    UNYO_TRY_VOID(f.Finish());
    const auto r = UNYO_TRY(Store(ctx).Act(id, key, action, comment, ctx.principal(), ctx.actor(),
                                           evidence && evidence->is_object() ? evidence->as_object() : kNone));
    return ResourceResponse(procedures::ToJson(r), r.version);
}

}  // namespace

void AddProcedureRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/procedure-templates", in, 0, false, "Procedure templates", "any signed-in user", ListTemplates});
    r.Add({"POST", "/api/v1/procedure-templates", in, kAdmin, true, "Define a procedure template", "admin", CreateTemplate});
    r.Add({"POST", "/api/v1/procedure-templates/defaults", in, kAdmin, false,
           "Create the seed procedures' templates not there yet", "admin", InstallDefaults});
    r.Add({"GET", "/api/v1/procedure-templates/{id}", in, 0, false, "One procedure template", "any signed-in user", GetTemplate});
    r.Add({"GET", "/api/v1/procedure-runs", in, 0, false, "Procedure runs, newest first", "any signed-in user", ListRuns});
    r.Add({"POST", "/api/v1/procedure-runs", in, kStaff, true, "Start a procedure", staff, StartRun});
    r.Add({"GET", "/api/v1/procedure-runs/{id}", in, 0, false, "One procedure run with its steps", "any signed-in user", GetRun});
    r.Add({"POST", "/api/v1/procedure-runs/{id}/steps/{key}", in, 0, false,
           "Complete the next step ({action, comment?, evidence?: {attachment_id | job_run_id | drill_id}}), or approve or reject it when it is a gate (its role and organisation only)",
           "staff or the step's organisation; a gate's approver", StepAction});
}

}  // namespace unyo::api
