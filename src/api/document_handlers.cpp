// /api/v1/documents: the documents register (issue 7: DOC-1) — documents with owner and review
// cycle, their versions, and which are due for review; a change naming a registered document
// closes only when it has a new version (CHG-2, records/record_service.cpp). docs/documents.md.
#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

constexpr const char* kColumns =
    "d.id, d.name, d.kind, d.owner_organization_id, d.review_cycle_months, d.note, d.created_at, d.updated_at, d.version, "
    "(SELECT MAX(v.created_at) FROM document_versions v WHERE v.document_id = d.id), "
    "(SELECT COUNT(*) FROM document_versions v WHERE v.document_id = d.id)";

// The document as JSON, with its review due date: the newest version (or its registration) plus
// the review cycle.
json::object DocumentJson(const storage::Row& r, Millis now) {
    const Millis last = r.OptInt(9).value_or(r.Int(6));
    auto due = calendar::Date::FromInstant(last);
    const auto ymd = due.ymd() + std::chrono::months{r.Int(4)};
    const auto next = calendar::Date(std::chrono::sys_days(ymd.ok() ? ymd : ymd.year() / ymd.month() / std::chrono::last));
    return {{"id", r.Int(0)},
            {"name", r.Text(1)},
            {"kind", r.Text(2)},
            {"owner_organization_id", OrNull(r.OptInt(3))},
            {"review_cycle_months", r.Int(4)},
            {"note", r.Text(5)},
            {"created_at", FormatRfc3339(r.Int(6))},
            {"updated_at", FormatRfc3339(r.Int(7))},
            {"version", r.Int(8)},
            {"versions", r.Int(10)},
            {"last_version_at", InstantOrNull(r.OptInt(9))},
            {"review_due_on", next.ToString()},
            {"review_due", next <= calendar::Date::FromInstant(now)}};
}

// The configuration items each document describes, by document.
Result<std::map<std::int64_t, json::array>> LinkedCis(storage::Connection& c, std::optional<std::int64_t> document_id) {
    std::map<std::int64_t, json::array> out;
    auto rows = document_id ? UNYO_TRY(c.Query("SELECT document_id, ci_id FROM document_cis WHERE document_id = $1 ORDER BY ci_id", {*document_id}))
                            : UNYO_TRY(c.Query("SELECT document_id, ci_id FROM document_cis ORDER BY document_id, ci_id", {}));
    for (const auto& r : rows.rows) out[r.Int(0)].push_back(r.Int(1));
    return out;
}

Result<http::Response> ListDocuments(Context& ctx) {
    const Millis now = ctx.services().clock.Now();
    const bool due_only = UNYO_TRY(ctx.QueryBool("due")).value_or(false);
    const auto ci = UNYO_TRY(ctx.QueryInt("ci_id", 1, std::numeric_limits<std::int64_t>::max()));
    std::map<std::int64_t, json::array> cis;
    auto rows = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) -> Result<storage::Rows> {
        cis = UNYO_TRY(LinkedCis(c, std::nullopt));
        return c.Query(fmt::format("SELECT {} FROM documents d ORDER BY d.name", kColumns), {});
    }));
    json::array items;
    for (const auto& r : rows.rows) {
        auto o = DocumentJson(r, now);
        o["ci_ids"] = cis[r.Int(0)];
        if (due_only && !o.at("review_due").as_bool()) continue;
        if (ci && std::find(o.at("ci_ids").as_array().begin(), o.at("ci_ids").as_array().end(), json::value(*ci)) ==
                      o.at("ci_ids").as_array().end()) {
            continue;
        }
        items.push_back(std::move(o));
    }
    return ListResponse(std::move(items), std::nullopt);
}

// Sets the CIs a document describes; each must exist (422 naming ci_ids).
Result<void> SetCis(storage::Connection& c, std::int64_t id, const std::vector<std::int64_t>& ci_ids) {
    for (auto ci : ci_ids) {
        if (UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {ci})).empty()) {
            return Fail(Error::Field("ci_ids", fmt::format("configuration item {} does not exist", ci)));
        }
    }
    UNYO_TRY(c.Exec("DELETE FROM document_cis WHERE document_id = $1", {id}));
    for (auto ci : ci_ids) {
        UNYO_TRY(c.Exec("INSERT INTO document_cis (document_id, ci_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", {id, ci}));
    }
    return {};
}

std::optional<std::vector<std::int64_t>> ReadCiIds(FieldReader& f, const json::object& body) {
    const auto* v = body.if_contains("ci_ids");
    if (!v) return std::nullopt;
    std::vector<std::int64_t> out;
    if (!v->is_array()) {
        f.AddError("ci_ids", "must be a list of configuration item ids");
        return out;
    }
    for (const auto& x : v->as_array()) {
        if (!x.is_int64() || x.as_int64() <= 0) {
            f.AddError("ci_ids", "must be a list of configuration item ids");
            break;
        }
        out.push_back(x.as_int64());
    }
    return out;
}

Result<json::object> LoadDocument(Context& ctx, storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM documents d WHERE d.id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("document {} does not exist", id)));
    auto o = DocumentJson(rows.front(), ctx.services().clock.Now());
    json::array versions;
    for (const auto& v : UNYO_TRY(c.Query("SELECT id, label, note, created_by, created_at FROM document_versions WHERE "
                                          "document_id = $1 ORDER BY created_at DESC, id DESC",
                                          {id}))
                             .rows) {
        versions.push_back(json::object{{"id", v.Int(0)}, {"label", v.Text(1)}, {"note", v.Text(2)},
                                        {"created_by", v.Text(3)}, {"created_at", FormatRfc3339(v.Int(4))}});
    }
    o["version_list"] = std::move(versions);
    o["ci_ids"] = UNYO_TRY(LinkedCis(c, id))[id];
    return o;
}

Result<http::Response> CreateDocument(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"name", "kind", "owner_organization_id", "review_cycle_months", "note", "ci_ids"});
    const auto name = f.RequiredString("name", 200);
    const auto kind = f.OptionalString("kind", 100).value_or("");
    const auto owner = f.OptionalInt("owner_organization_id", 1, std::numeric_limits<std::int64_t>::max());
    const auto cycle = f.OptionalInt("review_cycle_months", 1, 120).value_or(12);
    const auto note = f.OptionalString("note", 4000).value_or("");
    const auto ci_ids = ReadCiIds(f, body).value_or(std::vector<std::int64_t>{});
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto doc = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        if (owner && UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*owner})).empty()) {
            return Fail(Error::Field("owner_organization_id", fmt::format("organization {} does not exist", *owner)));
        }
        auto rows = c.Query("INSERT INTO documents (name, kind, owner_organization_id, review_cycle_months, note, created_at, "
                            "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $6, 1) RETURNING id",
                            {name, kind, storage::Nullable(owner), cycle, note, now});
        if (!rows && rows.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("name", fmt::format("a document named \"{}\" is registered already", name), ErrorCode::kConflict));
        }
        const auto id = UNYO_TRY(std::move(rows)).front().Int(0);
        UNYO_TRY_VOID(SetCis(c, id, ci_ids));
        auto o = UNYO_TRY(LoadDocument(ctx, c, id));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"document.create", "document", std::to_string(id), nullptr, o}, now));
        return o;
    }));
    return CreatedResponse(doc, doc.at("version").as_int64(), "/api/v1/documents/" + std::to_string(doc.at("id").as_int64()));
}

Result<http::Response> GetDocument(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto doc = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return LoadDocument(ctx, c, id); }));
    return ResourceResponse(doc, doc.at("version").as_int64());
}

Result<http::Response> AddVersion(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"label", "note"});
    const auto label = f.RequiredString("label", 100);
    const auto note = f.OptionalString("note", 4000).value_or("");
    const auto ci_ids = ReadCiIds(f, body).value_or(std::vector<std::int64_t>{});
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto doc = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        UNYO_TRY(LoadDocument(ctx, c, id));
        UNYO_TRY(c.Exec("INSERT INTO document_versions (document_id, label, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
                        {id, label, note, ctx.actor().login, now}));
        UNYO_TRY(c.Exec("UPDATE documents SET updated_at = $1, version = version + 1 WHERE id = $2", {now, id}));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"document.version", "document", std::to_string(id), nullptr,
                                                json::object{{"label", label}, {"note", note}}},
                               now));
        return LoadDocument(ctx, c, id);
    }));
    return http::Response::Json(201, doc);
}

// The configuration items a document describes, replaced: `{ci_ids: [...]}` (If-Match).
Result<http::Response> PutCis(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto expected = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"ci_ids"});
    const auto ci_ids = ReadCiIds(f, body);
    if (!ci_ids) f.AddError("ci_ids", "is required: the list of configuration item ids");
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto doc = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        const auto before = UNYO_TRY(LoadDocument(ctx, c, id));
        if (before.at("version").as_int64() != expected) {
            return Fail(Error{ErrorCode::kPreconditionFailed, fmt::format("document {} was changed by someone else; reload and retry", id), {}});
        }
        UNYO_TRY_VOID(SetCis(c, id, *ci_ids));
        UNYO_TRY(c.Exec("UPDATE documents SET updated_at = $1, version = version + 1 WHERE id = $2", {now, id}));
        auto after = UNYO_TRY(LoadDocument(ctx, c, id));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"document.cis", "document", std::to_string(id), json::object{{"ci_ids", before.at("ci_ids")}},
                                                json::object{{"ci_ids", after.at("ci_ids")}}},
                               now));
        return after;
    }));
    return ResourceResponse(doc, doc.at("version").as_int64());
}

}  // namespace

void AddDocumentRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/documents", in, 0, false, "The documents register (due=true: due for review; ci_id: describing it)",
           "any signed-in user", ListDocuments});
    r.Add({"POST", "/api/v1/documents", in, kPlanners, true, "Register a document", "admin, manager", CreateDocument});
    r.Add({"GET", "/api/v1/documents/{id}", in, 0, false, "A document with its versions", "any signed-in user", GetDocument});
    r.Add({"POST", "/api/v1/documents/{id}/versions", in, kStaff, false, "Record a new version {label, note?}", staff, AddVersion});
    r.Add({"PUT", "/api/v1/documents/{id}/cis", in, kPlanners, false, "The configuration items it describes {ci_ids} (If-Match)",
           "admin, manager", PutCis});
}

}  // namespace unyo::api
