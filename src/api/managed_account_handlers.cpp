// /api/v1/managed-accounts: the accounts on the managed systems (issue 7: ACC-4) — not unyo's own
// users — per system (a configuration item): holder, owner organisation, privilege, last use,
// when and by whom last reviewed; dormant accounts and leavers' accounts listed so that they are
// disabled promptly. Periodic reviews are checklist runs (api/checklist_handlers.cpp).
// docs/managed-accounts.md.
#include <limits>

#include <fmt/format.h>

#include "api/managed_accounts.hpp"
#include "api/routes.hpp"
#include "calendar/date_member.hpp"
#include "core/choice.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

const std::vector<std::string_view> kPrivileges{"privileged", "general", "service"};
const std::vector<std::string_view> kStatuses{"active", "disabled", "deleted"};

std::optional<calendar::Date> DateOf(const std::optional<std::string>& s) { return s ? calendar::Date::Parse(*s) : std::nullopt; }
json::value DateJson(const std::optional<calendar::Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }
storage::Value DateValue(const std::optional<calendar::Date>& d) {
    return d ? storage::Value(d->ToString()) : storage::Value(std::monostate{});
}

void ReadId(FieldReader& f, const json::object& body, const char* name, std::optional<std::int64_t>& out) {
    const auto* v = body.if_contains(name);
    if (!v) return;
    if (v->is_null()) {
        out.reset();
    } else if (!v->is_int64() || v->as_int64() <= 0) {
        f.AddError(name, "must be an id or null");
    } else {
        out = v->as_int64();
    }
}

Result<ManagedAccount> FromJson(const json::object& body, ManagedAccount a, bool create) {
    FieldReader f(body);
    f.AllowOnly({"ci_id", "account", "holder", "holder_user_id", "organization_id", "privilege", "status", "last_used_on",
                 "leaves_on", "note"});
    if (create || f.Has("account")) a.account = f.RequiredString("account", 200);
    if (auto v = f.OptionalString("holder", 200)) a.holder = *v;
    if (auto v = f.OptionalString("note", 4000)) a.note = *v;
    std::optional<std::int64_t> ci = a.ci_id ? std::optional(a.ci_id) : std::nullopt;
    ReadId(f, body, "ci_id", ci);
    if (!ci) f.AddError("ci_id", "is required: the system (configuration item) the account is on");
    a.ci_id = ci.value_or(0);
    ReadId(f, body, "holder_user_id", a.holder_user_id);
    ReadId(f, body, "organization_id", a.organization_id);
    ReadChoice(f, "privilege", kPrivileges, a.privilege);
    ReadChoice(f, "status", kStatuses, a.status);
    ReadOptionalDate(f, body, "last_used_on", a.last_used_on);
    ReadOptionalDate(f, body, "leaves_on", a.leaves_on);
    UNYO_TRY_VOID(f.Finish());
    return a;
}

// The references exist; each missing one named.
Result<void> CheckReferences(storage::Connection& c, const ManagedAccount& a) {
    std::vector<FieldError> errors;
    if (UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {a.ci_id})).empty()) {
        errors.push_back({"ci_id", fmt::format("configuration item {} does not exist", a.ci_id)});
    }
    if (a.holder_user_id && UNYO_TRY(c.Query("SELECT 1 FROM users WHERE id = $1", {*a.holder_user_id})).empty()) {
        errors.push_back({"holder_user_id", fmt::format("user {} does not exist", *a.holder_user_id)});
    }
    if (a.organization_id && UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*a.organization_id})).empty()) {
        errors.push_back({"organization_id", fmt::format("organization {} does not exist", *a.organization_id)});
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    return {};
}

// A write that found the account name taken on that system: 409 naming `account`.
template <typename T>
Result<T> Taken(Result<T> r, const ManagedAccount& a) {
    if (!r && r.error().code == ErrorCode::kConflict) {
        return Fail(Error::Field("account", fmt::format("account \"{}\" is on that system already", a.account), ErrorCode::kConflict));
    }
    return r;
}

Result<http::Response> ListAccounts(Context& ctx) {
    const auto ci = UNYO_TRY(ctx.QueryInt("ci_id", 1, std::numeric_limits<std::int64_t>::max()));
    const bool dormant_only = UNYO_TRY(ctx.QueryBool("dormant")).value_or(false);
    const bool leavers_only = UNYO_TRY(ctx.QueryBool("leavers")).value_or(false);
    const bool review_due_only = UNYO_TRY(ctx.QueryBool("review_due")).value_or(false);
    const int days = static_cast<int>(UNYO_TRY(ctx.QueryInt("dormant_days", 1, 3650)).value_or(kDormantDays));
    const Millis now = ctx.services().clock.Now();
    const auto accounts = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return ListManagedAccounts(c, ci); }));
    json::array items;
    for (const auto& a : accounts) {
        auto o = ToJson(a, now, days);
        if (dormant_only && !o.at("dormant").as_bool()) continue;
        if (leavers_only && !o.at("leaver").as_bool()) continue;
        if (review_due_only && !o.at("review_due").as_bool()) continue;
        items.push_back(std::move(o));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateAccount(Context& ctx) {
    const ManagedAccount in = UNYO_TRY(FromJson(UNYO_TRY(ctx.Body()), ManagedAccount{}, true));
    const Millis now = ctx.services().clock.Now();
    const auto a = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<ManagedAccount> {
        UNYO_TRY_VOID(CheckReferences(c, in));
        auto rows = UNYO_TRY(Taken(
            c.Query("INSERT INTO managed_accounts (ci_id, account, holder, holder_user_id, organization_id, privilege, status, "
                    "last_used_on, leaves_on, note, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                    "$10, $11, $11, 1) RETURNING id",
                    {in.ci_id, in.account, in.holder, storage::Nullable(in.holder_user_id), storage::Nullable(in.organization_id),
                     in.privilege, in.status, DateValue(in.last_used_on), DateValue(in.leaves_on), in.note, now}),
            in));
        const auto made = UNYO_TRY(LoadManagedAccount(c, rows.front().Int(0)));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"managed_account.create", "managed_account", std::to_string(made.id), nullptr,
                                                ToJson(made, now, kDormantDays)},
                               now));
        return made;
    }));
    return CreatedResponse(ToJson(a, now, kDormantDays), a.version, "/api/v1/managed-accounts/" + std::to_string(a.id));
}

Result<http::Response> GetAccount(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto a = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return LoadManagedAccount(c, id); }));
    return ResourceResponse(ToJson(a, ctx.services().clock.Now(), kDormantDays), a.version);
}

Result<http::Response> UpdateAccount(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto expected = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    const Millis now = ctx.services().clock.Now();
    const auto changed = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<ManagedAccount> {
        const auto before = UNYO_TRY(LoadManagedAccount(c, id));
        if (before.version != expected) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("account {} was changed by someone else (now version {}); reload and retry", id, before.version),
                              {}});
        }
        ManagedAccount a = UNYO_TRY(FromJson(body, before, false));
        UNYO_TRY_VOID(CheckReferences(c, a));
        a.updated_at = now;
        a.version = before.version + 1;
        UNYO_TRY(Taken(c.Exec("UPDATE managed_accounts SET ci_id = $1, account = $2, holder = $3, holder_user_id = $4, "
                              "organization_id = $5, privilege = $6, status = $7, last_used_on = $8, leaves_on = $9, note = $10, "
                              "updated_at = $11, version = $12 WHERE id = $13",
                              {a.ci_id, a.account, a.holder, storage::Nullable(a.holder_user_id), storage::Nullable(a.organization_id),
                               a.privilege, a.status, DateValue(a.last_used_on), DateValue(a.leaves_on), a.note, now, a.version, id}),
                       a));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"managed_account.update", "managed_account", std::to_string(id),
                                                ToJson(before, now, kDormantDays), ToJson(a, now, kDormantDays)},
                               now));
        return LoadManagedAccount(c, id);
    }));
    return ResourceResponse(ToJson(changed, now, kDormantDays), changed.version);
}

}  // namespace

constexpr const char* kAccountColumns =
    "a.id, a.ci_id, a.account, a.holder, a.holder_user_id, a.organization_id, a.privilege, a.status, a.last_used_on, "
    "a.leaves_on, a.last_reviewed_on, a.last_reviewed_by, a.note, a.created_at, a.updated_at, a.version, ci.name, "
    "COALESCE(u.disabled, 0)";

ManagedAccount ManagedAccountFromRow(const storage::Row& r) {
    ManagedAccount a;
    a.id = r.Int(0);
    a.ci_id = r.Int(1);
    a.account = r.Text(2);
    a.holder = r.Text(3);
    a.holder_user_id = r.OptInt(4);
    a.organization_id = r.OptInt(5);
    a.privilege = r.Text(6);
    a.status = r.Text(7);
    a.last_used_on = DateOf(r.OptText(8));
    a.leaves_on = DateOf(r.OptText(9));
    a.last_reviewed_on = DateOf(r.OptText(10));
    a.last_reviewed_by = r.Text(11);
    a.note = r.Text(12);
    a.created_at = r.Int(13);
    a.updated_at = r.Int(14);
    a.version = r.Int(15);
    a.ci_name = r.Text(16);
    a.holder_disabled = r.Int(17) != 0;
    return a;
}

Result<std::vector<ManagedAccount>> ListManagedAccounts(storage::Connection& c, std::optional<std::int64_t> ci_id) {
    const std::string from = fmt::format("SELECT {} FROM managed_accounts a JOIN cis ci ON ci.id = a.ci_id "
                                         "LEFT JOIN users u ON u.id = a.holder_user_id",
                                         kAccountColumns);
    auto rows = ci_id ? UNYO_TRY(c.Query(from + " WHERE a.ci_id = $1 ORDER BY ci.name, a.account", {*ci_id}))
                      : UNYO_TRY(c.Query(from + " ORDER BY ci.name, a.account", {}));
    std::vector<ManagedAccount> out;
    for (const auto& r : rows.rows) out.push_back(ManagedAccountFromRow(r));
    return out;
}

Result<ManagedAccount> LoadManagedAccount(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM managed_accounts a JOIN cis ci ON ci.id = a.ci_id "
                                             "LEFT JOIN users u ON u.id = a.holder_user_id WHERE a.id = $1",
                                             kAccountColumns),
                                 {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("account {} does not exist", id)));
    return ManagedAccountFromRow(rows.front());
}

json::object ToJson(const ManagedAccount& a, Millis now, int dormant_days) {
    const auto today = calendar::Date::FromInstant(now);
    const bool active = a.status == "active";
    // Dormant: not used within `dormant_days` (never used: registered that long ago).
    const auto since = a.last_used_on.value_or(calendar::Date::FromInstant(a.created_at));
    const bool dormant = active && since < today.AddDays(-dormant_days);
    const bool leaver = active && ((a.leaves_on && *a.leaves_on <= today) || a.holder_disabled);
    const bool review_due = active && (!a.last_reviewed_on || *a.last_reviewed_on < today.AddDays(-kReviewCycleDays));
    return {{"id", a.id},
            {"ci_id", a.ci_id},
            {"ci_name", a.ci_name},
            {"account", a.account},
            {"holder", a.holder},
            {"holder_user_id", OrNull(a.holder_user_id)},
            {"organization_id", OrNull(a.organization_id)},
            {"privilege", a.privilege},
            {"status", a.status},
            {"last_used_on", DateJson(a.last_used_on)},
            {"leaves_on", DateJson(a.leaves_on)},
            {"last_reviewed_on", DateJson(a.last_reviewed_on)},
            {"last_reviewed_by", a.last_reviewed_by},
            {"dormant", dormant},
            {"leaver", leaver},
            {"review_due", review_due},
            {"note", a.note},
            {"created_at", FormatRfc3339(a.created_at)},
            {"updated_at", FormatRfc3339(a.updated_at)},
            {"version", a.version}};
}

void AddManagedAccountRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const auth::RoleSet writers = kStaff | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    const std::string writer_note = "admin, manager, operator, vendor";
    r.Add({"GET", "/api/v1/managed-accounts", in, readers, false,
           "Accounts on the managed systems (ci_id; dormant=true with dormant_days (90); leavers=true; review_due=true)",
           reader_note, ListAccounts});
    r.Add({"POST", "/api/v1/managed-accounts", in, writers, true, "Register an account of a managed system", writer_note,
           CreateAccount});
    r.Add({"GET", "/api/v1/managed-accounts/{id}", in, readers, false, "One account", reader_note, GetAccount});
    r.Add({"PATCH", "/api/v1/managed-accounts/{id}", in, writers, false,
           "Change an account, e.g. its last use or status (If-Match)", writer_note, UpdateAccount});
}

}  // namespace unyo::api
