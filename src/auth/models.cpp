#include "auth/models.hpp"

#include "core/time_format.hpp"

namespace unyo::auth {

const char* const kOrganizationColumns =
    "id, code, name, kind, note, disabled, created_at, updated_at, version";
const char* const kUserColumns =
    "id, login, display_name, email, organization_id, roles, password_hash, password_changed_at, "
    "must_change_password, disabled, failed_logins, locked_until, last_login_at, created_at, "
    "updated_at, version";
const char* const kTokenColumns = "id, user_id, name, prefix, created_at, expires_at, last_used_at";

Organization OrganizationFromRow(const storage::Row& r) {
    return {r.Int(0),  r.OptText(1), r.Text(2), r.Text(3), r.Text(4),
            r.Bool(5), r.Int(6),     r.Int(7),  r.Int(8)};
}

User UserFromRow(const storage::Row& r) {
    User u;
    u.id = r.Int(0);
    u.login = r.Text(1);
    u.display_name = r.Text(2);
    u.email = r.Text(3);
    u.organization_id = r.Int(4);
    u.roles = ParseRoles(r.Text(5));
    u.password_hash = r.Text(6);
    u.password_changed_at = r.Int(7);
    u.must_change_password = r.Bool(8);
    u.disabled = r.Bool(9);
    u.failed_logins = r.Int(10);
    u.locked_until = r.OptInt(11);
    u.last_login_at = r.OptInt(12);
    u.created_at = r.Int(13);
    u.updated_at = r.Int(14);
    u.version = r.Int(15);
    return u;
}

ApiToken TokenFromRow(const storage::Row& r) {
    return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.OptInt(6)};
}

json::object ToJson(const Organization& o) {
    return {{"id", o.id},
            {"code", OrNull(o.code)},
            {"name", o.name},
            {"kind", o.kind},
            {"note", o.note},
            {"disabled", o.disabled},
            {"created_at", FormatRfc3339(o.created_at)},
            {"updated_at", FormatRfc3339(o.updated_at)},
            {"version", o.version}};
}

json::object ToJson(const User& u) {
    json::array roles;
    for (auto& n : RoleNames(u.roles)) {
        roles.emplace_back(n);
    }
    return {{"id", u.id},
            {"login", u.login},
            {"display_name", u.display_name},
            {"email", u.email},
            {"organization_id", u.organization_id},
            {"roles", std::move(roles)},
            {"disabled", u.disabled},
            {"locked_until", InstantOrNull(u.locked_until)},
            {"failed_logins", u.failed_logins},
            {"must_change_password", u.must_change_password},
            {"last_login_at", InstantOrNull(u.last_login_at)},
            {"password_changed_at", FormatRfc3339(u.password_changed_at)},
            {"created_at", FormatRfc3339(u.created_at)},
            {"updated_at", FormatRfc3339(u.updated_at)},
            {"version", u.version}};
}

json::object ToJson(const ApiToken& t) {
    return {{"id", t.id},
            {"user_id", t.user_id},
            {"name", t.name},
            {"prefix", t.prefix},
            {"created_at", FormatRfc3339(t.created_at)},
            {"expires_at", FormatRfc3339(t.expires_at)},
            {"last_used_at", InstantOrNull(t.last_used_at)}};
}

}  // namespace unyo::auth
