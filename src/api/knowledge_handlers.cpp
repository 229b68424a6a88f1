// /api/v1/knowledge: the knowledge base (issue 7: KNW-1, INC-6) — FAQ for users, runbooks and
// workarounds for operators, each with an owner and a review date; a workaround needs a manager's
// approval before an incident may apply it; stale entries (review date passed) listed; search in
// Japanese by substring (title, body, tags). docs/knowledge.md.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"

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
    return EntryJson(rows.front(), Today(ctx));
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

}  // namespace

void AddKnowledgeRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/knowledge", in, 0, false, "Knowledge entries (q, kind, stale=true); requesters see the FAQ",
           "any signed-in user", ListEntries});
    r.Add({"POST", "/api/v1/knowledge", in, kStaff, true, "Write an entry (a workaround waits for approval)", staff, CreateEntry});
    r.Add({"GET", "/api/v1/knowledge/{id}", in, 0, false, "One entry", "any signed-in user", GetEntry});
    r.Add({"POST", "/api/v1/knowledge/{id}/actions", in, kStaff, false,
           "approve / reject a workaround (admin, manager), or reviewed", staff, EntryAction});
}

}  // namespace unyo::api
