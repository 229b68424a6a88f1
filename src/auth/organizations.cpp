// AccountService: organisations (ORG-1).
#include <fmt/format.h>

#include "auth/accounts.hpp"
#include "storage/sql/query_builder.hpp"

namespace unyo::auth {
namespace {

Result<void> ValidateOrganization(const Organization& o) {
    std::vector<FieldError> errors;
    if (o.name.empty()) {
        errors.push_back({"name", "is required"});
    }
    if (o.kind != "owner" && o.kind != "vendor" && o.kind != "other") {
        errors.push_back({"kind", "must be one of owner, vendor, other"});
    }
    if (o.code && o.code->size() > 32) {
        errors.push_back({"code", "must be at most 32 characters"});
    }
    if (errors.empty()) {
        return {};
    }
    return Fail(Error::Validation(std::move(errors)));
}

// A unique violation on organisations names the field that clashed.
Error OrganizationConflict(const Error& e, const Organization& o) {
    if (e.code != ErrorCode::kConflict) {
        return e;
    }
    const bool code = e.message.find("code") != std::string::npos;
    return Error::Field(code ? "code" : "name",
                        code ? fmt::format("the code \"{}\" is already used", o.code.value_or(""))
                             : fmt::format("an organisation named \"{}\" already exists", o.name),
                        ErrorCode::kConflict);
}

void Apply(Organization& o, const OrganizationInput& in) {
    if (in.name) o.name = *in.name;
    if (in.kind) o.kind = *in.kind;
    if (in.code) o.code = in.code->empty() ? std::nullopt : in.code;
    if (in.note) o.note = *in.note;
    if (in.disabled) o.disabled = *in.disabled;
}

}  // namespace

AccountService::AccountService(storage::Database& db, const Clock& clock, AuthConfig config)
    : db_(db), clock_(clock), config_(std::move(config)) {}

Result<Organization> AccountService::LoadOrganization(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(
        fmt::format("SELECT {} FROM organizations WHERE id = $1", kOrganizationColumns), {id}));
    if (rows.empty()) {
        return Fail(Error::NotFound(fmt::format("organisation {} does not exist", id)));
    }
    return OrganizationFromRow(rows.front());
}

Result<Page<Organization>> AccountService::ListOrganizations(const OrganizationQuery& q) {
    storage::QueryBuilder b(
        fmt::format("SELECT {} FROM organizations WHERE 1 = 1", kOrganizationColumns));
    b.And("id > {0}", q.after.value_or(0));
    if (q.q)
        b.And("(LOWER(name) LIKE LOWER({0}) OR LOWER(COALESCE(code, '')) LIKE LOWER({0}))",
              "%" + *q.q + "%");
    b.Append(" ORDER BY id LIMIT {0}", static_cast<std::int64_t>(q.limit + 1));
    return db_.Read([&](storage::Connection& c) -> Result<Page<Organization>> {
        auto rows = UNYO_TRY(c.Query(b.sql(), b.params()));
        Page<Organization> page;
        for (const auto& r : rows.rows) {
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_cursor = page.items.back().id;
                break;
            }
            page.items.push_back(OrganizationFromRow(r));
        }
        return page;
    });
}

Result<Organization> AccountService::GetOrganization(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return LoadOrganization(c, id); });
}

Result<Organization> AccountService::CreateOrganization(const OrganizationInput& in,
                                                        const audit::Actor& actor,
                                                        const TxHook& hook) {
    Organization o;
    o.kind = "other";
    Apply(o, in);
    UNYO_TRY_VOID(ValidateOrganization(o));
    o.created_at = o.updated_at = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Organization> {
        auto rows = c.Query(
            "INSERT INTO organizations (code, name, kind, note, disabled, created_at, updated_at, "
            "version) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
            {storage::Nullable(o.code), o.name, o.kind, o.note, std::int64_t{o.disabled},
             o.created_at, o.updated_at});
        if (!rows) {
            return Fail(OrganizationConflict(rows.error(), o));
        }
        o.id = rows->front().Int(0);
        const auto body = ToJson(o);
        UNYO_TRY(audit::Append(
            c, actor, {"organization.create", "organization", std::to_string(o.id), nullptr, body},
            o.created_at));
        if (hook) {
            UNYO_TRY_VOID(hook(c, body));
        }
        return o;
    });
}

Result<Organization> AccountService::UpdateOrganization(std::int64_t id,
                                                        std::int64_t expected_version,
                                                        const OrganizationInput& in,
                                                        const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<Organization> {
        Organization before = UNYO_TRY(LoadOrganization(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("organisation {} was changed by someone else (now version "
                                     "{}); reload and retry",
                                     id, before.version),
                         {}});
        }
        Organization o = before;
        Apply(o, in);
        UNYO_TRY_VOID(ValidateOrganization(o));
        o.updated_at = clock_.Now();
        o.version = before.version + 1;
        auto n = c.Exec(
            "UPDATE organizations SET code = $1, name = $2, kind = $3, note = $4, disabled = $5, "
            "updated_at = $6, "
            "version = $7 WHERE id = $8 AND version = $9",
            {storage::Nullable(o.code), o.name, o.kind, o.note, std::int64_t{o.disabled},
             o.updated_at, o.version, id, expected_version});
        if (!n) {
            return Fail(OrganizationConflict(n.error(), o));
        }
        UNYO_TRY(audit::Append(
            c, actor,
            {"organization.update", "organization", std::to_string(id), ToJson(before), ToJson(o)},
            o.updated_at));
        return o;
    });
}

Result<void> AccountService::DeleteOrganization(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        Organization before = UNYO_TRY(LoadOrganization(c, id));
        auto users =
            UNYO_TRY(c.Query("SELECT COUNT(*) FROM users WHERE organization_id = $1", {id}));
        if (users.front().Int(0) > 0) {
            return Fail(Error::Conflict(
                fmt::format("organisation \"{}\" still has {} users; move or delete them first",
                            before.name, users.front().Int(0))));
        }
        UNYO_TRY(c.Exec("DELETE FROM organizations WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(
            c, actor,
            {"organization.delete", "organization", std::to_string(id), ToJson(before), nullptr},
            clock_.Now()));
        return {};
    });
}

}  // namespace unyo::auth
