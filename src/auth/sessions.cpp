// AccountService: sign-in with lockout, sessions, API tokens, login history, inventory
// (ACC-2, ACC-4, ACC-5).
#include <fmt/format.h>

#include "auth/accounts.hpp"
#include "core/time_format.hpp"
#include "storage/sql/query_builder.hpp"

namespace unyo::auth {
namespace {

constexpr const char* kTokenPrefix = "unyo_";
// Session activity is written at most this often, so that reads do not become writes.
constexpr Millis kTouchInterval = kMinuteMs;

Error BadCredentials() {
    return {ErrorCode::kUnauthenticated, "the login or the password is wrong", {}};
}

// A hash of a random password, verified when the login is unknown so that both cases cost the
// same time (no login enumeration by timing).
const std::string& DummyHash(HashCost cost) {
    static const std::string interactive =
        HashPassword(RandomToken(), HashCost::kInteractive).value_or("");
    static const std::string minimal = HashPassword(RandomToken(), HashCost::kMinimal).value_or("");
    return cost == HashCost::kInteractive ? interactive : minimal;
}

// `expiry_days` > 0 makes an old password one that must be changed before anything else (ACC-2).
Principal ToPrincipal(const User& u, int expiry_days, Millis now) {
    Principal p;
    p.user_id = u.id;
    p.login = u.login;
    p.display_name = u.display_name;
    p.organization_id = u.organization_id;
    p.roles = u.roles;
    p.must_change_password =
        u.must_change_password ||
        (expiry_days > 0 && now - u.password_changed_at > expiry_days * kDayMs);
    return p;
}

}  // namespace

Result<void> AccountService::RecordLogin(storage::Connection& c,
                                         std::optional<std::int64_t> user_id,
                                         const std::string& login, bool success,
                                         const std::string& reason, const std::string& address,
                                         const std::string& user_agent) {
    UNYO_TRY(c.Exec(
        "INSERT INTO login_events (at, user_id, login, success, reason, address, user_agent) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {clock_.Now(), storage::Nullable(user_id), login.substr(0, 64), std::int64_t{success},
         reason, address, user_agent.substr(0, 300)}));
    return {};
}

Result<LoginResult> AccountService::Login(const std::string& login_in, const std::string& password,
                                          const std::string& address,
                                          const std::string& user_agent) {
    auto norm = NormalizeLogin(login_in);
    std::optional<User> user;
    if (norm) {
        auto found = FindUserByLogin(*norm);
        if (found) {
            user = std::move(*found);
        } else if (found.error().code != ErrorCode::kNotFound) {
            return Fail(found.error());
        }
    }
    const std::string login = norm.value_or(login_in);
    const Millis now = clock_.Now();
    if (!user) {
        (void)VerifyPassword(DummyHash(config_.hash_cost), password);
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) {
            return RecordLogin(c, std::nullopt, login, false, "bad_credentials", address,
                               user_agent);
        }));
        return Fail(BadCredentials());
    }
    auto locked_error = [](Millis until) {
        return Error{
            ErrorCode::kLocked,
            fmt::format(
                "the account is locked after repeated failures until {}; try later or ask an "
                "administrator to unlock it",
                FormatRfc3339(until)),
            {},
            {{"locked_until", FormatRfc3339(until)}}};
    };
    if (user->locked_until && *user->locked_until > now) {
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) {
            return RecordLogin(c, user->id, login, false, "locked", address, user_agent);
        }));
        return Fail(locked_error(*user->locked_until));
    }
    const bool ok = VerifyPassword(user->password_hash, password);
    if (!ok) {
        std::optional<Millis> locked_until;
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
            // A lock that has expired starts the count afresh.
            auto rows =
                UNYO_TRY(c.Query("UPDATE users SET failed_logins = CASE WHEN locked_until IS NOT "
                                 "NULL AND locked_until <= $2 THEN 1 "
                                 "ELSE failed_logins + 1 END, locked_until = CASE WHEN "
                                 "locked_until <= $2 THEN NULL ELSE locked_until "
                                 "END WHERE id = $1 RETURNING failed_logins",
                                 {user->id, now}));
            const std::int64_t failures = rows.empty() ? 0 : rows.front().Int(0);
            UNYO_TRY_VOID(
                RecordLogin(c, user->id, login, false, "bad_credentials", address, user_agent));
            if (failures >= config_.max_failures) {
                locked_until = now + config_.lock_minutes * kMinuteMs;
                UNYO_TRY(c.Exec("UPDATE users SET locked_until = $1 WHERE id = $2",
                                {*locked_until, user->id}));
                UNYO_TRY(audit::Append(
                    c, {std::nullopt, "system", address},
                    {"user.lock", "user", std::to_string(user->id), nullptr,
                     json::object{
                         {"reason", fmt::format("{} consecutive failed sign-ins", failures)},
                         {"locked_until", InstantOrNull(locked_until)}}},
                    now));
            }
            return {};
        }));
        if (locked_until) {
            return Fail(locked_error(*locked_until));
        }
        return Fail(BadCredentials());
    }
    if (user->disabled) {
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) {
            return RecordLogin(c, user->id, login, false, "disabled", address, user_agent);
        }));
        return Fail(BadCredentials());
    }
    LoginResult result;
    result.session_token = RandomToken();
    result.csrf_token = RandomToken();
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(
            c.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 "
                   "WHERE id = $2",
                   {now, user->id}));
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
            "expires_at, address, "
            "user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
            {Sha256Hex(result.session_token), user->id, result.csrf_token, now,
             now + config_.session_max_hours * kHourMs, address, user_agent.substr(0, 300)}));
        UNYO_TRY_VOID(RecordLogin(c, user->id, login, true, "ok", address, user_agent));
        UNYO_TRY(audit::Append(c, {user->id, user->login, address},
                               {"session.login", "session", rows.front().Text(0), nullptr, nullptr},
                               now));
        return {};
    }));
    user->failed_logins = 0;
    user->locked_until.reset();
    user->last_login_at = now;
    result.user = std::move(*user);
    return result;
}

Result<Principal> AccountService::AuthenticateSession(const std::string& token) {
    const Millis now = clock_.Now();
    struct Found {
        User user;
        std::int64_t session_id;
        std::string csrf;
        Millis last_seen;
        Millis expires;
    };
    auto found = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::optional<Found>> {
        auto rows =
            UNYO_TRY(c.Query("SELECT id, user_id, csrf_token, last_seen_at, expires_at FROM "
                             "sessions WHERE token_hash = $1",
                             {Sha256Hex(token)}));
        if (rows.empty()) {
            return std::optional<Found>{};
        }
        const auto& r = rows.front();
        User u = UNYO_TRY(LoadUser(c, r.Int(1)));
        return std::optional<Found>{Found{std::move(u), r.Int(0), r.Text(2), r.Int(3), r.Int(4)}};
    }));
    if (!found || found->user.disabled || now >= found->expires ||
        now - found->last_seen >= config_.session_idle_minutes * kMinuteMs) {
        return Fail(Error{ErrorCode::kUnauthenticated, "the session has ended; sign in again", {}});
    }
    if (now - found->last_seen >= kTouchInterval) {
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
                            {now, found->session_id}));
            return {};
        }));
    }
    Principal p = ToPrincipal(found->user, config_.password.expiry_days, now);
    p.session_id = found->session_id;
    p.csrf_token = found->csrf;
    return p;
}

Result<Principal> AccountService::AuthenticateToken(const std::string& bearer) {
    const Millis now = clock_.Now();
    auto found = UNYO_TRY(
        db_.Read([&](storage::Connection& c) -> Result<std::optional<std::pair<User, ApiToken>>> {
            auto rows = UNYO_TRY(c.Query(
                fmt::format("SELECT {} FROM api_tokens WHERE token_hash = $1", kTokenColumns),
                {Sha256Hex(bearer)}));
            if (rows.empty()) {
                return std::optional<std::pair<User, ApiToken>>{};
            }
            ApiToken t = TokenFromRow(rows.front());
            User u = UNYO_TRY(LoadUser(c, t.user_id));
            return std::optional<std::pair<User, ApiToken>>{std::pair{std::move(u), std::move(t)}};
        }));
    if (!found || found->first.disabled || now >= found->second.expires_at) {
        return Fail(
            Error{ErrorCode::kUnauthenticated, "the API token is unknown, expired or revoked", {}});
    }
    if (!found->second.last_used_at || now - *found->second.last_used_at >= kTouchInterval) {
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
                            {now, found->second.id}));
            return {};
        }));
    }
    Principal p = ToPrincipal(found->first, config_.password.expiry_days, now);
    p.via_token = true;
    return p;
}

Result<void> AccountService::Logout(const Principal& who, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("DELETE FROM sessions WHERE id = $1", {who.session_id}));
        UNYO_TRY(audit::Append(
            c, actor,
            {"session.logout", "session", std::to_string(who.session_id), nullptr, nullptr},
            clock_.Now()));
        return {};
    });
}

Result<std::vector<ApiToken>> AccountService::ListTokens(std::optional<std::int64_t> user_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<ApiToken>> {
        auto rows = UNYO_TRY(
            user_id
                ? c.Query(fmt::format("SELECT {} FROM api_tokens WHERE user_id = $1 ORDER BY id",
                                      kTokenColumns),
                          {*user_id})
                : c.Query(fmt::format("SELECT {} FROM api_tokens ORDER BY id", kTokenColumns)));
        std::vector<ApiToken> out;
        for (const auto& r : rows.rows) {
            out.push_back(TokenFromRow(r));
        }
        return out;
    });
}

Result<NewToken> AccountService::CreateToken(const Principal& who, const std::string& name,
                                             int days, const audit::Actor& actor) {
    NewToken out;
    out.secret = kTokenPrefix + RandomToken();
    out.token.user_id = who.user_id;
    out.token.name = name;
    out.token.prefix = out.secret.substr(0, 12);
    out.token.created_at = clock_.Now();
    out.token.expires_at = out.token.created_at + days * kDayMs;
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            {who.user_id, name, out.token.prefix, Sha256Hex(out.secret), out.token.created_at,
             out.token.expires_at}));
        out.token.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(
            c, actor,
            {"token.create", "token", std::to_string(out.token.id), nullptr, ToJson(out.token)},
            out.token.created_at));
        return {};
    }));
    return out;
}

Result<void> AccountService::DeleteToken(std::int64_t id, const Principal& who,
                                         const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        auto rows = UNYO_TRY(
            c.Query(fmt::format("SELECT {} FROM api_tokens WHERE id = $1", kTokenColumns), {id}));
        if (rows.empty()) {
            return Fail(Error::NotFound(fmt::format("API token {} does not exist", id)));
        }
        const ApiToken t = TokenFromRow(rows.front());
        if (t.user_id != who.user_id && !who.Is(Role::kAdmin)) {
            // Another user's token is reported as absent: its existence is not this user's
            // business.
            return Fail(Error::NotFound(fmt::format("API token {} does not exist", id)));
        }
        UNYO_TRY(c.Exec("DELETE FROM api_tokens WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor,
                               {"token.delete", "token", std::to_string(id), ToJson(t), nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<std::vector<LoginEvent>> AccountService::ListLoginEvents(const LoginEventQuery& q) {
    storage::QueryBuilder b(
        "SELECT id, at, user_id, login, success, reason, address, user_agent FROM login_events "
        "WHERE 1 = 1");
    if (q.user_id) b.And("user_id = {0}", *q.user_id);
    if (q.login) b.And("login = {0}", *q.login);
    if (q.success) b.And("success = {0}", std::int64_t{*q.success});
    if (q.from) b.And("at >= {0}", *q.from);
    if (q.to) b.And("at < {0}", *q.to);
    if (q.before_id) b.And("id < {0}", *q.before_id);
    b.Append(" ORDER BY id DESC LIMIT {0}", static_cast<std::int64_t>(q.limit));
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<LoginEvent>> {
        auto rows = UNYO_TRY(c.Query(b.sql(), b.params()));
        std::vector<LoginEvent> out;
        for (const auto& r : rows.rows) {
            LoginEvent e;
            e.id = r.Int(0);
            e.at = r.Int(1);
            e.user_id = r.OptInt(2);
            e.login = r.Text(3);
            e.success = r.Bool(4);
            e.reason = r.Text(5);
            e.address = r.Text(6);
            e.user_agent = r.Text(7);
            out.push_back(std::move(e));
        }
        return out;
    });
}

Result<std::vector<InventoryItem>> AccountService::Inventory(int dormant_days) {
    const Millis now = clock_.Now();
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<InventoryItem>> {
        auto rows =
            UNYO_TRY(c.Query(fmt::format("SELECT {} FROM users ORDER BY id", kUserColumns)));
        std::vector<InventoryItem> out;
        for (const auto& r : rows.rows) {
            InventoryItem item;
            item.user = UserFromRow(r);
            item.locked = item.user.locked_until && *item.user.locked_until > now;
            // An account that never signed in counts from its creation.
            const Millis since = item.user.last_login_at.value_or(item.user.created_at);
            if (item.user.last_login_at) {
                item.days_since_login = (now - *item.user.last_login_at) / kDayMs;
            }
            item.dormant = now - since > dormant_days * kDayMs;
            out.push_back(std::move(item));
        }
        return out;
    });
}

Result<std::int64_t> AccountService::PurgeLoginHistory() {
    const Millis cutoff = clock_.Now() - config_.login_history_days * kDayMs;
    return db_.Write([&](storage::Connection& c) -> Result<std::int64_t> {
        const std::int64_t n = UNYO_TRY(c.Exec("DELETE FROM login_events WHERE at < $1", {cutoff}));
        UNYO_TRY(c.Exec("DELETE FROM sessions WHERE expires_at < $1", {clock_.Now()}));
        UNYO_TRY(
            c.Exec("DELETE FROM idempotency_keys WHERE created_at < $1", {clock_.Now() - kDayMs}));
        return n;
    });
}

}  // namespace unyo::auth
