// /api/v1/{incidents,problems,changes,releases,issues,inquiries,requests} and /api/v1/workflows:
// one set of handlers for every kind of the ledger.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "api/export.hpp"
#include "api/routes.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

using records::RecordInput;
using records::Workflow;

// The body's core members and the kind's fields. `skip` names members that belong to the
// request, not the record (a transition's "to").
Result<RecordInput> ReadInput(const json::object& body, std::initializer_list<std::string_view> skip = {}) {
    RecordInput in;
    std::vector<FieldError> errors;
    auto text = [&](std::string_view name) -> std::optional<std::string> {
        const auto* v = body.if_contains(name);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string()) {
            errors.push_back({std::string(name), "must be a string"});
            return std::nullopt;
        }
        return std::string(v->as_string());
    };
    auto id = [&](std::string_view name) -> std::optional<std::optional<std::int64_t>> {
        const auto* v = body.if_contains(name);
        if (v == nullptr) return std::nullopt;
        if (v->is_null()) return std::optional<std::int64_t>{};
        if (!v->is_int64() || v->as_int64() <= 0) {
            errors.push_back({std::string(name), "must be an id or null"});
            return std::nullopt;
        }
        return std::optional<std::int64_t>{v->as_int64()};
    };
    in.title = text("title");
    in.description = text("description");
    in.severity = text("severity");
    in.organization_id = id("organization_id");
    in.assignee_id = id("assignee_id");
    for (const auto& kv : body) {
        const std::string_view k = kv.key();
        if (k == "title" || k == "description" || k == "severity" || k == "organization_id" || k == "assignee_id" ||
            std::find(skip.begin(), skip.end(), k) != skip.end()) {
            continue;
        }
        in.fields[k] = kv.value();
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors), ErrorCode::kInvalidArgument));
    }
    return in;
}

std::vector<std::string> SplitComma(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto comma = s.find(',', start);
        const auto part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

// The record with its clocks, the moves the principal may make now, and its links.
Result<json::object> DetailJson(Context& ctx, const Workflow& w, const records::Record& r) {
    auto& svc = ctx.services().records;
    auto o = records::ToJson(r, w);
    json::array clocks;
    for (const auto& c : UNYO_TRY(svc.Clocks(r))) {
        clocks.push_back(sla::ToJson(c));
    }
    o["sla"] = std::move(clocks);
    json::array moves;
    if (svc.CanEdit(ctx.principal(), r)) {
        for (const auto* t : w.From(r.status)) {
            if (t->roles == 0 || (t->roles & ctx.principal().roles) != 0) {
                moves.push_back(json::object{{"to", t->to},
                                             {"label", t->label_ja},
                                             {"required", json::array(t->required.begin(), t->required.end())}});
            }
        }
    }
    o["transitions"] = std::move(moves);
    json::array links;
    for (const auto& l : UNYO_TRY(svc.Links(r.id))) {
        links.push_back(json::object{{"id", l.other_id},
                                     {"key", l.other_key},
                                     {"kind", l.other_kind},
                                     {"title", l.other_title},
                                     {"relation", l.relation}});
    }
    o["links"] = std::move(links);
    return o;
}

reports::Table RecordsTable(const Workflow& w, const std::vector<records::Record>& items) {
    reports::Table t{w.collection, {{"キー", "Key"}, {"件名", "Title"}, {"状態", "Status"}}, {}};
    if (w.has_severity) t.columns.push_back({"重要度", "Severity"});
    t.columns.push_back({"担当組織ID", "Organization ID"});
    t.columns.push_back({"担当者ID", "Assignee ID"});
    for (const auto& f : w.fields) t.columns.push_back({f.label_ja, f.label_en});
    t.columns.push_back({"登録日時", "Created"});
    t.columns.push_back({"更新日時", "Updated"});
    t.columns.push_back({"完了日時", "Closed"});
    for (const auto& r : items) {
        std::vector<reports::Cell> row{r.key, r.title, w.State(r.status) ? w.State(r.status)->label_ja : r.status};
        if (w.has_severity) row.emplace_back(r.severity);
        row.push_back(r.organization_id ? reports::Cell(*r.organization_id) : reports::Cell{});
        row.push_back(r.assignee_id ? reports::Cell(*r.assignee_id) : reports::Cell{});
        for (const auto& f : w.fields) {
            const auto v = r.Field(f.name);
            if (v.is_null()) {
                row.emplace_back();
            } else if (f.type == records::FieldType::kTime && v.is_string()) {
                auto at = ParseRfc3339(v.as_string());
                row.push_back(at ? reports::Cell(reports::Instant{*at}) : reports::Cell(std::string(v.as_string())));
            } else if (v.is_string()) {
                row.emplace_back(std::string(v.as_string()));
            } else if (v.is_int64()) {
                row.emplace_back(v.as_int64());
            } else {
                row.emplace_back(json::serialize(v));
            }
        }
        row.emplace_back(reports::Instant{r.created_at});
        row.emplace_back(reports::Instant{r.updated_at});
        row.push_back(r.closed_at ? reports::Cell(reports::Instant{*r.closed_at}) : reports::Cell{});
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace

Result<http::Response> ListWorkflows(Context&) {
    json::array items;
    for (const auto& w : records::Workflows()) {
        items.push_back(records::ToJson(w));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> ListRecords(Context& ctx, const Workflow& w) {
    records::RecordQuery q;
    if (auto s = ctx.QueryString("status")) q.statuses = SplitComma(*s);
    for (const auto& s : q.statuses) {
        if (w.State(s) == nullptr) {
            return Fail(Error::Field("status", fmt::format("\"{}\" is not a state of a {}", s, w.label_en),
                                     ErrorCode::kInvalidArgument));
        }
    }
    q.severity = ctx.QueryString("severity");
    q.organization_id = UNYO_TRY(ctx.QueryInt("organization_id", 1, INT64_MAX));
    q.assignee_id = UNYO_TRY(ctx.QueryInt("assignee_id", 1, INT64_MAX));
    q.q = ctx.QueryString("q");
    q.open = UNYO_TRY(ctx.QueryBool("open"));
    q.from = UNYO_TRY(ctx.QueryTime("from"));
    q.to = UNYO_TRY(ctx.QueryTime("to"));
    auto& svc = ctx.services().records;
    if (UNYO_TRY(WantsExport(ctx))) {
        const auto all = UNYO_TRY(AllNewestFirst<records::Record>(
            q, &records::RecordQuery::before_id,
            [&](const records::RecordQuery& page) { return svc.List(w, page, ctx.principal()); },
            [](const records::Record& r) { return r.id; }));
        return ExportResponse(ctx, RecordsTable(w, all));
    }
    q.before_id = UNYO_TRY(ctx.QueryInt("cursor", 1, INT64_MAX));
    q.limit = UNYO_TRY(ctx.Limit());
    const auto page = UNYO_TRY(svc.List(w, q, ctx.principal()));
    json::array items;
    for (const auto& r : page) {
        items.push_back(records::ToJson(r, w));
    }
    const bool full = static_cast<int>(page.size()) == q.limit;
    return ListResponse(std::move(items), full ? std::optional(page.back().id) : std::nullopt);
}

namespace {

json::array Summaries(const Workflow& w, const std::vector<records::Record>& items) {
    json::array out;
    for (const auto& r : items) {
        const auto* state = w.State(r.status);
        out.push_back(json::object{{"id", r.id},
                                   {"key", r.key},
                                   {"title", r.title},
                                   {"status", r.status},
                                   {"status_label", state ? state->label_ja : r.status},
                                   {"permanent_fix", r.Field("permanent_fix")},
                                   {"created_at", FormatRfc3339(r.created_at)}});
    }
    return out;
}

}  // namespace

Result<http::Response> CreateRecord(Context& ctx, const Workflow& w) {
    const auto body = UNYO_TRY(ctx.Body());
    const auto in = UNYO_TRY(ReadInput(body));
    const auto location = fmt::format("/api/v1/{}/", w.collection);
    const auto r = UNYO_TRY(
        ctx.services().records.Create(w, in, ctx.principal(), ctx.actor(), ctx.IdempotencyHook(location)));
    auto detail = UNYO_TRY(DetailJson(ctx, w, r));
    // INC-7: a new incident is offered the past incidents most like it.
    if (w.kind == "incident") {
        detail["similar"] = Summaries(w, UNYO_TRY(ctx.services().records.Similar(w, r, ctx.principal())));
    }
    return CreatedResponse(detail, r.version, location + std::to_string(r.id));
}

Result<http::Response> SimilarRecords(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    const auto limit = UNYO_TRY(ctx.QueryInt("limit", 1, 50)).value_or(5);
    return ListResponse(
        Summaries(w, UNYO_TRY(ctx.services().records.Similar(w, r, ctx.principal(), static_cast<int>(limit)))),
        std::nullopt);
}

Result<http::Response> GetRecord(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    return ResourceResponse(UNYO_TRY(DetailJson(ctx, w, r)), r.version);
}

Result<http::Response> UpdateRecord(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto in = UNYO_TRY(ReadInput(UNYO_TRY(ctx.Body())));
    const auto r = UNYO_TRY(ctx.services().records.Update(w, id, version, in, ctx.principal(), ctx.actor()));
    return ResourceResponse(UNYO_TRY(DetailJson(ctx, w, r)), r.version);
}

Result<http::Response> TransitionRecord(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    const auto* to = body.if_contains("to");
    if (to == nullptr || !to->is_string()) {
        return Fail(Error::Field("to", "is required: the state to move to"));
    }
    const auto in = UNYO_TRY(ReadInput(body, {"to"}));
    const auto r = UNYO_TRY(
        ctx.services().records.Transition(w, id, std::string(to->as_string()), in, ctx.principal(), ctx.actor()));
    return ResourceResponse(UNYO_TRY(DetailJson(ctx, w, r)), r.version);
}

Result<http::Response> CommentRecord(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"body"});
    const auto text = f.RequiredSecret("body", 20000);
    UNYO_TRY_VOID(f.Finish());
    const auto e = UNYO_TRY(ctx.services().records.Comment(w, id, text, ctx.principal(), ctx.actor()));
    return http::Response::Json(201, records::ToJson(e));
}

Result<http::Response> LinkRecord(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"other_key", "relation"});
    const auto other = f.RequiredString("other_key", 20);
    const auto relation = f.OptionalString("relation", 20).value_or("related");
    UNYO_TRY_VOID(f.Finish());
    UNYO_TRY_VOID(ctx.services().records.Link(w, id, other, relation, ctx.principal(), ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> RecordTimeline(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    json::array items;
    for (const auto& e : UNYO_TRY(ctx.services().records.Timeline(r.id))) {
        items.push_back(records::ToJson(e));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> AddTimeEntry(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"work_date", "minutes", "note"});
    const auto date = f.RequiredString("work_date", 10);
    const auto minutes = f.OptionalInt("minutes", 1, 24 * 60);
    if (!f.Has("minutes")) f.AddError("minutes", "is required");
    const auto note = f.OptionalString("note", 2000).value_or("");
    UNYO_TRY_VOID(f.Finish());
    const auto t = UNYO_TRY(ctx.services().records.AddTime(w, id, date, static_cast<int>(*minutes), note,
                                                            ctx.principal(), ctx.actor()));
    return http::Response::Json(201, records::ToJson(t));
}

Result<http::Response> ListTimeEntries(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    json::array items;
    for (const auto& t : UNYO_TRY(ctx.services().records.TimeEntries(r.id))) items.push_back(records::ToJson(t));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> SupportHours(Context& ctx) {
    const auto month = ctx.QueryString("month").value_or(
        calendar::Date::FromInstant(ctx.services().clock.Now()).ToString().substr(0, 7));  // this month in Japan
    const auto budget = UNYO_TRY(ctx.QueryInt("budget_minutes", 0, 100000)).value_or(records::kDefaultSupportMinutes);
    const auto h = UNYO_TRY(ctx.services().records.SupportHoursOf(month, static_cast<int>(budget)));
    json::array entries;
    for (const auto& t : h.entries) entries.push_back(records::ToJson(t));
    return http::Response::Json(200, json::object{{"month", h.month},
                                                  {"budget_minutes", h.budget_minutes},
                                                  {"used_minutes", h.used_minutes},
                                                  {"remaining_minutes", h.budget_minutes - h.used_minutes},
                                                  {"entries", std::move(entries)}});
}

// INQ-2: no inquiry is left unanswered — those without a first answer, oldest first, with
// their age and the first-answer clock.
Result<http::Response> InquiryAgeing(Context& ctx) {
    const auto& w = *records::WorkflowByKind("inquiry");
    records::RecordQuery q;
    q.statuses = {"received", "answering"};
    q.limit = 500;
    auto items = UNYO_TRY(ctx.services().records.List(w, q, ctx.principal()));
    std::reverse(items.begin(), items.end());
    const Millis now = ctx.services().clock.Now();
    json::array out;
    for (const auto& r : items) {
        auto o = records::ToJson(r, w);
        o["age_hours"] = static_cast<double>(now - r.created_at) / static_cast<double>(kHourMs);
        json::array clocks;
        for (const auto& c : UNYO_TRY(ctx.services().records.Clocks(r))) clocks.push_back(sla::ToJson(c));
        o["sla"] = std::move(clocks);
        out.push_back(std::move(o));
    }
    return ListResponse(std::move(out), std::nullopt);
}

// POST body: the file itself, with its Content-Type; ?name= the file name (UTF-8).
Result<http::Response> AddAttachment(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto name = ctx.QueryString("name");
    if (!name) {
        return Fail(Error::Field("name", "is required: the file name, as ?name=", ErrorCode::kInvalidArgument));
    }
    const auto type = std::string(ctx.request().Header("content-type").value_or(""));
    const auto a = UNYO_TRY(ctx.services().records.Attach(w, id, *name, type, ctx.request().body, ctx.principal(),
                                                          ctx.actor()));
    auto r = http::Response::Json(201, records::ToJson(a));
    r.SetHeader("Location", fmt::format("/api/v1/{}/{}/attachments/{}", w.collection, id, a.id));
    return r;
}

Result<http::Response> ListAttachments(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    json::array items;
    for (const auto& a : UNYO_TRY(ctx.services().records.Attachments(r.id))) items.push_back(records::ToJson(a));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> DownloadAttachment(Context& ctx, const Workflow& w) {
    const auto r = UNYO_TRY(ctx.services().records.Get(w, UNYO_TRY(ctx.IdParam()), ctx.principal()));
    const auto [a, bytes] = UNYO_TRY(ctx.services().records.ReadAttachment(r.id, UNYO_TRY(ctx.IdParam("aid"))));
    http::Response res;
    res.content_type = a.content_type;
    res.body = bytes;
    std::string encoded;
    for (unsigned char ch : a.file_name) {
        encoded += std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_' ? std::string(1, static_cast<char>(ch))
                                                                          : fmt::format("%{:02X}", ch);
    }
    // Always a download, never rendered in the console's origin.
    res.SetHeader("Content-Disposition", fmt::format("attachment; filename*=UTF-8''{}", encoded));
    res.SetHeader("Content-Security-Policy", "sandbox");
    return res;
}

Result<http::Response> ListSlaPolicies(Context& ctx) {
    json::array items;
    const auto all = ctx.services().records.policies().All();
    for (const auto& p : *all) items.push_back(records::ToJson(p));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> GetSlaPolicy(Context& ctx) {
    const auto p = UNYO_TRY(ctx.services().records.policies().Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(records::ToJson(p), p.version);
}

// PATCH {"targets": [{"name", "label"?, "duration_ms"?, "warn_percent"?, "calendar_id"?}], "valid_from"?}
Result<http::Response> UpdateSlaPolicy(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"targets", "valid_from"});
    const auto valid_from = f.OptionalInstant("valid_from");
    std::vector<records::TargetChange> changes;
    const auto* targets = body.if_contains("targets");
    if (targets == nullptr || !targets->is_array()) {
        f.AddError("targets", "is required: an array of {name, duration_ms, warn_percent, calendar_id, label}");
    } else {
        for (std::size_t i = 0; i < targets->as_array().size(); ++i) {
            const auto& t = targets->as_array()[i];
            const std::string at = fmt::format("targets[{}]", i);
            if (!t.is_object()) {
                f.AddError(at, "must be an object");
                continue;
            }
            FieldReader tf(t.as_object());
            tf.AllowOnly({"name", "label", "duration_ms", "warn_percent", "calendar_id"});
            records::TargetChange ch;
            ch.name = tf.RequiredString("name", 40);
            ch.label = tf.OptionalString("label", 100);
            ch.duration = tf.OptionalInt("duration_ms", 0, std::numeric_limits<std::int32_t>::max() * 1000LL);
            if (const auto w = tf.OptionalInt("warn_percent", 0, 100)) ch.warn_percent = static_cast<int>(*w);
            if (const auto* cal = t.as_object().if_contains("calendar_id")) {
                if (cal->is_null()) {
                    ch.calendar_id = 0;
                } else {
                    ch.calendar_id = tf.OptionalInt("calendar_id", 1, std::numeric_limits<std::int64_t>::max());
                }
            }
            if (auto done = tf.Finish(); !done) {
                f.AddErrors(at, done.error());
                continue;
            }
            changes.push_back(std::move(ch));
        }
    }
    UNYO_TRY_VOID(f.Finish());
    const auto p = UNYO_TRY(ctx.services().records.policies().Update(id, version, changes, valid_from, ctx.actor()));
    UNYO_TRY_VOID(ctx.services().records.RescheduleSla());
    return ResourceResponse(records::ToJson(p), p.version);
}

Result<http::Response> ListWatchers(Context& ctx, const Workflow& w) {
    json::array items;
    for (const auto& watcher :
         UNYO_TRY(ctx.services().records.Watchers(w, UNYO_TRY(ctx.IdParam()), ctx.principal()))) {
        items.push_back(records::ToJson(watcher));
    }
    return ListResponse(std::move(items), std::nullopt);
}

// POST {} (oneself) or {"user_id": N}: 201 when added, 200 when already watching.
Result<http::Response> AddWatcher(Context& ctx, const Workflow& w) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.BodyOrEmpty());
    FieldReader f(body);
    f.AllowOnly({"user_id"});
    const auto user_id = f.OptionalInt("user_id", 1, std::numeric_limits<std::int64_t>::max());
    UNYO_TRY_VOID(f.Finish());
    const bool added = UNYO_TRY(ctx.services().records.Watch(w, id, user_id, ctx.principal(), ctx.actor()));
    const std::int64_t uid = user_id.value_or(ctx.principal().user_id);
    for (const auto& watcher : UNYO_TRY(ctx.services().records.Watchers(w, id, ctx.principal()))) {
        if (watcher.user_id == uid) {
            return http::Response::Json(added ? 201 : 200, records::ToJson(watcher));
        }
    }
    return Fail(Error::Internal("the watcher just added is missing"));
}

Result<http::Response> RemoveWatcher(Context& ctx, const Workflow& w) {
    UNYO_TRY_VOID(ctx.services().records.Unwatch(w, UNYO_TRY(ctx.IdParam()), UNYO_TRY(ctx.IdParam("user_id")),
                                                  ctx.principal(), ctx.actor()));
    return http::Response::NoContent();
}

void AddRecordRoutes(http::Router<Route>& router) {
    using auth::Bit;
    using auth::Role;
    constexpr auth::RoleSet kRaisers =
        Bit(Role::kAdmin) | Bit(Role::kManager) | Bit(Role::kOperator) | Bit(Role::kVendor) | Bit(Role::kRequester);
    const std::string who_sees =
        "admin, manager, operator, viewer: all; vendor: its organisation's and its own; requester: its own";
    router.Add({"GET", "/api/v1/workflows", Access::kSignedIn, 0, false, "Workflows of every record kind",
                "any signed-in user", ListWorkflows});
    router.Add({"GET", "/api/v1/inquiries/ageing", Access::kSignedIn, 0, false,
                "Unanswered inquiries, oldest first, with their age (INQ-2)", who_sees, InquiryAgeing});
    router.Add({"GET", "/api/v1/sla-policies", Access::kSignedIn, 0, false,
                "SLA policies and their targets (newest version, with the history of versions)", "any signed-in user",
                ListSlaPolicies});
    router.Add({"GET", "/api/v1/sla-policies/{id}", Access::kSignedIn, 0, false, "One SLA policy",
                "any signed-in user", GetSlaPolicy});
    router.Add({"PATCH", "/api/v1/sla-policies/{id}", Access::kSignedIn, kPlanners,
                false, "Change targets of an SLA policy from valid_from on (If-Match; a new version)",
                "admin, manager", UpdateSlaPolicy});
    constexpr auth::RoleSet kWorkers = Bit(Role::kAdmin) | Bit(Role::kManager) | Bit(Role::kOperator) | Bit(Role::kVendor);
    router.Add({"GET", "/api/v1/support-hours", Access::kSignedIn, kWorkers | Bit(Role::kViewer), false,
                "Maintenance support hours of a month (ISS-2)", "admin, manager, operator, vendor, viewer",
                SupportHours});
    for (const auto& wf : records::Workflows()) {
        const Workflow* w = &wf;
        const std::string base = "/api/v1/" + w->collection;
        const std::string name = w->label_en;
        auto bind = [w](Result<http::Response> (*fn)(Context&, const Workflow&)) {
            return [w, fn](Context& ctx) { return fn(ctx, *w); };
        };
        router.Add({"GET", base, Access::kSignedIn, 0, false, "List " + name + " records (format=csv|xlsx)", who_sees,
                    bind(ListRecords)});
        router.Add({"POST", base, Access::kSignedIn, kRaisers, true, "Raise a " + name,
                    "admin, manager, operator, vendor, requester", bind(CreateRecord)});
        router.Add({"GET", base + "/{id}", Access::kSignedIn, 0, false, "One " + name + " with its SLA clocks",
                    who_sees, bind(GetRecord)});
        router.Add({"PATCH", base + "/{id}", Access::kSignedIn, kRaisers, false, "Change a " + name + " (If-Match)",
                    "those who may see it, but viewers", bind(UpdateRecord)});
        router.Add({"POST", base + "/{id}/transitions", Access::kSignedIn, kRaisers, false,
                    "Move a " + name + " to another state", "as the workflow says", bind(TransitionRecord)});
        router.Add({"POST", base + "/{id}/comments", Access::kSignedIn, kRaisers, false, "Comment on a " + name,
                    "those who may see it, but viewers", bind(CommentRecord)});
        router.Add({"POST", base + "/{id}/links", Access::kSignedIn, kRaisers, false,
                    "Link a " + name + " to another record", "those who may see it, but viewers", bind(LinkRecord)});
        router.Add({"POST", base + "/{id}/attachments", Access::kSignedIn, kRaisers, false,
                    "Attach a file (the body, with its Content-Type; ?name=)", "those who may see it, but viewers",
                    bind(AddAttachment), true});
        router.Add({"GET", base + "/{id}/attachments", Access::kSignedIn, 0, false, "The " + name + "'s attachments",
                    who_sees, bind(ListAttachments)});
        router.Add({"GET", base + "/{id}/attachments/{aid}", Access::kSignedIn, 0, false, "Download an attachment",
                    who_sees, bind(DownloadAttachment)});
        router.Add({"GET", base + "/{id}/watchers", Access::kSignedIn, 0, false, "Who watches the " + name,
                    who_sees, bind(ListWatchers)});
        router.Add({"POST", base + "/{id}/watchers", Access::kSignedIn, kRaisers | Bit(Role::kViewer), false,
                    "Watch a " + name + " ({} for oneself; {\"user_id\"} for someone else)",
                    "those who may see it; someone else: admin, manager, operator", bind(AddWatcher)});
        router.Add({"DELETE", base + "/{id}/watchers/{user_id}", Access::kSignedIn, kRaisers | Bit(Role::kViewer),
                    false, "Stop watching a " + name, "oneself; anyone: admin, manager, operator",
                    bind(RemoveWatcher)});
        router.Add({"GET", base + "/{id}/similar", Access::kSignedIn, 0, false,
                    "Other " + name + " records most alike in their words", who_sees, bind(SimilarRecords)});
        if (w->kind == "issue") {
            router.Add({"POST", base + "/{id}/time-entries", Access::kSignedIn, kWorkers, false,
                        "Record support time spent on an issue (ISS-2)", "admin, manager, operator, vendor",
                        bind(AddTimeEntry)});
            router.Add({"GET", base + "/{id}/time-entries", Access::kSignedIn, 0, false, "Time spent on an issue",
                        who_sees, bind(ListTimeEntries)});
        }
        router.Add({"GET", base + "/{id}/timeline", Access::kSignedIn, 0, false, "The " + name + "'s timeline",
                    who_sees, bind(RecordTimeline)});
    }
}

}  // namespace unyo::api
