// /api/v1/knowledge: the knowledge base (issue 7: KNW-1, INC-6) — FAQ for users, runbooks and
// workarounds for operators, each with an owner and a review date; a workaround needs a manager's
// approval before an incident may apply it; stale entries (review date passed) listed; search in
// Japanese by substring (title, body, tags). docs/knowledge.md.
#include <charconv>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"
#include "records/workflow.hpp"

namespace unyo::api {
namespace {

constexpr const char* kColumns =
    "id, kind, title, body, tags, owner_id, review_on, status, approved_by, approved_at, created_by, created_at, "
    "updated_at, version";

json::object EntryJson(const storage::Row& r, const calendar::Date& today) {
    const auto review = calendar::Date::Parse(r.Text(6));
    return {{"id", r.Int(0)},
            {"kind", r.Text(1)},
            {"title", r.Text(2)},
            {"body", r.Text(3)},
            {"tags", json::value_from(ParseStringArray(r.Text(4)))},
            {"owner_id", OrNull(r.OptInt(5))},
            {"review_on", r.Text(6)},
            {"stale", review && *review < today},
            {"status", r.Text(7)},
            {"approved_by", r.OptText(8) ? json::value(*r.OptText(8)) : json::value(nullptr)},
            {"approved_at", InstantOrNull(r.OptInt(9))},
            {"created_by", r.Text(10)},
            {"created_at", FormatRfc3339(r.Int(11))},
            {"updated_at", FormatRfc3339(r.Int(12))},
            {"version", r.Int(13)}};
}

// Staff, viewers and vendors read every entry; a requester only the published FAQ.
bool ReadsEverything(const auth::Principal& p) {
    return p.Is(auth::Role::kAdmin) || p.Is(auth::Role::kManager) || p.Is(auth::Role::kOperator) ||
           p.Is(auth::Role::kViewer) || p.Is(auth::Role::kVendor);
}

calendar::Date Today(Context& ctx) { return calendar::Date::FromInstant(ctx.services().clock.Now()); }

Result<http::Response> ListEntries(Context& ctx) {
    const auto q = ctx.QueryString("q");
    const auto kind = ctx.QueryString("kind");
    const bool stale_only = UNYO_TRY(ctx.QueryBool("stale")).value_or(false);
    std::string sql = fmt::format("SELECT {} FROM knowledge WHERE 1 = 1", kColumns);
    std::vector<storage::Value> params;
    if (q && !q->empty()) {
        params.emplace_back("%" + *q + "%");
        sql += fmt::format(" AND (title LIKE ${0} OR body LIKE ${0} OR tags LIKE ${0})", params.size());
    }
    if (kind) {
        params.emplace_back(*kind);
        sql += fmt::format(" AND kind = ${}", params.size());
    }
    if (const auto record = UNYO_TRY(ctx.QueryInt("record_id", 1, std::numeric_limits<std::int64_t>::max()))) {
        params.emplace_back(*record);
        sql += fmt::format(" AND id IN (SELECT knowledge_id FROM knowledge_links WHERE record_id = ${})", params.size());
    }
    if (!ReadsEverything(ctx.principal())) sql += " AND kind = 'faq' AND status = 'published'";
    const auto today = Today(ctx);
    if (stale_only) {
        params.emplace_back(today.ToString());
        sql += fmt::format(" AND review_on < ${}", params.size());
    }
    auto rows = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return c.Query(sql + " ORDER BY id DESC LIMIT 500", params); }));
    json::array items;
    for (const auto& r : rows.rows) items.push_back(EntryJson(r, today));
    return ListResponse(std::move(items), std::nullopt);
}

Result<json::object> Load(Context& ctx, storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM knowledge WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("knowledge entry {} does not exist", id)));
    auto o = EntryJson(rows.front(), Today(ctx));
    json::array links;
    for (const auto& l : UNYO_TRY(c.Query("SELECT l.record_id, r.key, r.kind, r.title, l.applied, l.created_by, l.created_at FROM "
                                          "knowledge_links l JOIN records r ON r.id = l.record_id WHERE l.knowledge_id = $1 "
                                          "ORDER BY l.created_at, l.record_id",
                                          {id}))
                             .rows) {
        links.push_back(json::object{{"record_id", l.Int(0)}, {"key", l.Text(1)}, {"kind", l.Text(2)}, {"title", l.Text(3)},
                                     {"applied", l.Bool(4)}, {"by", l.Text(5)}, {"at", FormatRfc3339(l.Int(6))}});
    }
    o["links"] = std::move(links);
    return o;
}

Result<http::Response> CreateEntry(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"kind", "title", "body", "tags", "owner_id", "review_on"});
    const auto kind = f.RequiredString("kind", 20);
    if (!kind.empty() && kind != "faq" && kind != "runbook" && kind != "workaround") f.AddError("kind", "must be faq, runbook or workaround");
    const auto title = f.RequiredString("title", 200);
    const auto text = f.RequiredString("body", 50000);
    const auto tags = f.OptionalStrings("tags").value_or(std::vector<std::string>{});
    const auto owner = f.OptionalInt("owner_id", 1, std::numeric_limits<std::int64_t>::max());
    const auto review = f.OptionalString("review_on", 10);
    if (review && !calendar::Date::Parse(*review)) f.AddError("review_on", "must be a date YYYY-MM-DD");
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    // A workaround waits for approval (INC-6); the others are published at once. Reviewed yearly by default.
    const std::string status = kind == "workaround" ? "pending_approval" : "published";
    const std::string review_on = review.value_or(Today(ctx).AddDays(365).ToString());
    const auto entry = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        if (owner && UNYO_TRY(c.Query("SELECT 1 FROM users WHERE id = $1", {*owner})).empty()) {
            return Fail(Error::Field("owner_id", fmt::format("user {} does not exist", *owner)));
        }
        auto rows = UNYO_TRY(c.Query("INSERT INTO knowledge (kind, title, body, tags, owner_id, review_on, status, created_by, "
                                     "created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) RETURNING id",
                                     {kind, title, text, json::serialize(json::value_from(tags)), storage::Nullable(owner),
                                      review_on, status, ctx.actor().login, now}));
        auto o = UNYO_TRY(Load(ctx, c, rows.front().Int(0)));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"knowledge.create", "knowledge", std::to_string(o.at("id").as_int64()), nullptr, o}, now));
        return o;
    }));
    return CreatedResponse(entry, entry.at("version").as_int64(), "/api/v1/knowledge/" + std::to_string(entry.at("id").as_int64()));
}

Result<http::Response> GetEntry(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto entry = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return Load(ctx, c, id); }));
    if (!ReadsEverything(ctx.principal()) &&
        (entry.at("kind").as_string() != "faq" || entry.at("status").as_string() != "published")) {
        return Fail(Error::NotFound(fmt::format("knowledge entry {} does not exist", id)));
    }
    return ResourceResponse(entry, entry.at("version").as_int64());
}

// approve / reject a workaround (INC-6), or mark an entry reviewed (its next review a year on).
Result<http::Response> EntryAction(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"action", "comment"});
    const auto action = f.RequiredString("action", 20);
    const auto comment = f.OptionalString("comment", 2000).value_or("");
    if (!action.empty() && action != "approve" && action != "reject" && action != "reviewed") {
        f.AddError("action", "must be approve, reject or reviewed");
    }
    UNYO_TRY_VOID(f.Finish());
    const auto& p = ctx.principal();
    if ((action == "approve" || action == "reject") && !(p.Is(auth::Role::kAdmin) || p.Is(auth::Role::kManager))) {
        return Fail(Error::Denied("only an admin or a manager decides a workaround"));
    }
    if (action == "reject" && comment.empty()) return Fail(Error::Field("comment", "say why it is rejected"));
    const Millis now = ctx.services().clock.Now();
    const auto entry = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        const auto before = UNYO_TRY(Load(ctx, c, id));
        if (action == "reviewed") {
            UNYO_TRY(c.Exec("UPDATE knowledge SET review_on = $1, updated_at = $2, version = version + 1 WHERE id = $3",
                            {Today(ctx).AddDays(365).ToString(), now, id}));
        } else {
            if (before.at("status").as_string() != "pending_approval") {
                return Fail(Error::Conflict(fmt::format("knowledge entry {} is {}; only a workaround waiting for approval is decided",
                                                        id, std::string_view(before.at("status").as_string()))));
            }
            UNYO_TRY(c.Exec("UPDATE knowledge SET status = $1, approved_by = $2, approved_at = $3, updated_at = $3, "
                            "version = version + 1 WHERE id = $4",
                            {std::string(action == "approve" ? "published" : "rejected"), ctx.actor().login, now, id}));
        }
        auto after = UNYO_TRY(Load(ctx, c, id));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"knowledge." + action, "knowledge", std::to_string(id), before,
                                                json::object{{"entry", after}, {"comment", comment}}},
                               now));
        return after;
    }));
    return ResourceResponse(entry, entry.at("version").as_int64());
}

// The record an entry is linked to: an incident, problem or inquiry the caller can see (404 as
// for the record itself otherwise).
Result<records::Record> LinkableRecord(Context& ctx, std::int64_t record_id) {
    auto kind = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return c.Query("SELECT kind FROM records WHERE id = $1", {record_id}); }));
    const auto k = kind.empty() ? std::string() : kind.front().Text(0);
    if (k != "incident" && k != "problem" && k != "inquiry") {
        return Fail(Error::Field("record_id", kind.empty() ? fmt::format("record {} does not exist", record_id)
                                                           : fmt::format("record {} is a {}: knowledge links to incidents, problems and inquiries", record_id, k)));
    }
    auto r = ctx.services().records.Get(*records::WorkflowByKind(k), record_id, ctx.principal());
    if (!r) return Fail(Error::Field("record_id", fmt::format("record {} does not exist", record_id)));
    return r;
}

// Links an entry to a record (KNW-1); `applied`: an incident applied this workaround, which must
// have been approved (INC-6). The record's timeline says so.
Result<http::Response> Link(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"record_id", "applied"});
    const auto record_id = f.OptionalInt("record_id", 1, std::numeric_limits<std::int64_t>::max());
    if (!record_id && !f.Has("record_id")) f.AddError("record_id", "is required: the incident, problem or inquiry");
    const bool applied = f.OptionalBool("applied").value_or(false);
    UNYO_TRY_VOID(f.Finish());
    const auto record = UNYO_TRY(LinkableRecord(ctx, *record_id));
    const Millis now = ctx.services().clock.Now();
    const auto entry = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        const auto e = UNYO_TRY(Load(ctx, c, id));
        const auto kind = std::string(e.at("kind").as_string());
        if (applied) {
            if (kind != "workaround" || record.kind != "incident") {
                return Fail(Error::Field("applied", "only a workaround is applied, and to an incident"));
            }
            if (e.at("status").as_string() != "published") {
                return Fail(Error::Conflict(fmt::format("workaround {} is not approved ({}): it may not be applied yet", id,
                                                        std::string_view(e.at("status").as_string()))));
            }
        }
        const auto existing = UNYO_TRY(c.Query("SELECT applied FROM knowledge_links WHERE knowledge_id = $1 AND record_id = $2", {id, *record_id}));
        if (!existing.empty() && (existing.front().Bool(0) || !applied)) {
            return Fail(Error::Conflict(fmt::format("knowledge entry {} is linked to {} already", id, record.key)));
        }
        if (existing.empty()) {
            UNYO_TRY(c.Exec("INSERT INTO knowledge_links (knowledge_id, record_id, applied, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
                            {id, *record_id, std::int64_t{applied ? 1 : 0}, ctx.actor().login, now}));
        } else {
            UNYO_TRY(c.Exec("UPDATE knowledge_links SET applied = 1 WHERE knowledge_id = $1 AND record_id = $2", {id, *record_id}));
        }
        const json::object what{{"knowledge_id", id}, {"title", e.at("title")}, {"kind", kind}, {"applied", applied},
                                {"by", ctx.actor().login}};
        UNYO_TRY(records::RecordService::AppendSystemEntry(c, *record_id, "knowledge", what, now));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"knowledge.link", "knowledge", std::to_string(id), nullptr,
                                                json::object{{"record", record.key}, {"applied", applied}}},
                               now));
        return Load(ctx, c, id);
    }));
    return http::Response::Json(201, entry);
}

Result<http::Response> Unlink(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    std::int64_t record_id = 0;
    const auto param = ctx.request().Param("record_id");
    if (std::from_chars(param.data(), param.data() + param.size(), record_id).ec != std::errc{}) {
        return Fail(Error::NotFound("no such link"));
    }
    const Millis now = ctx.services().clock.Now();
    UNYO_TRY_VOID(ctx.services().db.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Exec("DELETE FROM knowledge_links WHERE knowledge_id = $1 AND record_id = $2", {id, record_id}));
        if (n == 0) return Fail(Error::NotFound(fmt::format("knowledge entry {} is not linked to record {}", id, record_id)));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"knowledge.unlink", "knowledge", std::to_string(id), json::object{{"record_id", record_id}},
                                                nullptr},
                               now));
        return {};
    }));
    return http::Response::NoContent();
}

}  // namespace

void AddKnowledgeRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/knowledge", in, 0, false, "Knowledge entries (q, kind, stale=true, record_id: linked to it); requesters see the FAQ",
           "any signed-in user", ListEntries});
    r.Add({"POST", "/api/v1/knowledge", in, kStaff, true, "Write an entry (a workaround waits for approval)", staff, CreateEntry});
    r.Add({"GET", "/api/v1/knowledge/{id}", in, 0, false, "One entry", "any signed-in user", GetEntry});
    r.Add({"POST", "/api/v1/knowledge/{id}/actions", in, kStaff, false,
           "approve / reject a workaround (admin, manager), or reviewed", staff, EntryAction});
    const auth::RoleSet linkers = kStaff | auth::Bit(auth::Role::kVendor);
    r.Add({"POST", "/api/v1/knowledge/{id}/links", in, linkers, false,
           "Link it to an incident, problem or inquiry {record_id, applied?} (applied: an incident applied this approved workaround)",
           "admin, manager, operator, vendor", Link});
    r.Add({"DELETE", "/api/v1/knowledge/{id}/links/{record_id}", in, linkers, false, "Remove a link",
           "admin, manager, operator, vendor", Unlink});
}

}  // namespace unyo::api
