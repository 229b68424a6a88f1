// /api/v1/raci: role division matrices (issue 7: ORG-2) — imported from the owners' tables as
// their documents print them, read, exported back, one cell or column mapping changed at a time.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "raci/raci_store.hpp"
#include "reports/table.hpp"

namespace unyo::api {
namespace {

raci::RaciStore Store(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }

Result<http::Response> ListMatrices(Context& ctx) {
    json::array items;
    for (const auto& m : UNYO_TRY(Store(ctx).List())) items.push_back(raci::ToJson(m, false));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> GetMatrix(Context& ctx) {
    const auto m = UNYO_TRY(Store(ctx).Get(UNYO_TRY(ctx.IdParam())));
    const auto format = ctx.QueryString("format").value_or("json");
    if (format == "tsv" || format == "csv") {
        // The table as the documents lay it out (legend, 項番, …, the organisations, 備考).
        http::Response r;
        const bool csv = format == "csv";
        r.content_type = csv ? "text/csv; charset=utf-8" : "text/tab-separated-values; charset=utf-8";
        r.body = (csv ? "\xEF\xBB\xBF" : "") + raci::Write(raci::ToMatrix(m), csv);
        r.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"raci-{}.{}\"", m.id, format));
        return r;
    }
    if (format == "xlsx") {
        // The same table in a workbook: the item numbers as numbers, everything else as text.
        reports::Table sheet{fmt::format("raci-{}", m.id), {}, {}};
        std::size_t width = 0;
        for (auto& cells : raci::Table(raci::ToMatrix(m))) {
            std::vector<reports::Cell> row;
            for (auto& cell : cells) {
                const bool number = !cell.empty() && cell.size() < 10 && cell.find_first_not_of("0123456789") == std::string::npos;
                if (number) {
                    row.emplace_back(static_cast<std::int64_t>(std::stoll(cell)));
                } else {
                    row.emplace_back(std::move(cell));
                }
            }
            width = std::max(width, row.size());
            sheet.rows.push_back(std::move(row));
        }
        sheet.columns.assign(width, reports::Column{"", ""});
        // The writer's title row is left empty; the legend and the header are the table's own rows.
        http::Response r;
        r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        r.body = UNYO_TRY(reports::RenderXlsx(sheet, {}));
        r.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"raci-{}.xlsx\"", m.id));
        return r;
    }
    if (format != "json") return Fail(Error::Field("format", "must be json, tsv, csv or xlsx", ErrorCode::kInvalidArgument));
    return ResourceResponse(raci::ToJson(m, true), m.version);
}

Result<http::Response> ImportMatrix(Context& ctx) {
    raci::ImportOptions o;
    o.name = ctx.QueryString("name").value_or("");
    o.dry_run = UNYO_TRY(ctx.QueryBool("dry_run")).value_or(false);
    o.create_organizations = UNYO_TRY(ctx.QueryBool("create_organizations")).value_or(false);
    if (o.name.empty()) return Fail(Error::Field("name", "give the matrix a name (?name=…)", ErrorCode::kInvalidArgument));
    const std::string& body = ctx.request().body;
    const auto format = ctx.QueryString("format").value_or("text");
    if (format != "text" && format != "csv" && format != "xlsx") {
        return Fail(Error::Field("format", "must be text (tab-separated, as copied from the document), csv or xlsx",
                                 ErrorCode::kInvalidArgument));
    }
    auto matrix = format == "csv" ? raci::ReadCsv(body) : format == "xlsx" ? raci::ReadXlsx(body) : raci::ReadText(body);
    if (!matrix) return Fail(Error::Field("file", matrix.error().message));
    const auto r = UNYO_TRY(Store(ctx).Import(*matrix, o, ctx.actor()));
    json::object out{{"dry_run", o.dry_run},
                     {"matrix", raci::ToJson(r.matrix, true)},
                     {"warnings", json::value_from(r.warnings)},
                     {"organizations_created", json::value_from(r.organizations_created)},
                     {"unmatched", json::value_from(r.unmatched)}};
    if (o.dry_run) return http::Response::Json(200, out);
    return http::Response::Json(201, out);
}

Result<http::Response> SetCell(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"item_id", "column", "role"});
    const auto item = f.OptionalInt("item_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!item) f.AddError("item_id", "is required: the work item's id");
    const auto column = f.OptionalInt("column", 0, 1000);
    if (!column) f.AddError("column", "is required: the organisation's column (0 for the first)");
    std::optional<raci::Role> role;
    if (const auto* v = body.if_contains("role"); v && !v->is_null()) {
        role = v->is_string() ? raci::RoleFromName(v->as_string()) : std::nullopt;
        if (!role) f.AddError("role", "must be main, support or null (empty)");
    } else if (!v) {
        f.AddError("role", "is required: main, support or null (empty)");
    }
    UNYO_TRY_VOID(f.Finish());
    const auto m = UNYO_TRY(Store(ctx).SetCell(id, version, *item, static_cast<int>(*column), role, ctx.actor()));
    return ResourceResponse(raci::ToJson(m, true), m.version);
}

Result<http::Response> MapColumn(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto position = UNYO_TRY(ctx.IdParam("position"));
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"organization_id"});
    std::optional<std::int64_t> org;
    if (const auto* v = body.if_contains("organization_id"); !v) {
        f.AddError("organization_id", "is required: an organization's id or null");
    } else if (!v->is_null()) {
        if (!v->is_int64()) {
            f.AddError("organization_id", "must be an organization's id or null");
        } else {
            org = v->as_int64();
        }
    }
    UNYO_TRY_VOID(f.Finish());
    const auto m = UNYO_TRY(Store(ctx).MapColumn(id, version, static_cast<int>(position), org, ctx.actor()));
    return ResourceResponse(raci::ToJson(m, true), m.version);
}

Result<http::Response> DeleteMatrix(Context& ctx) {
    UNYO_TRY_VOID(Store(ctx).Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace

void AddRaciRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    r.Add({"GET", "/api/v1/raci", in, 0, false, "Role division matrices", "any signed-in user", ListMatrices});
    Route import{"POST", "/api/v1/raci/import", in, kAdmin, false,
                 "Read a role table as its document prints it (name=; format=text|csv|xlsx; dry_run=true: only say what it "
                 "reads; create_organizations=true: make the organisations it names)",
                 "admin", ImportMatrix};
    import.raw_body = true;
    r.Add(std::move(import));
    r.Add({"GET", "/api/v1/raci/{id}", in, 0, false, "A matrix with its work items and cells (format=tsv|csv|xlsx: the table)",
           "any signed-in user", GetMatrix});
    r.Add({"PUT", "/api/v1/raci/{id}/cells", in, kPlanners, false, "Set one cell: main, support or empty (If-Match)",
           "admin, manager", SetCell});
    r.Add({"PUT", "/api/v1/raci/{id}/columns/{position}", in, kPlanners, false,
           "Point a column at an organisation (If-Match)", "admin, manager", MapColumn});
    r.Add({"DELETE", "/api/v1/raci/{id}", in, kAdmin, false, "Delete a matrix", "admin", DeleteMatrix});
}

}  // namespace unyo::api
