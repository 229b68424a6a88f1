// /api/v1/reorganisations: the April reorganisation (issue 7: ACC-6) — a sheet of user changes
// read (CSV or XLSX), previewed as a diff, staged for its date, applied then or at once by an
// admin, cancelled while staged. docs/reorganisation.md.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "auth/reorganisation.hpp"

namespace unyo::api {
namespace {

auth::Reorganisations Store(Context& ctx) { return {ctx.services().db, ctx.services().clock, ctx.services().accounts}; }

// A plan with, while staged, what it would change now.
Result<json::object> PlanJson(Context& ctx, const auth::Reorganisation& r) {
    auto o = auth::ToJson(r);
    if (r.status == "staged") o["diff"] = UNYO_TRY(Store(ctx).Diff(r.rows));
    return o;
}

Result<http::Response> Upload(Context& ctx) {
    const auto name = ctx.QueryString("name").value_or("");
    const auto on = ctx.QueryString("effective_on").value_or("");
    const auto format = ctx.QueryString("format").value_or("csv");
    const bool dry_run = UNYO_TRY(ctx.QueryBool("dry_run")).value_or(false);
    std::vector<FieldError> errors;
    if (name.empty()) errors.push_back({"name", "give the reorganisation a name (?name=…)"});
    const auto date = calendar::Date::Parse(on);
    if (!date) errors.push_back({"effective_on", "must be the date it takes effect (YYYY-MM-DD)"});
    if (format != "csv" && format != "xlsx") errors.push_back({"format", "must be csv or xlsx"});
    if (!errors.empty()) return Fail(Error{ErrorCode::kInvalidArgument, "The request has invalid parameters", std::move(errors)});
    const auto& body = ctx.request().body;
    auto rows = format == "xlsx" ? sheet::ReadXlsx(body) : sheet::ReadCsv(body);
    if (!rows) return Fail(Error::Field("file", rows.error().message));
    auto lines = UNYO_TRY(auth::ReadReorgSheet(*rows));
    if (dry_run) {
        return http::Response::Json(200, json::object{{"dry_run", true}, {"name", name}, {"effective_on", date->ToString()},
                                                      {"diff", UNYO_TRY(Store(ctx).Diff(lines))}});
    }
    const auto r = UNYO_TRY(Store(ctx).Stage(name, *date, std::move(lines), ctx.actor()));
    return CreatedResponse(UNYO_TRY(PlanJson(ctx, r)), r.version, "/api/v1/reorganisations/" + std::to_string(r.id));
}

Result<http::Response> List(Context& ctx) {
    json::array items;
    for (const auto& r : UNYO_TRY(Store(ctx).List())) items.push_back(auth::ToJson(r));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> Get(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(UNYO_TRY(PlanJson(ctx, r)), r.version);
}

Result<http::Response> ApplyNow(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).Apply(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return ResourceResponse(auth::ToJson(r), r.version);
}

Result<http::Response> Cancel(Context& ctx) {
    const auto r = UNYO_TRY(Store(ctx).Cancel(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return ResourceResponse(auth::ToJson(r), r.version);
}

}  // namespace

void AddReorganisationRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    Route upload{"POST", "/api/v1/reorganisations", in, kAdmin, false,
                 "Read a reorganisation sheet (name=, effective_on=, format=csv|xlsx; dry_run=true: only the diff) and stage it",
                 "admin", Upload};
    upload.raw_body = true;
    r.Add(std::move(upload));
    r.Add({"GET", "/api/v1/reorganisations", in, kAdmin, false, "Reorganisations, latest date first", "admin", List});
    r.Add({"GET", "/api/v1/reorganisations/{id}", in, kAdmin, false, "One reorganisation (staged: with what it would change now)",
           "admin", Get});
    r.Add({"POST", "/api/v1/reorganisations/{id}/apply", in, kAdmin, false, "Apply a staged reorganisation now", "admin", ApplyNow});
    r.Add({"POST", "/api/v1/reorganisations/{id}/cancel", in, kAdmin, false, "Cancel a staged reorganisation", "admin", Cancel});
}

}  // namespace unyo::api
