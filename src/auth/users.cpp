// AccountService: users and passwords (ACC-1, ACC-2).
#include <fmt/format.h>

#include "auth/accounts.hpp"
#include "storage/sql/query_builder.hpp"

namespace unyo::auth {
namespace {

Error StaleVersion(std::string_view what, std::int64_t id, std::int64_t now) {
    return {ErrorCode::kPreconditionFailed,
            fmt::format("{} {} was changed by someone else (now version {}); reload and retry",
                        what, id, now),
            {}};
}

}  // namespace

Result<std::string> NormalizeLogin(std::string_view login) {
    std::string out;
    for (char ch : login) {
        const char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                        c == '-' || c == '@';
        if (!ok) {
            return Fail(Error::Field("login", "may contain only letters a-z, digits and . _ - @"));
        }
        out.push_back(c);
    }
    if (out.empty() || out.size() > 64) {
        return Fail(Error::Field("login", "must be 1 to 64 characters"));
    }
    return out;
}

Result<User> AccountService::LoadUser(storage::Connection& c, std::int64_t id) {
    auto rows =
        UNYO_TRY(c.Query(fmt::format("SELECT {} FROM users WHERE id = $1", kUserColumns), {id}));
    if (rows.empty()) {
        return Fail(Error::NotFound(fmt::format("user {} does not exist", id)));
    }
    return UserFromRow(rows.front());
}

Result<void> AccountService::ValidateUser(storage::Connection& c, const User& u, bool creating) {
    std::vector<FieldError> errors;
    if (u.display_name.empty()) {
        errors.push_back({"display_name", "is required"});
    }
    if (u.roles == 0) {
        errors.push_back(
            {"roles",
             "must name at least one of admin, manager, operator, vendor, requester, viewer"});
    }
    if (!u.email.empty() && u.email.find('@') == std::string::npos) {
        errors.push_back({"email", "must be an e-mail address"});
    }
    auto org = c.Query("SELECT disabled FROM organizations WHERE id = $1", {u.organization_id});
    if (!org) {
        return Fail(org.error());
    }
    if (org->empty()) {
        errors.push_back(
            {"organization_id", fmt::format("organisation {} does not exist", u.organization_id)});
    } else if (creating && org->front().Bool(0)) {
        errors.push_back({"organization_id", "the organisation is disabled"});
    }
    if (errors.empty()) {
        return {};
    }
    return Fail(Error::Validation(std::move(errors)));
}

namespace {

// Role names from input; unknown names are reported on the `roles` field.
Result<RoleSet> ParseRoleList(const std::vector<std::string>& names) {
    RoleSet set = 0;
    for (const auto& n : names) {
        auto r = ParseRole(n);
        if (!r) {
            return Fail(Error::Field("roles", fmt::format("unknown role \"{}\"", n)));
        }
        set |= Bit(*r);
    }
    return set;
}

}  // namespace

Result<Page<User>> AccountService::ListUsers(const UserQuery& q) {
    storage::QueryBuilder b(fmt::format("SELECT {} FROM users WHERE 1 = 1", kUserColumns));
    b.And("id > {0}", q.after.value_or(0));
    if (q.organization_id) b.And("organization_id = {0}", *q.organization_id);
    if (q.q)
        b.And("(LOWER(login) LIKE LOWER({0}) OR LOWER(display_name) LIKE LOWER({0}))",
              "%" + *q.q + "%");
    if (q.role) b.And("(' ' || roles || ' ') LIKE {0}", "% " + *q.role + " %");
    if (q.status == "active") b.And("disabled = 0");
    if (q.status == "disabled") b.And("disabled = 1");
    if (q.status == "locked") b.And("locked_until > {0}", clock_.Now());
    b.Append(" ORDER BY id LIMIT {0}", static_cast<std::int64_t>(q.limit + 1));
    return db_.Read([&](storage::Connection& c) -> Result<Page<User>> {
        auto rows = UNYO_TRY(c.Query(b.sql(), b.params()));
        Page<User> page;
        for (const auto& r : rows.rows) {
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_cursor = page.items.back().id;
                break;
            }
            page.items.push_back(UserFromRow(r));
        }
        return page;
    });
}

Result<User> AccountService::GetUser(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return LoadUser(c, id); });
}

Result<User> AccountService::FindUserByLogin(const std::string& login) {
    const std::string norm = UNYO_TRY(NormalizeLogin(login));
    return db_.Read([&](storage::Connection& c) -> Result<User> {
        auto rows = UNYO_TRY(
            c.Query(fmt::format("SELECT {} FROM users WHERE login = $1", kUserColumns), {norm}));
        if (rows.empty()) {
            return Fail(Error::NotFound(fmt::format("no user has the login \"{}\"", norm)));
        }
        return UserFromRow(rows.front());
    });
}

Result<User> AccountService::CreateUser(const UserInput& in, const audit::Actor& actor,
                                        const TxHook& hook) {
    std::vector<FieldError> missing;
    for (auto [name, present] : {std::pair{"login", in.login.has_value()},
                                 {"display_name", in.display_name.has_value()},
                                 {"organization_id", in.organization_id.has_value()},
                                 {"roles", in.roles.has_value()},
                                 {"password", in.password.has_value()}}) {
        if (!present) {
            missing.push_back({name, "is required"});
        }
    }
    if (!missing.empty()) {
        return Fail(Error::Validation(std::move(missing)));
    }
    User u;
    u.login = UNYO_TRY(NormalizeLogin(*in.login));
    u.display_name = *in.display_name;
    u.email = in.email.value_or("");
    u.organization_id = *in.organization_id;
    u.roles = UNYO_TRY(ParseRoleList(*in.roles));
    u.disabled = in.disabled.value_or(false);
    UNYO_TRY_VOID(CheckPassword(config_.password, *in.password, u.login, u.display_name));
    u.password_hash = UNYO_TRY(HashPassword(*in.password, config_.hash_cost));
    u.created_at = u.updated_at = u.password_changed_at = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<User> {
        UNYO_TRY_VOID(ValidateUser(c, u, true));
        auto rows = c.Query(
            "INSERT INTO users (login, display_name, email, organization_id, roles, password_hash, "
            "password_changed_at, must_change_password, disabled, failed_logins, created_at, "
            "updated_at, version) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, 0, $9, $10, 1) RETURNING id",
            {u.login, u.display_name, u.email, u.organization_id, FormatRoles(u.roles),
             u.password_hash, u.password_changed_at, std::int64_t{u.disabled}, u.created_at,
             u.updated_at});
        if (!rows) {
            if (rows.error().code == ErrorCode::kConflict) {
                return Fail(Error::Field("login",
                                         fmt::format("the login \"{}\" is already used", u.login),
                                         ErrorCode::kConflict));
            }
            return Fail(rows.error());
        }
        u.id = rows->front().Int(0);
        UNYO_TRY(c.Exec(
            "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
            {u.id, u.password_hash, u.created_at}));
        const auto body = ToJson(u);
        UNYO_TRY(audit::Append(
            c, actor, {"user.create", "user", std::to_string(u.id), nullptr, body}, u.created_at));
        if (hook) {
            UNYO_TRY_VOID(hook(c, body));
        }
        return u;
    });
}

Result<User> AccountService::UpdateUser(std::int64_t id, std::int64_t expected_version,
                                        const UserInput& in, const audit::Actor& actor) {
    if (in.login || in.password) {
        return Fail(Error::Field(in.login ? "login" : "password",
                                 in.login ? "cannot be changed; create a new account instead"
                                          : "is changed with POST /api/v1/users/{id}/password"));
    }
    std::optional<RoleSet> roles;
    if (in.roles) {
        roles = UNYO_TRY(ParseRoleList(*in.roles));
    }
    return db_.Write([&](storage::Connection& c) -> Result<User> {
        User before = UNYO_TRY(LoadUser(c, id));
        if (before.version != expected_version) {
            return Fail(StaleVersion("user", id, before.version));
        }
        User u = before;
        if (in.display_name) u.display_name = *in.display_name;
        if (in.email) u.email = *in.email;
        if (in.organization_id) u.organization_id = *in.organization_id;
        if (roles) u.roles = *roles;
        if (in.disabled) u.disabled = *in.disabled;
        if (actor.id && *actor.id == id && before.roles != u.roles &&
            Has(before.roles, Role::kAdmin) && !Has(u.roles, Role::kAdmin)) {
            return Fail(Error::Field("roles", "you cannot remove your own admin role"));
        }
        if (actor.id && *actor.id == id && u.disabled) {
            return Fail(Error::Field("disabled", "you cannot disable your own account"));
        }
        UNYO_TRY_VOID(ValidateUser(c, u, false));
        u.updated_at = clock_.Now();
        u.version = before.version + 1;
        UNYO_TRY(
            c.Exec("UPDATE users SET display_name = $1, email = $2, organization_id = $3, roles = "
                   "$4, disabled = $5, "
                   "updated_at = $6, version = $7 WHERE id = $8 AND version = $9",
                   {u.display_name, u.email, u.organization_id, FormatRoles(u.roles),
                    std::int64_t{u.disabled}, u.updated_at, u.version, id, expected_version}));
        if (u.disabled && !before.disabled) {
            // A disabled account loses its sessions and tokens at once.
            UNYO_TRY(c.Exec("DELETE FROM sessions WHERE user_id = $1", {id}));
        }
        UNYO_TRY(audit::Append(
            c, actor, {"user.update", "user", std::to_string(id), ToJson(before), ToJson(u)},
            u.updated_at));
        return u;
    });
}

Result<void> AccountService::DeleteUser(std::int64_t id, const audit::Actor& actor) {
    if (actor.id && *actor.id == id) {
        return Fail(Error::Conflict("you cannot delete your own account"));
    }
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        User before = UNYO_TRY(LoadUser(c, id));
        UNYO_TRY(c.Exec("DELETE FROM users WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor,
                               {"user.delete", "user", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
}

// Reads the recent hashes and compares outside any write transaction: argon2id takes ~0.1 s a
// hash and must not hold the single writer.
Result<void> AccountService::CheckHistory(std::int64_t user_id, const std::string& password,
                                          std::string_view field) {
    if (config_.password.history <= 0) {
        return {};
    }
    auto hashes =
        UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<std::string>> {
            auto rows =
                UNYO_TRY(c.Query("SELECT password_hash FROM password_history WHERE user_id = $1 "
                                 "ORDER BY created_at DESC LIMIT $2",
                                 {user_id, static_cast<std::int64_t>(config_.password.history)}));
            std::vector<std::string> out;
            for (const auto& r : rows.rows) {
                out.push_back(r.Text(0));
            }
            return out;
        }));
    for (const auto& h : hashes) {
        if (VerifyPassword(h, password)) {
            return Fail(Error::Field(
                std::string(field),
                fmt::format("must differ from the last {} passwords", config_.password.history)));
        }
    }
    return {};
}

Result<void> AccountService::StorePassword(storage::Connection& c, std::int64_t user_id,
                                           const std::string& hash, bool must_change) {
    const Millis now = clock_.Now();
    UNYO_TRY(
        c.Exec("UPDATE users SET password_hash = $1, password_changed_at = $2, "
               "must_change_password = $3, failed_logins = 0, "
               "locked_until = NULL, updated_at = $2, version = version + 1 WHERE id = $4",
               {hash, now, std::int64_t{must_change}, user_id}));
    UNYO_TRY(c.Exec(
        "INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, $3)",
        {user_id, hash, now}));
    return {};
}

Result<void> AccountService::ResetPassword(std::int64_t id, const std::string& password,
                                           const audit::Actor& actor, bool must_change) {
    const User u = UNYO_TRY(GetUser(id));
    UNYO_TRY_VOID(CheckPassword(config_.password, password, u.login, u.display_name));
    UNYO_TRY_VOID(CheckHistory(id, password, "password"));
    const std::string hash = UNYO_TRY(HashPassword(password, config_.hash_cost));
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY_VOID(StorePassword(c, id, hash, must_change));
        // The old password's sessions end: whoever knew it is signed out.
        UNYO_TRY(c.Exec("DELETE FROM sessions WHERE user_id = $1", {id}));
        UNYO_TRY(audit::Append(
            c, actor, {"user.password_reset", "user", std::to_string(id), nullptr, nullptr},
            clock_.Now()));
        return {};
    });
}

Result<void> AccountService::ChangeOwnPassword(std::int64_t id, const std::string& current,
                                               const std::string& next, const audit::Actor& actor) {
    const User u = UNYO_TRY(GetUser(id));
    if (!VerifyPassword(u.password_hash, current)) {
        return Fail(Error::Field("current_password", "is not your current password"));
    }
    UNYO_TRY_VOID(CheckPassword(config_.password, next, u.login, u.display_name, "new_password"));
    UNYO_TRY_VOID(CheckHistory(id, next, "new_password"));
    const std::string hash = UNYO_TRY(HashPassword(next, config_.hash_cost));
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY_VOID(StorePassword(c, id, hash, false));
        UNYO_TRY(audit::Append(
            c, actor, {"user.password_change", "user", std::to_string(id), nullptr, nullptr},
            clock_.Now()));
        return {};
    });
}

Result<User> AccountService::Unlock(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<User> {
        User before = UNYO_TRY(LoadUser(c, id));
        UNYO_TRY(
            c.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $1, "
                   "version = version + 1 "
                   "WHERE id = $2",
                   {clock_.Now(), id}));
        User after = UNYO_TRY(LoadUser(c, id));
        UNYO_TRY(audit::Append(
            c, actor, {"user.unlock", "user", std::to_string(id), ToJson(before), ToJson(after)},
            after.updated_at));
        return after;
    });
}

}  // namespace unyo::auth
