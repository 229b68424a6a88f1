// Checklist runs (issue 7): a dated list of things each decided by someone at some time, closed
// when every one is decided — the inventory of configuration items (棚卸, CFG-2: confirmed,
// changed, missing) at /api/v1/inventories, and the periodic review of the accounts on the
// managed systems (ACC-4: keep, disable, delete; the decisions applied to the accounts when the
// review closes) at /api/v1/account-reviews. The run is the evidence. docs/checklists.md.
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "api/managed_accounts.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

struct Kind {
    std::string kind, path, noun;
    std::vector<std::string_view> decisions;
    bool inventory = false;
};

const Kind kInventory{"inventory", "/api/v1/inventories", "inventory", {"confirmed", "changed", "missing"}, true};
const Kind kAccountReview{"account_review", "/api/v1/account-reviews", "account review", {"keep", "disable", "delete"}, false};

constexpr const char* kRunColumns = "id, kind, name, scope_json, status, note, created_by, created_at, closed_by, closed_at, version";

Result<json::object> RunJson(storage::Connection& c, const storage::Row& r, bool with_items) {
    json::object o{{"id", r.Int(0)},
                   {"kind", r.Text(1)},
                   {"name", r.Text(2)},
                   {"scope", ParseObjectOrEmpty(r.Text(3))},
                   {"status", r.Text(4)},
                   {"note", r.Text(5)},
                   {"created_by", r.Text(6)},
                   {"created_at", FormatRfc3339(r.Int(7))},
                   {"closed_by", r.Text(8)},
                   {"closed_at", InstantOrNull(r.OptInt(9))},
                   {"version", r.Int(10)}};
    const auto items = UNYO_TRY(c.Query("SELECT subject_id, subject_name, detail_json, decision, comment, decided_by, decided_at "
                                        "FROM checklist_items WHERE run_id = $1 ORDER BY position",
                                        {r.Int(0)}));
    json::object counts{{"total", static_cast<std::int64_t>(items.rows.size())}, {"pending", 0}};
    json::array list;
    for (const auto& i : items.rows) {
        const auto decision = i.Text(3);
        counts[decision] = counts.contains(decision) ? counts.at(decision).as_int64() + 1 : 1;
        if (with_items) {
            list.push_back(json::object{{"subject_id", i.Int(0)},
                                        {"subject_name", i.Text(1)},
                                        {"detail", ParseObjectOrEmpty(i.Text(2))},
                                        {"decision", decision},
                                        {"comment", i.Text(4)},
                                        {"decided_by", i.Text(5)},
                                        {"decided_at", InstantOrNull(i.OptInt(6))}});
        }
    }
    o["counts"] = std::move(counts);
    if (with_items) o["items"] = std::move(list);
    return o;
}

Result<json::object> LoadRun(storage::Connection& c, const Kind& k, std::int64_t id, bool with_items = true) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM checklist_runs WHERE id = $1 AND kind = $2", kRunColumns), {id, k.kind}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("{} {} does not exist", k.noun, id)));
    return RunJson(c, rows.front(), with_items);
}

Result<http::Response> ListRuns(Context& ctx, const Kind& k) {
    const auto runs = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) -> Result<json::array> {
        json::array out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM checklist_runs WHERE kind = $1 ORDER BY id DESC", kRunColumns),
                                              {k.kind}))
                                 .rows) {
            out.push_back(UNYO_TRY(RunJson(c, r, false)));
        }
        return out;
    }));
    return ListResponse(runs, std::nullopt);
}

struct Subject {
    std::int64_t id = 0;
    std::string name;
    json::object detail;
};

// What the run lists: the configuration items (of a type / environment), or the active accounts
// (of one system) with what makes them suspect.
Result<std::vector<Subject>> Subjects(storage::Connection& c, const Kind& k, const json::object& scope, Millis now) {
    std::vector<Subject> out;
    if (k.inventory) {
        for (const auto& r : UNYO_TRY(c.Query("SELECT id, name, type, version, environment FROM cis ORDER BY name, id", {})).rows) {
            if (scope.contains("type") && StringOf(scope, "type") != r.Text(2)) continue;
            if (scope.contains("environment") && StringOf(scope, "environment") != r.Text(4)) continue;
            out.push_back({r.Int(0), r.Text(1), json::object{{"type", r.Text(2)}, {"version", r.Text(3)}, {"environment", r.Text(4)}}});
        }
        return out;
    }
    const auto ci = scope.contains("ci_id") ? std::optional(IntOf(scope, "ci_id", 0)) : std::nullopt;
    for (const auto& a : UNYO_TRY(ListManagedAccounts(c, ci))) {
        if (a.status != "active") continue;
        const auto o = ToJson(a, now, kDormantDays);
        out.push_back({a.id, a.account,
                       json::object{{"ci_name", a.ci_name}, {"holder", a.holder}, {"privilege", a.privilege},
                                    {"last_used_on", o.at("last_used_on")}, {"dormant", o.at("dormant")}, {"leaver", o.at("leaver")}}});
    }
    return out;
}

Result<http::Response> StartRun(Context& ctx, const Kind& k) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    if (k.inventory) {
        f.AllowOnly({"name", "note", "type", "environment"});
    } else {
        f.AllowOnly({"name", "note", "ci_id"});
    }
    const auto name = f.RequiredString("name", 200);
    const auto note = f.OptionalString("note", 4000).value_or("");
    json::object scope;
    if (auto t = f.OptionalString("type", 40)) scope["type"] = *t;
    if (auto e = f.OptionalString("environment", 40)) scope["environment"] = *e;
    if (auto ci = f.OptionalInt("ci_id", 1, std::numeric_limits<std::int64_t>::max())) scope["ci_id"] = *ci;
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto run = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        if (scope.contains("ci_id") && UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {IntOf(scope, "ci_id", 0)})).empty()) {
            return Fail(Error::Field("ci_id", fmt::format("configuration item {} does not exist", IntOf(scope, "ci_id", 0))));
        }
        const auto subjects = UNYO_TRY(Subjects(c, k, scope, now));
        if (subjects.empty()) return Fail(Error::Conflict(fmt::format("there is nothing to list in this {}", k.noun)));
        auto rows = UNYO_TRY(c.Query("INSERT INTO checklist_runs (kind, name, scope_json, status, note, created_by, created_at, closed_by, "
                                     "version) VALUES ($1, $2, $3, 'open', $4, $5, $6, '', 1) RETURNING id",
                                     {k.kind, name, json::serialize(scope), note, ctx.actor().login, now}));
        const auto id = rows.front().Int(0);
        std::int64_t position = 0;
        for (const auto& s : subjects) {
            UNYO_TRY(c.Exec("INSERT INTO checklist_items (run_id, position, subject_id, subject_name, detail_json, decision, comment, "
                            "decided_by) VALUES ($1, $2, $3, $4, $5, 'pending', '', '')",
                            {id, position++, s.id, s.name, json::serialize(s.detail)}));
        }
        auto o = UNYO_TRY(LoadRun(c, k, id));
        UNYO_TRY(audit::Append(c, ctx.actor(), {k.kind + ".start", k.kind, std::to_string(id), nullptr,
                                                json::object{{"name", name}, {"scope", scope}, {"items", subjects.size()}}},
                               now));
        return o;
    }));
    return CreatedResponse(run, run.at("version").as_int64(), k.path + "/" + std::to_string(run.at("id").as_int64()));
}

Result<http::Response> GetRun(Context& ctx, const Kind& k) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto run = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return LoadRun(c, k, id); }));
    return ResourceResponse(run, run.at("version").as_int64());
}

Result<void> MustBeOpen(const json::object& run, const Kind& k) {
    if (run.at("status").as_string() != "open") {
        return Fail(Error::Conflict(fmt::format("{} {} is closed", k.noun, run.at("id").as_int64())));
    }
    return {};
}

// One item decided: `{decision, comment?}`. A comment is needed for what is not as listed (an
// item changed or missing) and for keeping an account that is dormant or a leaver's.
Result<http::Response> Decide(Context& ctx, const Kind& k) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto subject_param = ctx.request().Param("subject");
    std::int64_t subject = 0;
    if (std::from_chars(subject_param.data(), subject_param.data() + subject_param.size(), subject).ec != std::errc{}) {
        return Fail(Error::NotFound(fmt::format("item {} is not in the list", subject_param)));
    }
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"decision", "comment"});
    const auto decision = f.RequiredString("decision", 20);
    const auto comment = f.OptionalString("comment", 4000).value_or("");
    if (!decision.empty() && std::find(k.decisions.begin(), k.decisions.end(), decision) == k.decisions.end()) {
        std::string list;
        for (auto d : k.decisions) list += fmt::format("{}{}", list.empty() ? "" : ", ", d);
        f.AddError("decision", "must be one of " + list);
    }
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto run = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        UNYO_TRY_VOID(MustBeOpen(UNYO_TRY(LoadRun(c, k, id, false)), k));
        auto item = UNYO_TRY(c.Query("SELECT detail_json FROM checklist_items WHERE run_id = $1 AND subject_id = $2", {id, subject}));
        if (item.empty()) return Fail(Error::NotFound(fmt::format("item {} is not in {} {}", subject, k.noun, id)));
        const auto detail = ParseObjectOrEmpty(item.front().Text(0));
        const bool suspect = detail.contains("dormant") && (detail.at("dormant").as_bool() || detail.at("leaver").as_bool());
        if (comment.empty() && (decision == "changed" || decision == "missing" || (decision == "keep" && suspect))) {
            return Fail(Error::Field("comment", decision == "keep" ? "say why a dormant or leaver's account is kept"
                                                                   : "say what was found"));
        }
        UNYO_TRY(c.Exec("UPDATE checklist_items SET decision = $1, comment = $2, decided_by = $3, decided_at = $4 WHERE run_id = $5 "
                        "AND subject_id = $6",
                        {decision, comment, ctx.actor().login, now, id, subject}));
        UNYO_TRY(c.Exec("UPDATE checklist_runs SET version = version + 1 WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, ctx.actor(), {k.kind + ".decide", k.kind, std::to_string(id), nullptr,
                                                json::object{{"subject_id", subject}, {"decision", decision}, {"comment", comment}}},
                               now));
        return LoadRun(c, k, id);
    }));
    return ResourceResponse(run, run.at("version").as_int64());
}

// Closes the run when every item is decided; an account review applies its decisions: kept
// accounts reviewed today by the closer's decision-makers, the others disabled or deleted.
Result<http::Response> CloseRun(Context& ctx, const Kind& k) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"note"});
    const auto note = f.OptionalString("note", 4000);
    UNYO_TRY_VOID(f.Finish());
    const Millis now = ctx.services().clock.Now();
    const auto today = calendar::Date::FromInstant(now).ToString();
    const auto run = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<json::object> {
        const auto before = UNYO_TRY(LoadRun(c, k, id));
        UNYO_TRY_VOID(MustBeOpen(before, k));
        const auto pending = before.at("counts").as_object().at("pending").as_int64();
        if (pending > 0) return Fail(Error::Conflict(fmt::format("{} item(s) are not decided yet", pending)));
        if (!k.inventory) {
            for (const auto& v : before.at("items").as_array()) {
                const auto& item = v.as_object();
                const auto decision = StringOf(item, "decision");
                const std::string status = decision == "disable" ? "disabled" : decision == "delete" ? "deleted" : "active";
                const auto account = IntOf(item, "subject_id", 0);
                auto a = c.Query("SELECT status FROM managed_accounts WHERE id = $1", {account});
                if (!a || a->empty()) continue;  // removed meanwhile
                const auto was = a->front().Text(0);
                UNYO_TRY(c.Exec("UPDATE managed_accounts SET status = CASE WHEN $1 = 'active' THEN status ELSE $1 END, "
                                "last_reviewed_on = $2, last_reviewed_by = $3, updated_at = $4, version = version + 1 WHERE id = $5",
                                {status, today, StringOf(item, "decided_by"), now, account}));
                if (status != "active" && was != status) {
                    UNYO_TRY(audit::Append(c, ctx.actor(), {"managed_account.update", "managed_account", std::to_string(account),
                                                            json::object{{"status", was}},
                                                            json::object{{"status", status}, {"review", id}}},
                                           now));
                }
            }
        }
        UNYO_TRY(c.Exec("UPDATE checklist_runs SET status = 'closed', closed_by = $1, closed_at = $2, note = COALESCE($3, note), "
                        "version = version + 1 WHERE id = $4",
                        {ctx.actor().login, now, note ? storage::Value(*note) : storage::Value(std::monostate{}), id}));
        UNYO_TRY(audit::Append(c, ctx.actor(), {k.kind + ".close", k.kind, std::to_string(id), nullptr, before.at("counts")}, now));
        return LoadRun(c, k, id);
    }));
    return ResourceResponse(run, run.at("version").as_int64());
}

void AddKind(http::Router<Route>& r, const Kind& k, const std::string& what) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const auth::RoleSet writers = kStaff | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    const std::string writer_note = "admin, manager, operator, vendor";
    const auto bind = [&k](Result<http::Response> (*fn)(Context&, const Kind&)) {
        return [fn, &k](Context& ctx) { return fn(ctx, k); };
    };
    r.Add({"GET", k.path, in, readers, false, what + " runs, newest first", reader_note, bind(ListRuns)});
    r.Add({"POST", k.path, in, writers, true, "Start " + what + ": the list of what to check", writer_note, bind(StartRun)});
    r.Add({"GET", k.path + "/{id}", in, readers, false, "One " + what + " with its items", reader_note, bind(GetRun)});
    r.Add({"POST", k.path + "/{id}/items/{subject}", in, writers, false, "Decide one item {decision, comment?}", writer_note,
           bind(Decide)});
    r.Add({"POST", k.path + "/{id}/close", in, writers, false, "Close it when every item is decided {note?}", writer_note,
           bind(CloseRun)});
}

}  // namespace

void AddChecklistRoutes(http::Router<Route>& r) {
    AddKind(r, kInventory, "Inventory (棚卸) of the configuration items:");
    AddKind(r, kAccountReview, "Review of the accounts on the managed systems:");
}

}  // namespace unyo::api
