#include "records/record_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "calendar/civil_date.hpp"
#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "raci/raci_store.hpp"
#include "storage/sql/query_builder.hpp"

namespace unyo::records {
namespace {

using auth::Role;

constexpr std::size_t kMaxTextLength = 20000;

bool SeesAll(const auth::Principal& p) {
    return p.Is(Role::kAdmin) || p.Is(Role::kManager) || p.Is(Role::kOperator) || p.Is(Role::kViewer);
}

bool Empty(const json::value& v) {
    return v.is_null() || (v.is_string() && v.as_string().empty()) || (v.is_array() && v.as_array().empty());
}

std::size_t Utf8Length(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Routing by the role division matrix (ORG-3): the work item `item_id`'s main organisation (the
// first main column pointed at one of unyo's organisations) and its support organisations, as
// the timeline entry says them. `assign`: the record goes to the main organisation.
Result<json::object> Route(storage::Connection& c, std::int64_t item_id, Record& r, bool assign) {
    const auto route = UNYO_TRY(raci::RouteOf(c, item_id));
    auto body = raci::ToJson(route);
    if (!route.found) return body;
    if (assign && route.main) r.organization_id = route.main->organization_id;
    body["assigned"] = assign && route.main.has_value();
    return body;
}

Error Stale(const Record& r) {
    return {ErrorCode::kPreconditionFailed,
            fmt::format("{} was changed by someone else (now version {}); reload and retry", r.key, r.version),
            {}};
}

Result<std::int64_t> AppendTimeline(storage::Connection& c, std::int64_t record_id, const audit::Actor& actor,
                                    const std::string& type, const json::object& body, Millis at) {
    auto rows = UNYO_TRY(c.Query(
        "INSERT INTO record_timeline (record_id, at, actor_id, actor_login, type, body_json) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {record_id, at, storage::Nullable(actor.id), actor.login, type, json::serialize(body)}));
    return rows.front().Int(0);
}

Result<void> Save(storage::Connection& c, const Record& r, std::int64_t expected_version) {
    const auto n = UNYO_TRY(c.Exec(
        "UPDATE records SET title = $1, description = $2, status = $3, severity = $4, organization_id = $5, "
        "assignee_id = $6, fields_json = $7, updated_at = $8, closed_at = $9, version = $10, sla_next_at = $8 "
        "WHERE id = $11 AND version = $12",
        {r.title, r.description, r.status, r.severity, storage::Nullable(r.organization_id),
         storage::Nullable(r.assignee_id), json::serialize(r.fields), r.updated_at, storage::Nullable(r.closed_at),
         r.version, r.id, expected_version}));
    if (n == 0) {
        return Fail(Stale(r));
    }
    return {};
}

// Rebuilds the searchable text of a record — title, description, the kind's text fields and
// every comment — and its full-text index row (SQLite FTS5; PostgreSQL indexes the column).
Result<void> RefreshSearch(storage::Connection& c, const Record& r, const Workflow& w) {
    std::string text = r.key + "\n" + r.title + "\n" + r.description;
    for (const auto& f : w.fields) {
        const auto v = r.Field(f.name);
        if ((f.type == FieldType::kText || f.type == FieldType::kLongText) && v.is_string()) {
            text += "\n" + std::string(v.as_string());
        }
    }
    auto comments = UNYO_TRY(c.Query(
        "SELECT body_json FROM record_timeline WHERE record_id = $1 AND type = 'comment' ORDER BY id", {r.id}));
    for (const auto& row : comments.rows) {
        const auto body = ParseObjectOrEmpty(row.Text(0));
        if (const auto* b = body.if_contains("body"); b && b->is_string()) {
            text += "\n" + std::string(b->as_string());
        }
    }
    UNYO_TRY(c.Exec("UPDATE records SET search_text = $1 WHERE id = $2", {text, r.id}));
    if (c.dialect() == storage::Dialect::kSqlite) {
        UNYO_TRY(c.Exec("DELETE FROM records_fts WHERE rowid = $1", {r.id}));
        UNYO_TRY(c.Exec("INSERT INTO records_fts (rowid, search_text) VALUES ($1, $2)", {r.id, text}));
    }
    return {};
}

// An FTS5 phrase: the text in double quotes, inner quotes doubled.
std::string Phrase(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        out += ch;
        if (ch == '"') out += '"';
    }
    return out + "\"";
}

// Timeline entries for every core or kind field that changed from `before` to `after`.
std::vector<json::object> FieldChanges(const Record& before, const Record& after, const Workflow& w) {
    std::vector<json::object> out;
    auto add = [&out](const std::string& name, json::value b, json::value a) {
        if (b != a) {
            out.push_back(json::object{{"name", name}, {"before", std::move(b)}, {"after", std::move(a)}});
        }
    };
    add("title", json::value(before.title), json::value(after.title));
    add("description", json::value(before.description), json::value(after.description));
    add("severity", json::value(before.severity), json::value(after.severity));
    add("organization_id", OrNull(before.organization_id), OrNull(after.organization_id));
    add("assignee_id", OrNull(before.assignee_id), OrNull(after.assignee_id));
    for (const auto& f : w.fields) {
        add(f.name, before.Field(f.name), after.Field(f.name));
    }
    return out;
}

}  // namespace

RecordService::RecordService(storage::Database& db, const Clock& clock, calendar::CalendarStore& calendars,
                             SlaPolicyStore& policies, std::filesystem::path attachments_dir)
    : db_(db),
      clock_(clock),
      calendars_(calendars),
      policies_(policies),
      attachments_dir_(std::move(attachments_dir)) {}

bool RecordService::CanSee(const auth::Principal& p, const Record& r) const {
    if (SeesAll(p)) {
        return true;
    }
    if (p.Is(Role::kVendor) && ((r.organization_id && *r.organization_id == p.organization_id) ||
                                (r.assignee_id && *r.assignee_id == p.user_id) ||
                                std::find(r.support_organization_ids.begin(), r.support_organization_ids.end(),
                                          p.organization_id) != r.support_organization_ids.end())) {
        return true;
    }
    return r.created_by && *r.created_by == p.user_id;
}

bool RecordService::CanEdit(const auth::Principal& p, const Record& r) const {
    if (p.Is(Role::kAdmin) || p.Is(Role::kManager) || p.Is(Role::kOperator)) {
        return true;
    }
    return (p.Is(Role::kVendor) || p.Is(Role::kRequester)) && CanSee(p, r);
}

Result<Record> RecordService::Load(storage::Connection& c, const Workflow& w, std::int64_t id) {
    auto rows =
        UNYO_TRY(c.Query(fmt::format("SELECT {} FROM records WHERE id = $1 AND kind = $2", kRecordColumns), {id, w.kind}));
    if (rows.empty()) {
        return Fail(Error::NotFound(fmt::format("{} {} does not exist", w.label_en, id)));
    }
    Record r = RecordFromRow(rows.front());
    for (const auto& row : UNYO_TRY(c.Query("SELECT organization_id FROM record_support_organizations WHERE record_id = $1 "
                                            "ORDER BY organization_id",
                                            {id}))
                               .rows) {
        r.support_organization_ids.push_back(row.Int(0));
    }
    return r;
}

Result<json::object> RecordService::ValidateFields(storage::Connection& c, const Workflow& w, const json::object& in,
                                                   std::vector<FieldError>& errors) {
    json::object out;
    for (const auto& kv : in) {
        const std::string name(kv.key());
        const auto* def = w.Field(name);
        const json::value& v = kv.value();
        if (def == nullptr) {
            errors.push_back({name, fmt::format("is not a field of this kind of record ({})", w.kind)});
            continue;
        }
        if (v.is_null()) {
            out[name] = nullptr;
            continue;
        }
        switch (def->type) {
            case FieldType::kText:
            case FieldType::kLongText:
                if (!v.is_string()) {
                    errors.push_back({name, "must be a string"});
                } else if (Utf8Length(v.as_string()) > kMaxTextLength) {
                    errors.push_back({name, fmt::format("must be at most {} characters", kMaxTextLength)});
                } else {
                    out[name] = v;
                }
                break;
            case FieldType::kTime: {
                const auto t = v.is_string() ? ParseRfc3339(v.as_string()) : std::nullopt;
                if (!t) {
                    errors.push_back({name, "must be a time such as 2026-11-20T23:00:00+09:00"});
                } else {
                    out[name] = FormatRfc3339(*t);
                }
                break;
            }
            case FieldType::kDate: {
                const auto d = v.is_string() ? calendar::Date::Parse(v.as_string()) : std::nullopt;
                if (!d) {
                    errors.push_back({name, "must be a date (YYYY-MM-DD)"});
                } else {
                    out[name] = d->ToString();
                }
                break;
            }
            case FieldType::kEnum:
                if (!v.is_string() ||
                    std::find(def->options.begin(), def->options.end(), std::string_view(v.as_string())) ==
                        def->options.end()) {
                    std::string options;
                    for (const auto& o : def->options) options += (options.empty() ? "" : ", ") + o;
                    errors.push_back({name, "must be one of " + options});
                } else {
                    out[name] = v;
                }
                break;
            case FieldType::kUser: {
                if (!v.is_int64() || v.as_int64() <= 0) {
                    errors.push_back({name, "must be a user id"});
                    break;
                }
                auto rows = UNYO_TRY(c.Query("SELECT 1 FROM users WHERE id = $1", {v.as_int64()}));
                if (rows.empty()) {
                    errors.push_back({name, fmt::format("user {} does not exist", v.as_int64())});
                } else {
                    out[name] = v;
                }
                break;
            }
            case FieldType::kWorkItem: {
                if (!v.is_int64() || v.as_int64() <= 0) {
                    errors.push_back({name, "must be a work item's id (a role division matrix's row)"});
                    break;
                }
                auto rows = UNYO_TRY(c.Query("SELECT section FROM raci_items WHERE id = $1", {v.as_int64()}));
                if (rows.empty()) {
                    errors.push_back({name, fmt::format("work item {} does not exist", v.as_int64())});
                } else if (rows.front().Bool(0)) {
                    errors.push_back({name, fmt::format("work item {} is a heading; choose a work item under it", v.as_int64())});
                } else {
                    out[name] = v;
                }
                break;
            }
            case FieldType::kCi: {
                if (!v.is_int64() || v.as_int64() <= 0) {
                    errors.push_back({name, "must be a configuration item's id"});
                } else if (UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {v.as_int64()})).empty()) {
                    errors.push_back({name, fmt::format("configuration item {} does not exist", v.as_int64())});
                } else {
                    out[name] = v;
                }
                break;
            }
            case FieldType::kDocuments: {
                bool ok = v.is_array(), reported = false;
                json::array docs;
                if (ok) {
                    for (const auto& d : v.as_array()) {
                        const auto* o = d.if_object();
                        const auto* n = o ? o->if_contains("name") : nullptr;
                        const auto* done = o ? o->if_contains("done") : nullptr;
                        const auto* doc = o ? o->if_contains("document_id") : nullptr;
                        json::object entry{{"done", done && done->is_bool() && done->as_bool()}};
                        if (doc && !doc->is_null()) {
                            // A document of the register (DOC-1): named by it, done by a new version.
                            auto found = doc->is_int64() ? UNYO_TRY(c.Query("SELECT name FROM documents WHERE id = $1",
                                                                            {doc->as_int64()}))
                                                         : storage::Rows{};
                            if (found.empty()) {
                                errors.push_back({name, fmt::format("document {} is not in the register",
                                                                    doc->is_int64() ? std::to_string(doc->as_int64()) : "?")});
                                reported = true;
                                ok = false;
                                break;
                            }
                            entry["document_id"] = doc->as_int64();
                            entry["name"] = found.front().Text(0);
                        } else if (!n || !n->is_string() || n->as_string().empty()) {
                            ok = false;
                            break;
                        } else {
                            entry["name"] = n->as_string();
                        }
                        if (done && !done->is_bool()) {
                            ok = false;
                            break;
                        }
                        docs.push_back(std::move(entry));
                    }
                }
                if (!ok) {
                    if (!reported) {
                        errors.push_back({name, "must be a list of {\"name\": \"…\", \"done\": true|false} or {\"document_id\": N}"});
                    }
                } else {
                    out[name] = std::move(docs);
                }
                break;
            }
        }
    }
    return out;
}

namespace {

// Applies the common core members of `in` to `r` and checks them; errors collect per field.
void ApplyCore(Record& r, const RecordInput& in, const Workflow& w, std::vector<FieldError>& errors) {
    if (in.title) {
        r.title = *in.title;
        if (r.title.empty()) errors.push_back({"title", "is required"});
        if (Utf8Length(r.title) > 200) errors.push_back({"title", "must be at most 200 characters"});
    }
    if (in.description) {
        r.description = *in.description;
        if (Utf8Length(r.description) > kMaxTextLength) errors.push_back({"description", "is too long"});
    }
    if (in.severity) {
        if (!w.has_severity) {
            errors.push_back({"severity", fmt::format("a {} has no severity", w.label_en)});
        } else if (std::find(Severities().begin(), Severities().end(), *in.severity) == Severities().end()) {
            errors.push_back({"severity", "must be one of critical, high, medium, low"});
        } else {
            r.severity = *in.severity;
        }
    }
    if (in.organization_id) r.organization_id = *in.organization_id;
    if (in.assignee_id) r.assignee_id = *in.assignee_id;
}

Result<void> CheckReferences(storage::Connection& c, const Record& r, std::vector<FieldError>& errors) {
    if (r.organization_id) {
        auto rows = UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*r.organization_id}));
        if (rows.empty()) errors.push_back({"organization_id", fmt::format("organisation {} does not exist", *r.organization_id)});
    }
    if (r.assignee_id) {
        auto rows = UNYO_TRY(c.Query("SELECT 1 FROM users WHERE id = $1", {*r.assignee_id}));
        if (rows.empty()) errors.push_back({"assignee_id", fmt::format("user {} does not exist", *r.assignee_id)});
    }
    return {};
}

void MergeFields(Record& r, const json::object& fields) {
    for (const auto& kv : fields) {
        if (kv.value().is_null()) {
            r.fields.erase(kv.key());
        } else {
            r.fields[kv.key()] = kv.value();
        }
    }
}

// A field named in `errors` already (given, but wrong) is not said to be missing as well.
void RequireCreationFields(const Workflow& w, const Record& r, const char* message, std::vector<FieldError>& errors) {
    for (const auto& f : w.fields) {
        const bool named = std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) { return e.field == f.name; });
        if (f.required_at_creation && !r.HasValue(f.name) && !named) {
            errors.push_back({f.name, message});
        }
    }
}

}  // namespace

Result<void> RecordService::ApplyInput(storage::Connection& c, const Workflow& w, const RecordInput& in, Record& r,
                                       std::vector<FieldError>& errors) {
    ApplyCore(r, in, w, errors);
    UNYO_TRY_VOID(CheckReferences(c, r, errors));
    // The valid fields are merged even when others are not (nothing is saved then), so that a
    // required field given rightly is not reported missing.
    MergeFields(r, UNYO_TRY(ValidateFields(c, w, in.fields, errors)));
    return {};
}

Result<Record> RecordService::Create(const Workflow& w, const RecordInput& in, const auth::Principal& who,
                                     const audit::Actor& actor, const auth::TxHook& hook) {
    if (who.Is(Role::kViewer) && !(who.Is(Role::kAdmin) || who.Is(Role::kManager) || who.Is(Role::kOperator) ||
                                   who.Is(Role::kVendor) || who.Is(Role::kRequester))) {
        return Fail(Error::Denied(fmt::format("a viewer cannot raise a {}", w.label_en)));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Record> {
        Record r;
        r.kind = w.kind;
        r.status = w.initial;
        r.severity = w.has_severity ? "medium" : "";
        if (who.user_id > 0) r.created_by = who.user_id;  // 0: raised by the system (monitoring)
        r.created_at = r.updated_at = now;
        std::vector<FieldError> errors;
        if (!in.title) errors.push_back({"title", "is required"});
        if (!in.organization_id && !SeesAll(who)) {
            r.organization_id = who.organization_id;  // a vendor's or requester's own organisation
        }
        UNYO_TRY_VOID(ApplyInput(c, w, in, r, errors));
        RequireCreationFields(w, r, "is required", errors);
        if (!errors.empty()) {
            return Fail(Error::Validation(std::move(errors)));
        }
        if (w.kind == "incident" && !r.HasValue("recognized_at")) {
            r.fields["recognized_at"] = FormatRfc3339(now);  // 障害認知日時 defaults to the receipt
        }
        // Raised against a work item: to its main organisation unless one was given (ORG-3).
        std::optional<json::object> routing;
        if (const auto item = r.Field("work_item_id"); item.is_int64()) {
            routing = UNYO_TRY(Route(c, item.as_int64(), r, !in.organization_id.has_value()));
        }
        auto counter = UNYO_TRY(
            c.Query("UPDATE record_counters SET last = last + 1 WHERE kind = $1 RETURNING last", {w.kind}));
        const std::int64_t number = counter.front().Int(0);
        r.key = fmt::format("{}-{:06}", w.prefix, number);
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO records (kind, number, key, title, description, status, severity, organization_id, "
            "assignee_id, fields_json, created_by, created_at, updated_at, version, sla_next_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14) RETURNING id",
            {w.kind, number, r.key, r.title, r.description, r.status, r.severity, storage::Nullable(r.organization_id),
             storage::Nullable(r.assignee_id), json::serialize(r.fields), storage::Nullable(r.created_by), now, now,
             HasClocks(w.kind) ? storage::Value(now) : storage::Value(std::monostate{})}));
        r.id = rows.front().Int(0);
        const auto body = ToJson(r, w);
        UNYO_TRY(AppendTimeline(c, r.id, actor, "created", json::object{{"status", r.status}, {"fields", r.fields}}, now));
        if (routing) {
            if (const auto* support = routing->if_contains("support"); support && support->is_array()) {
                for (const auto& s : support->as_array()) {
                    const auto org = s.as_object().if_contains("organization_id");
                    if (!org || !org->is_int64() || org->as_int64() == r.organization_id) continue;
                    UNYO_TRY(c.Exec("INSERT INTO record_support_organizations (record_id, organization_id) VALUES ($1, $2) "
                                    "ON CONFLICT DO NOTHING",
                                    {r.id, org->as_int64()}));
                    r.support_organization_ids.push_back(org->as_int64());
                }
            }
            UNYO_TRY(AppendTimeline(c, r.id, actor, "routing", *routing, now));
            if (on_routed_) UNYO_TRY_VOID(on_routed_(c, r, *routing, now));
        }
        if (const auto ci = r.Field("ci_id"); ci.is_int64() && on_ci_) UNYO_TRY_VOID(on_ci_(c, r, ci.as_int64(), now));
        UNYO_TRY_VOID(RefreshSearch(c, r, w));
        if (who.user_id > 0) {
            UNYO_TRY(c.Exec("INSERT INTO record_watchers (record_id, user_id, added_at) VALUES ($1, $2, $3) "
                            "ON CONFLICT DO NOTHING",
                            {r.id, who.user_id, now}));
        }
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".create", w.kind, r.key, nullptr, body}, now));
        UNYO_TRY_VOID(TellAssignee(c, std::nullopt, r, who, now));
        if (hook) {
            UNYO_TRY_VOID(hook(c, body));
        }
        return r;
    });
}

Result<void> RecordService::TellAssignee(storage::Connection& c, std::optional<std::int64_t> before, const Record& r,
                                         const auth::Principal& who, Millis now) {
    if (!on_assigned_ || !r.assignee_id || r.assignee_id == before || *r.assignee_id == who.user_id) {
        return {};
    }
    return on_assigned_(c, r, now);
}

Result<Record> RecordService::Get(const Workflow& w, std::int64_t id, const auth::Principal& who) {
    auto r = UNYO_TRY(db_.Read([&](storage::Connection& c) { return Load(c, w, id); }));
    if (!CanSee(who, r)) {
        return Fail(Error::NotFound(fmt::format("{} {} does not exist", w.label_en, id)));
    }
    return r;
}

Result<std::vector<Record>> RecordService::List(const Workflow& w, const RecordQuery& q, const auth::Principal& who) {
    // Japanese full text on SQLite: walk the FTS5 trigram matches newest first and stop at the
    // page, so that a common word costs no more than a rare one. Trigrams need three characters;
    // shorter words (and PostgreSQL, through its trigram index) match the text itself.
    const bool fts = q.q && db_.dialect() == storage::Dialect::kSqlite && Utf8Length(*q.q) >= 3;
    storage::QueryBuilder b(
        fts ? fmt::format("SELECT {} FROM records_fts JOIN records ON records.id = records_fts.rowid WHERE 1 = 1",
                          kRecordColumns)
            : fmt::format("SELECT {} FROM records WHERE 1 = 1", kRecordColumns));
    if (fts) {
        b.And("records_fts MATCH {0}", Phrase(*q.q));
    } else if (q.q) {
        b.And(db_.dialect() == storage::Dialect::kPostgres ? "search_text ILIKE {0}" : "search_text LIKE {0}",
              "%" + *q.q + "%");
    }
    b.And("kind = {0}", w.kind);
    if (!SeesAll(who)) {
        if (who.Is(Role::kVendor)) {
            b.Append(" AND (organization_id = {0}", who.organization_id);
            b.Append(" OR assignee_id = {0}", who.user_id);
            b.Append(" OR id IN (SELECT record_id FROM record_support_organizations WHERE organization_id = {0})",
                     who.organization_id);
            b.Append(" OR created_by = {0})", who.user_id);
        } else {
            b.And("created_by = {0}", who.user_id);
        }
    }
    b.AndIn("status", q.statuses);
    if (q.open) {
        std::vector<std::string> closed;
        for (const auto& s : w.states) {
            if (s.closed) closed.push_back(s.name);
        }
        b.AndIn("status", closed, *q.open);
    }
    if (q.severity) b.And("severity = {0}", *q.severity);
    if (q.organization_id) b.And("organization_id = {0}", *q.organization_id);
    if (q.assignee_id) b.And("assignee_id = {0}", *q.assignee_id);
    if (q.from) b.And("created_at >= {0}", *q.from);
    if (q.to) b.And("created_at < {0}", *q.to);
    // Newest first. Plain lists order by (created_at, id) so that the (kind, created_at) index
    // serves date ranges without sorting them; the cursor is the last id seen either way.
    if (q.before_id && fts) {
        b.And("id < {0}", *q.before_id);
    } else if (q.before_id) {
        b.And("(created_at < (SELECT created_at FROM records WHERE id = {0}) OR (created_at = (SELECT created_at "
              "FROM records WHERE id = {0}) AND id < {0}))",
              *q.before_id);
    }
    b.Append(fts ? " ORDER BY records_fts.rowid DESC LIMIT {0}" : " ORDER BY created_at DESC, id DESC LIMIT {0}",
             static_cast<std::int64_t>(q.limit));
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Record>> {
        auto rows = UNYO_TRY(c.Query(b.sql(), b.params()));
        std::vector<Record> out;
        for (const auto& row : rows.rows) {
            out.push_back(RecordFromRow(row));
        }
        return out;
    });
}

Result<Record> RecordService::Update(const Workflow& w, std::int64_t id, std::int64_t expected_version,
                                     const RecordInput& in, const auth::Principal& who, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Record> {
        const Record before = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, before)) {
            return Fail(Error::NotFound(fmt::format("{} {} does not exist", w.label_en, id)));
        }
        if (!CanEdit(who, before)) {
            return Fail(Error::Denied(fmt::format("you may not change {}", before.key)));
        }
        if (before.version != expected_version) {
            return Fail(Stale(before));
        }
        Record r = before;
        std::vector<FieldError> errors;
        UNYO_TRY_VOID(ApplyInput(c, w, in, r, errors));
        RequireCreationFields(w, r, "is required and cannot be cleared", errors);
        if (!errors.empty()) {
            return Fail(Error::Validation(std::move(errors)));
        }
        const auto changes = FieldChanges(before, r, w);
        if (changes.empty()) {
            return before;  // nothing changed: no new version, no timeline entry
        }
        r.updated_at = now;
        r.version = before.version + 1;
        UNYO_TRY_VOID(Save(c, r, expected_version));
        UNYO_TRY_VOID(RefreshSearch(c, r, w));
        for (const auto& ch : changes) {
            UNYO_TRY(AppendTimeline(c, r.id, actor, "field", ch, now));
        }
        if (const auto ci = r.Field("ci_id"); ci.is_int64() && on_ci_ && ci != before.Field("ci_id")) {
            UNYO_TRY_VOID(on_ci_(c, r, ci.as_int64(), now));
        }
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".update", w.kind, r.key, ToJson(before, w), ToJson(r, w)}, now));
        UNYO_TRY_VOID(TellAssignee(c, before.assignee_id, r, who, now));
        return r;
    });
}

Result<Record> RecordService::Transition(const Workflow& w, std::int64_t id, const std::string& to,
                                         const RecordInput& in, const auth::Principal& who,
                                         const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Record> {
        const Record before = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, before)) {
            return Fail(Error::NotFound(fmt::format("{} {} does not exist", w.label_en, id)));
        }
        if (w.State(to) == nullptr) {
            return Fail(Error::Field("to", fmt::format("\"{}\" is not a state of a {}", to, w.label_en)));
        }
        const auto* t = w.Find(before.status, to);
        if (t == nullptr) {
            return Fail(Error::Conflict(fmt::format("{} cannot move from {} to {}", before.key,
                                                    w.State(before.status)->label_ja, w.State(to)->label_ja)));
        }
        if (!CanEdit(who, before) || (t->roles != 0 && (t->roles & who.roles) == 0)) {
            return Fail(Error::Denied(fmt::format("moving {} to {} needs the role {}", before.key,
                                                  w.State(to)->label_ja, auth::FormatRoles(t->roles))));
        }
        Record r = before;
        std::vector<FieldError> errors;
        UNYO_TRY_VOID(ApplyInput(c, w, in, r, errors));
        if (!t->stamp.empty() && !r.HasValue(t->stamp)) {
            r.fields[t->stamp] = FormatRfc3339(now);
        }
        for (const auto& f : t->required) {
            if (!r.HasValue(f)) {
                errors.push_back({f, fmt::format("is required to move to {}", w.State(to)->label_ja)});
            }
        }
        if (!errors.empty()) {
            return Fail(Error::Validation(std::move(errors)));
        }
        // Guards: rules that need more than fields.
        if (t->guard == "permanent_fix_or_problem" && !r.HasValue("permanent_fix")) {
            auto links = UNYO_TRY(c.Query(
                "SELECT 1 FROM record_links l JOIN records o ON o.id = l.other_id WHERE l.record_id = $1 AND o.kind = "
                "'problem'",
                {r.id}));
            if (links.empty()) {
                // INC-5: no incident rests in the interim state.
                return Fail(Error::Field("permanent_fix",
                                         "an incident closes only with a permanent fix (本対応) or a linked problem",
                                         ErrorCode::kConflict));
            }
        }
        if (t->guard == "test_report_attached") {
            auto files = UNYO_TRY(c.Query("SELECT COUNT(*) FROM attachments WHERE record_id = $1", {r.id}));
            if (files.front().Int(0) == 0) {
                // REL-1: the release judgement is made on the test-result report.
                return Fail(Error::Field("attachments", "attach the test-result report before the release judgement",
                                         ErrorCode::kConflict));
            }
        }
        if (t->guard == "documents_done") {
            const auto docs = r.Field("documents");
            if (docs.is_array()) {
                for (const auto& d : docs.as_array()) {
                    if (const auto* doc = d.as_object().if_contains("document_id"); doc && doc->is_int64()) {
                        // A registered document is done by a version made since the change was raised.
                        const auto fresh = UNYO_TRY(c.Query("SELECT 1 FROM document_versions WHERE document_id = $1 AND "
                                                            "created_at >= $2",
                                                            {doc->as_int64(), r.created_at}));
                        if (fresh.empty()) {
                            return Fail(Error::Field(
                                "documents",
                                fmt::format("the document \"{}\" has no new version since {} was requested",
                                            std::string_view(d.as_object().at("name").as_string()), r.key),
                                ErrorCode::kConflict));
                        }
                        continue;
                    }
                    if (!d.as_object().at("done").as_bool()) {
                        // CHG-2: the change completes with the document updates.
                        return Fail(Error::Field(
                            "documents",
                            fmt::format("the document update \"{}\" is not done yet",
                                        std::string_view(d.as_object().at("name").as_string())),
                            ErrorCode::kConflict));
                    }
                }
            }
        }
        r.status = to;
        r.updated_at = now;
        r.version = before.version + 1;
        r.closed_at = w.State(to)->closed ? std::optional(now) : std::nullopt;
        UNYO_TRY_VOID(Save(c, r, before.version));
        UNYO_TRY_VOID(RefreshSearch(c, r, w));
        for (const auto& ch : FieldChanges(before, r, w)) {
            UNYO_TRY(AppendTimeline(c, r.id, actor, "field", ch, now));
        }
        UNYO_TRY(AppendTimeline(c, r.id, actor, "status",
                                json::object{{"from", before.status}, {"to", to}, {"label", t->label_ja}}, now));
        UNYO_TRY(
            audit::Append(c, actor, {w.kind + ".transition", w.kind, r.key, ToJson(before, w), ToJson(r, w)}, now));
        UNYO_TRY_VOID(TellAssignee(c, before.assignee_id, r, who, now));
        return r;
    });
}

Result<TimelineEntry> RecordService::Comment(const Workflow& w, std::int64_t id, const std::string& body,
                                             const auth::Principal& who, const audit::Actor& actor) {
    if (body.empty() || Utf8Length(body) > kMaxTextLength) {
        return Fail(Error::Field("body", fmt::format("must be 1 to {} characters", kMaxTextLength)));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<TimelineEntry> {
        const Record r = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, r)) {
            return Fail(Error::NotFound(fmt::format("{} {} does not exist", w.label_en, id)));
        }
        if (!CanEdit(who, r)) {
            return Fail(Error::Denied(fmt::format("you may not comment on {}", r.key)));
        }
        TimelineEntry e{0, now, actor.id, actor.login, "comment", json::object{{"body", body}}};
        e.id = UNYO_TRY(AppendTimeline(c, r.id, actor, e.type, e.body, now));
        UNYO_TRY_VOID(RefreshSearch(c, r, w));
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".comment", w.kind, r.key, nullptr, e.body}, now));
        return e;
    });
}

Result<void> RecordService::Link(const Workflow& w, std::int64_t id, const std::string& other_key,
                                 const std::string& relation, const auth::Principal& who, const audit::Actor& actor) {
    static const std::vector<std::string> kRelations{"related", "caused_by", "duplicate_of", "resolved_by"};
    if (std::find(kRelations.begin(), kRelations.end(), relation) == kRelations.end()) {
        return Fail(Error::Field("relation", "must be related, caused_by, duplicate_of or resolved_by"));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const Record r = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, r) || !CanEdit(who, r)) {
            return Fail(Error::Denied(fmt::format("you may not link {}", r.key)));
        }
        auto other = UNYO_TRY(c.Query("SELECT id, kind FROM records WHERE key = $1", {other_key}));
        if (other.empty()) {
            return Fail(Error::Field("other_key", fmt::format("no record has the key {}", other_key)));
        }
        const std::int64_t other_id = other.front().Int(0);
        if (other_id == r.id) {
            return Fail(Error::Field("other_key", "a record cannot link to itself"));
        }
        // Links are kept both ways so that each side lists the other.
        for (auto [a, b] : {std::pair{r.id, other_id}, std::pair{other_id, r.id}}) {
            UNYO_TRY(c.Exec(
                "INSERT INTO record_links (record_id, other_id, relation, created_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT DO NOTHING",
                {a, b, relation, now}));
        }
        const json::object body{{"other_key", other_key}, {"relation", relation}};
        UNYO_TRY(AppendTimeline(c, r.id, actor, "link", body, now));
        UNYO_TRY(AppendTimeline(c, other_id, actor, "link", json::object{{"other_key", r.key}, {"relation", relation}},
                                now));
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".link", w.kind, r.key, nullptr, body}, now));
        return {};
    });
}

Result<std::vector<Record>> RecordService::Similar(const Workflow& w, const Record& r, const auth::Principal& who,
                                                   int limit) {
    // The record's own words: its title and, for incidents, the event (事象).
    std::string text = r.title;
    if (const auto ev = r.Field("event"); ev.is_string()) text += " " + std::string(ev.as_string());
    std::vector<Record> out;
    auto rows = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<storage::Rows> {
        if (c.dialect() == storage::Dialect::kPostgres) {
            return c.Query(fmt::format("SELECT {} FROM records WHERE kind = $1 AND id <> $2 AND similarity(search_text, "
                                       "$3) > 0.05 ORDER BY similarity(search_text, $3) DESC, id DESC LIMIT $4",
                                       kRecordColumns),
                           {w.kind, r.id, text, std::int64_t{limit * 4}});
        }
        // FTS5: any of the text's trigrams, best match (bm25) first.
        std::vector<std::string> grams;
        std::vector<std::string> chars;
        for (std::size_t i = 0; i < text.size();) {
            const unsigned char lead = static_cast<unsigned char>(text[i]);
            const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            chars.push_back(text.substr(i, len));
            i += len;
        }
        for (std::size_t i = 0; i + 3 <= chars.size() && grams.size() < 40; ++i) {
            const std::string g = chars[i] + chars[i + 1] + chars[i + 2];
            if (g.find_first_of(" \n\t") == std::string::npos &&
                std::find(grams.begin(), grams.end(), g) == grams.end()) {
                grams.push_back(g);
            }
        }
        if (grams.empty()) {
            return storage::Rows{};
        }
        std::string match;
        for (const auto& g : grams) match += (match.empty() ? "" : " OR ") + Phrase(g);
        return c.Query(fmt::format("SELECT {} FROM records_fts JOIN records ON records.id = records_fts.rowid "
                                   "WHERE records_fts MATCH $1 AND kind = $2 AND id <> $3 ORDER BY records_fts.rank "
                                   "LIMIT $4",
                                   kRecordColumns),
                       {match, w.kind, r.id, std::int64_t{limit * 4}});
    }));
    for (const auto& row : rows.rows) {
        auto other = RecordFromRow(row);
        if (CanSee(who, other) && static_cast<int>(out.size()) < limit) {
            out.push_back(std::move(other));
        }
    }
    return out;
}

Result<std::vector<RecordLink>> RecordService::Links(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<RecordLink>> {
        auto rows = UNYO_TRY(c.Query(
            "SELECT o.id, o.key, o.kind, o.title, l.relation FROM record_links l JOIN records o ON o.id = l.other_id "
            "WHERE l.record_id = $1 ORDER BY o.id",
            {id}));
        std::vector<RecordLink> out;
        for (const auto& r : rows.rows) {
            out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
        }
        return out;
    });
}

namespace {

constexpr const char* kTimelineColumns = "id, at, actor_id, actor_login, type, body_json";

// A timeline entry from kTimelineColumns starting at column `first`.
TimelineEntry TimelineFromRow(const storage::Row& r, std::size_t first = 0) {
    return {r.Int(first),         r.Int(first + 1),  r.OptInt(first + 2),
            r.Text(first + 3),    r.Text(first + 4), ParseObjectOrEmpty(r.Text(first + 5))};
}

}  // namespace

Result<std::vector<TimelineEntry>> RecordService::Timeline(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<TimelineEntry>> {
        auto rows = UNYO_TRY(c.Query(
            fmt::format("SELECT {} FROM record_timeline WHERE record_id = $1 ORDER BY id", kTimelineColumns), {id}));
        std::vector<TimelineEntry> out;
        for (const auto& r : rows.rows) out.push_back(TimelineFromRow(r));
        return out;
    });
}

Result<std::vector<sla::ClockStatus>> RecordService::ClocksFrom(const Record& r,
                                                                const std::vector<TimelineEntry>& timeline) {
    sla::RecordFacts facts;
    facts.created_at = r.created_at;
    facts.severity = r.severity;
    if (const auto rec = r.Field("recognized_at"); rec.is_string()) {
        facts.recognized_at = ParseRfc3339(rec.as_string());
    }
    // The policies in the version in force when the record's clocks started.
    const auto source = r.Field("source");
    const auto snapshot = policies_.All();
    const auto policies =
        SlaPolicyStore::Matching(snapshot, r.kind, r.severity, source.is_string() ? std::string(source.as_string()) : "",
                                 facts.recognized_at.value_or(r.created_at));
    std::vector<sla::ClockStatus> out;
    if (policies.empty()) {
        return out;
    }
    // When a field first got a value. A time field (owner_notified_at …) counts from the time it
    // states, as the operator records when the owner was actually told — but never later than it
    // was entered, and never in the future.
    const auto* w = WorkflowByKind(r.kind);
    auto set = [&](const std::string& name, const json::value& value, Millis entered) {
        Millis at = entered;
        const auto* def = w ? w->Field(name) : nullptr;
        if (def && def->type == FieldType::kTime && value.is_string()) {
            if (auto stated = ParseRfc3339(value.as_string())) at = std::min(*stated, entered);
        }
        facts.fields_set_at.emplace(name, at);  // the first time only
    };
    for (const auto& e : timeline) {
        if (e.type == "created") {
            facts.statuses.emplace_back(e.at, std::string(e.body.at("status").as_string()));
            if (const auto* f = e.body.if_contains("fields"); f && f->is_object()) {
                for (const auto& kv : f->as_object()) {
                    if (!Empty(kv.value())) set(std::string(kv.key()), kv.value(), e.at);
                }
            }
        } else if (e.type == "status") {
            facts.statuses.emplace_back(e.at, std::string(e.body.at("to").as_string()));
        } else if (e.type == "field" && !Empty(e.body.at("after"))) {
            set(std::string(e.body.at("name").as_string()), e.body.at("after"), e.at);
        }
    }
    const Millis now = clock_.Now();
    // Each calendar the targets name, loaded once (0: round the clock; a deleted one too).
    std::map<std::int64_t, calendar::BusinessCalendar> calendars;
    for (const auto* p : policies) {
        for (const auto& target : p->targets) {
            auto it = calendars.find(target.calendar_id);
            if (it == calendars.end()) {
                auto rules = calendar::CalendarRules::AlwaysOpen();
                if (target.calendar_id != 0) {
                    if (auto stored = calendars_.Get(target.calendar_id)) rules = stored->rules;
                }
                it = calendars.emplace(target.calendar_id, UNYO_TRY(calendar::BusinessCalendar::Create(rules))).first;
            }
            out.push_back(sla::Evaluate(target, facts, it->second, now));
        }
    }
    return out;
}

Result<std::vector<sla::ClockStatus>> RecordService::Clocks(const Record& r) {
    const auto timeline = UNYO_TRY(Timeline(r.id));
    return ClocksFrom(r, timeline);
}

Result<std::int64_t> RecordService::AppendSystemEntry(storage::Connection& c, std::int64_t record_id,
                                                     const std::string& type, const json::object& body, Millis at) {
    return AppendTimeline(c, record_id, audit::Actor{std::nullopt, "system", ""}, type, body, at);
}

bool RecordService::HasClocks(const std::string& kind) const {
    const auto snapshot = policies_.All();
    return std::any_of(snapshot->begin(), snapshot->end(), [&](const StoredPolicy& p) {
        return std::any_of(p.versions.begin(), p.versions.end(),
                           [&](const PolicyVersion& v) { return v.policy.kind == kind; });
    });
}

Result<void> RecordService::RescheduleSla() {
    std::vector<std::string> kinds;
    for (const auto& w : Workflows()) {
        if (HasClocks(w.kind)) kinds.push_back(w.kind);
    }
    if (kinds.empty()) return {};
    storage::QueryBuilder q("UPDATE records SET sla_next_at = ");
    q.Append("{0} WHERE closed_at IS NULL", clock_.Now());
    q.AndIn("kind", kinds);
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec(q.sql(), q.params()));
        return {};
    });
}

Result<int> RecordService::Sweep(int max_records) {
    constexpr int kBatch = 500;
    const audit::Actor system{std::nullopt, "system", ""};
    int written = 0;
    for (int seen = 0; seen < max_records;) {
        const Millis now = clock_.Now();
        // The records due, and the parts of their timelines that move clocks, in two reads.
        struct Due {
            Record record;
            std::vector<TimelineEntry> timeline;
        };
        auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<Due>> {
            auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM records WHERE sla_next_at <= $1 "
                                                     "ORDER BY sla_next_at, id LIMIT {}",
                                                     kRecordColumns, kBatch),
                                         {now}));
            std::vector<Due> out;
            std::map<std::int64_t, std::size_t> index;
            std::vector<std::int64_t> ids;
            for (const auto& row : rows.rows) {
                out.push_back({RecordFromRow(row), {}});
                index[out.back().record.id] = out.size() - 1;
                ids.push_back(out.back().record.id);
            }
            if (ids.empty()) {
                return out;
            }
            storage::QueryBuilder q(fmt::format("SELECT record_id, {} FROM record_timeline "
                                                "WHERE type IN ('created', 'status', 'field')",
                                                kTimelineColumns));
            q.AndIn("record_id", ids);
            auto entries = UNYO_TRY(c.Query(q.sql() + " ORDER BY record_id, id", q.params()));
            for (const auto& e : entries.rows) {
                out[index.at(e.Int(0))].timeline.push_back(TimelineFromRow(e, 1));
            }
            return out;
        }));
        if (due.empty()) {
            break;
        }
        seen += static_cast<int>(due.size());
        std::vector<std::vector<sla::ClockStatus>> clocks_of;
        for (const auto& d : due) clocks_of.push_back(UNYO_TRY(ClocksFrom(d.record, d.timeline)));
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
            for (std::size_t i = 0; i < due.size(); ++i) {
                const Record& r = due[i].record;
                const auto& clocks = clocks_of[i];
                std::optional<Millis> next;
                const auto consider = [&](Millis at) {
                    if (at > now && (!next || at < *next)) next = at;
                };
                for (const auto& clock : clocks) {
                    std::vector<std::pair<std::string, Millis>> events;
                    if (clock.warning) events.emplace_back("warning", clock.warn_at);
                    if (clock.state == sla::ClockState::kBreached) events.emplace_back("breach", clock.target_at);
                    if (!clock.met_at) {
                        consider(clock.warn_at);
                        consider(clock.target_at);
                    }
                    for (const auto& [event, at] : events) {
                        const auto n = UNYO_TRY(c.Exec(
                            "INSERT INTO record_sla_events (record_id, name, event, at) VALUES ($1, $2, $3, $4) "
                            "ON CONFLICT DO NOTHING",
                            {r.id, clock.name, event, at}));
                        if (n == 0) {
                            continue;  // written before
                        }
                        UNYO_TRY(AppendTimeline(c, r.id, system, "sla",
                                                json::object{{"name", clock.name},
                                                             {"label", clock.label_ja},
                                                             {"event", event},
                                                             {"target_at", FormatRfc3339(clock.target_at)}},
                                                now));
                        if (on_sla_) UNYO_TRY_VOID(on_sla_(c, r, clock, event, now));
                        ++written;
                    }
                }
                // A record changed since it was read keeps the instant its change set (now).
                UNYO_TRY(c.Exec("UPDATE records SET sla_next_at = $1 WHERE id = $2 AND version = $3",
                                {storage::Nullable(next), r.id, r.version}));
            }
            return {};
        }));
        if (static_cast<int>(due.size()) < kBatch) {
            break;
        }
    }
    return written;
}

}  // namespace unyo::records

namespace unyo::records {
namespace {

constexpr const char* kTimeColumns =
    "t.id, t.record_id, r.key, r.title, t.user_login, t.work_date, t.minutes, t.note";

TimeEntry TimeFromRow(const storage::Row& row) {
    return {row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5),
            static_cast<int>(row.Int(6)), row.Text(7)};
}

}  // namespace

json::object ToJson(const TimeEntry& t) {
    return {{"id", t.id},       {"record_id", t.record_id},   {"record_key", t.record_key},
            {"title", t.record_title}, {"user_login", t.user_login}, {"work_date", t.work_date},
            {"minutes", t.minutes},    {"note", t.note}};
}


Result<TimeEntry> RecordService::AddTime(const Workflow& w, std::int64_t id, const std::string& work_date, int minutes,
                                         const std::string& note, const auth::Principal& who,
                                         const audit::Actor& actor) {
    std::vector<FieldError> errors;
    const auto date = calendar::Date::Parse(work_date);
    if (!date) errors.push_back({"work_date", "must be a date (YYYY-MM-DD)"});
    if (minutes < 1 || minutes > 24 * 60) errors.push_back({"minutes", "must be from 1 to 1440"});
    if (Utf8Length(note) > 2000) errors.push_back({"note", "must be at most 2000 characters"});
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors)));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<TimeEntry> {
        const Record r = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, r) || !CanEdit(who, r)) {
            return Fail(Error::Denied(fmt::format("you may not record time on {}", r.key)));
        }
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO time_entries (record_id, user_id, user_login, work_date, minutes, note, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            {r.id, who.user_id, who.login, date->ToString(), std::int64_t{minutes}, note, now}));
        TimeEntry t{rows.front().Int(0), r.id, r.key, r.title, who.login, date->ToString(), minutes, note};
        UNYO_TRY(AppendTimeline(c, r.id, actor, "time",
                                json::object{{"work_date", t.work_date}, {"minutes", minutes}, {"note", note}}, now));
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".time", w.kind, r.key, nullptr, ToJson(t)}, now));
        return t;
    });
}

Result<std::vector<TimeEntry>> RecordService::TimeEntries(std::int64_t record_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<TimeEntry>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM time_entries t JOIN records r ON r.id = t.record_id "
                                                 "WHERE t.record_id = $1 ORDER BY t.work_date, t.id",
                                                 kTimeColumns),
                                     {record_id}));
        std::vector<TimeEntry> out;
        for (const auto& row : rows.rows) out.push_back(TimeFromRow(row));
        return out;
    });
}

Result<SupportHours> RecordService::SupportHoursOf(const std::string& month, int budget_minutes) {
    if (!calendar::Date::Parse(month + "-01")) {
        return Fail(Error::Field("month", "must be YYYY-MM", ErrorCode::kInvalidArgument));
    }
    SupportHours h{month, budget_minutes, 0, {}};
    h.entries = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<TimeEntry>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM time_entries t JOIN records r ON r.id = t.record_id "
                                                 "WHERE t.work_date LIKE $1 ORDER BY t.work_date, t.id",
                                                 kTimeColumns),
                                     {month + "-%"}));
        std::vector<TimeEntry> out;
        for (const auto& row : rows.rows) out.push_back(TimeFromRow(row));
        return out;
    }));
    for (const auto& e : h.entries) h.used_minutes += e.minutes;
    return h;
}

}  // namespace unyo::records

namespace unyo::records {
namespace {

// The types an attachment may have, with the leading bytes that prove it (empty: any text).
struct AllowedType {
    std::string_view type;
    std::string_view magic;
};
constexpr AllowedType kAllowed[] = {
    {"application/pdf", "%PDF-"},
    {"image/png", "\x89PNG\r\n\x1a\n"},
    {"image/jpeg", "\xff\xd8\xff"},
    {"application/zip", "PK\x03\x04"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "PK\x03\x04"},
    {"text/plain", ""},
    {"text/csv", ""},
};

constexpr const char* kAttachmentColumns =
    "id, record_id, sha256, file_name, content_type, size, uploader, created_at";

Attachment AttachmentFromRow(const storage::Row& r) {
    return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6), r.Int(7)};
}

}  // namespace

json::object ToJson(const Attachment& a) {
    return {{"id", a.id},
            {"record_id", a.record_id},
            {"sha256", a.sha256},
            {"file_name", a.file_name},
            {"content_type", a.content_type},
            {"size", a.size},
            {"uploader", a.uploader},
            {"created_at", FormatRfc3339(a.created_at)}};
}

Result<Attachment> RecordService::Attach(const Workflow& w, std::int64_t id, const std::string& file_name,
                                         const std::string& content_type, const std::string& bytes,
                                         const auth::Principal& who, const audit::Actor& actor) {
    std::vector<FieldError> errors;
    if (file_name.empty() || Utf8Length(file_name) > 200 || file_name.find_first_of("/\\") != std::string::npos) {
        errors.push_back({"name", "must be a file name of 1 to 200 characters without / or \\"});
    }
    if (bytes.empty() || bytes.size() > kMaxAttachmentBytes) {
        errors.push_back({"file", "must be 1 byte to 10 MiB"});
    }
    const std::string type = content_type.substr(0, content_type.find(';'));
    const AllowedType* allowed = nullptr;
    for (const auto& a : kAllowed) {
        if (a.type == type) allowed = &a;
    }
    if (allowed == nullptr) {
        errors.push_back({"content_type", fmt::format("\"{}\" is not accepted; send PDF, PNG, JPEG, text, CSV, ZIP "
                                                      "or an Office file",
                                                      type)});
    } else if (!bytes.starts_with(allowed->magic) ||
               (allowed->magic.empty() && bytes.find('\0') != std::string::npos)) {
        errors.push_back({"content_type", fmt::format("the file is not {}", type)});
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors)));
    }
    // Bytes first, durably, under their hash; the row that points at them commits after.
    const std::string sha = Sha256Hex(bytes);
    const auto dir = attachments_dir_ / sha.substr(0, 2);
    const auto path = dir / sha;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (!std::filesystem::exists(path, ec)) {
        const auto tmp = dir / (sha + ".tmp" + RandomToken(6));
        if (std::FILE* f = std::fopen(tmp.c_str(), "wb")) {
            const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
            const bool synced = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
            std::fclose(f);
            if (!written || !synced) {
                std::filesystem::remove(tmp, ec);
                return Fail(Error::Internal(fmt::format("cannot write the attachment to {}", tmp.string())));
            }
            std::filesystem::rename(tmp, path, ec);
        }
        if (ec || !std::filesystem::exists(path)) {
            return Fail(Error::Internal(fmt::format("cannot store the attachment in {}", dir.string())));
        }
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Attachment> {
        const Record r = UNYO_TRY(Load(c, w, id));
        if (!CanSee(who, r) || !CanEdit(who, r)) {
            return Fail(Error::Denied(fmt::format("you may not attach files to {}", r.key)));
        }
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO attachments (record_id, sha256, file_name, content_type, size, uploaded_by, uploader, "
            "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            {r.id, sha, file_name, type, static_cast<std::int64_t>(bytes.size()), who.user_id, who.login, now}));
        Attachment a{rows.front().Int(0), r.id, sha, file_name, type, static_cast<std::int64_t>(bytes.size()),
                     who.login, now};
        UNYO_TRY(AppendTimeline(c, r.id, actor, "attachment",
                                json::object{{"id", a.id}, {"file_name", file_name}, {"size", a.size}}, now));
        UNYO_TRY(audit::Append(c, actor, {w.kind + ".attach", w.kind, r.key, nullptr, ToJson(a)}, now));
        return a;
    });
}

Result<std::vector<Attachment>> RecordService::Attachments(std::int64_t record_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Attachment>> {
        auto rows = UNYO_TRY(c.Query(
            fmt::format("SELECT {} FROM attachments WHERE record_id = $1 ORDER BY id", kAttachmentColumns), {record_id}));
        std::vector<Attachment> out;
        for (const auto& row : rows.rows) out.push_back(AttachmentFromRow(row));
        return out;
    });
}

Result<std::pair<Attachment, std::string>> RecordService::ReadAttachment(std::int64_t record_id,
                                                                         std::int64_t attachment_id) {
    const auto a = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<Attachment> {
        auto rows = UNYO_TRY(c.Query(
            fmt::format("SELECT {} FROM attachments WHERE id = $1 AND record_id = $2", kAttachmentColumns),
            {attachment_id, record_id}));
        if (rows.empty()) {
            return Fail(Error::NotFound(fmt::format("attachment {} does not exist", attachment_id)));
        }
        return AttachmentFromRow(rows.front());
    }));
    std::ifstream in(attachments_dir_ / a.sha256.substr(0, 2) / a.sha256, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        return Fail(Error::Internal(fmt::format("the bytes of attachment {} are missing", a.id)));
    }
    if (Sha256Hex(bytes) != a.sha256) {
        return Fail(Error::Internal(fmt::format("attachment {} does not match its SHA-256 (damaged storage)", a.id)));
    }
    return std::pair{a, std::move(bytes)};
}

}  // namespace unyo::records
