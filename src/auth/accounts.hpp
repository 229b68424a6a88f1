#pragma once
// AccountService: organisations, users, passwords, sessions, API tokens, login history and the
// account inventory (ORG-1, ACC-1..5, ACC-7). Every write runs in one transaction together with
// its audit entry. Thread-safe: it holds no mutable state of its own; call it from the blocking
// pool (it blocks on the database and on argon2id).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "auth/models.hpp"
#include "auth/password_policy.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "storage/sql/database.hpp"

namespace unyo::auth {

struct AuthConfig {
    PasswordPolicy password;
    int max_failures = 5;  // consecutive failures before the account locks
    int lock_minutes = 15;
    int session_idle_minutes = 60;
    int session_max_hours = 12;
    int dormant_days = 90;          // inventory: no login for longer is dormant (ACC-4)
    int login_history_days = 1095;  // ACC-5 retention
    HashCost hash_cost = HashCost::kInteractive;
};

/// Called inside a create's transaction with the created resource's JSON (e.g. to record an
/// idempotency key atomically with the create).
using TxHook = std::function<Result<void>(storage::Connection&, const json::object& resource)>;

/// Fields of a create or a partial update; absent fields are left as they are.
struct OrganizationInput {
    std::optional<std::string> name, kind, code, note;
    std::optional<bool> disabled;
};

struct UserInput {
    std::optional<std::string> login, display_name, email, password;
    std::optional<std::int64_t> organization_id;
    std::optional<std::vector<std::string>> roles;
    std::optional<bool> disabled;
};

template <typename T>
struct Page {
    std::vector<T> items;
    std::optional<std::int64_t> next_cursor;  // pass as `after` for the next page
};

struct OrganizationQuery {
    std::optional<std::string> q;
    std::optional<std::int64_t> after;
    int limit = 50;
};

struct UserQuery {
    std::optional<std::int64_t> organization_id;
    std::optional<std::string> q, role, status;  // status: active | disabled | locked
    std::optional<std::int64_t> after;
    int limit = 50;
};

struct LoginEvent {
    std::int64_t id = 0;
    Millis at = 0;
    std::optional<std::int64_t> user_id;
    std::string login, reason, address, user_agent;
    bool success = false;
};

struct LoginEventQuery {
    std::optional<std::int64_t> user_id;
    std::optional<std::string> login;
    std::optional<bool> success;
    std::optional<Millis> from, to;
    std::optional<std::int64_t> before_id;
    int limit = 50;
};

struct InventoryItem {
    User user;
    bool locked = false;
    std::optional<std::int64_t> days_since_login;
    bool dormant = false;
};

struct LoginResult {
    User user;
    std::string session_token;  // the cookie value; only its hash is stored
    std::string csrf_token;
};

struct NewToken {
    ApiToken token;
    std::string secret;  // shown once
};

class AccountService {
  public:
    AccountService(storage::Database& db, const Clock& clock, AuthConfig config);
    AccountService(const AccountService&) = delete;
    AccountService& operator=(const AccountService&) = delete;

    [[nodiscard]] const AuthConfig& config() const { return config_; }

    // Organisations.
    [[nodiscard]] Result<Page<Organization>> ListOrganizations(const OrganizationQuery& q);
    [[nodiscard]] Result<Organization> GetOrganization(std::int64_t id);
    /// Error::Field on invalid input, Error::Conflict when name or code is taken.
    [[nodiscard]] Result<Organization> CreateOrganization(const OrganizationInput& in,
                                                          const audit::Actor& actor,
                                                          const TxHook& hook = {});
    /// kPreconditionFailed when `expected_version` is stale.
    [[nodiscard]] Result<Organization> UpdateOrganization(std::int64_t id,
                                                          std::int64_t expected_version,
                                                          const OrganizationInput& in,
                                                          const audit::Actor& actor);
    /// Error::Conflict while the organisation has users.
    [[nodiscard]] Result<void> DeleteOrganization(std::int64_t id, const audit::Actor& actor);

    // Users.
    [[nodiscard]] Result<Page<User>> ListUsers(const UserQuery& q);
    [[nodiscard]] Result<User> GetUser(std::int64_t id);
    [[nodiscard]] Result<User> FindUserByLogin(const std::string& login);
    [[nodiscard]] Result<User> CreateUser(const UserInput& in, const audit::Actor& actor,
                                          const TxHook& hook = {});
    [[nodiscard]] Result<User> UpdateUser(std::int64_t id, std::int64_t expected_version,
                                          const UserInput& in, const audit::Actor& actor);
    [[nodiscard]] Result<void> DeleteUser(std::int64_t id, const audit::Actor& actor);
    /// Sets a password chosen by an administrator; the user must change it at next sign-in.
    [[nodiscard]] Result<void> ResetPassword(std::int64_t id, const std::string& password,
                                             const audit::Actor& actor, bool must_change = true);
    /// The user's own change; checks the current password (field `current_password`).
    [[nodiscard]] Result<void> ChangeOwnPassword(std::int64_t id, const std::string& current,
                                                 const std::string& next,
                                                 const audit::Actor& actor);
    [[nodiscard]] Result<User> Unlock(std::int64_t id, const audit::Actor& actor);

    // Sessions and tokens.
    /// kUnauthenticated for a wrong login or password (the same for an unknown login), kLocked
    /// while locked. Every attempt is recorded in the login history.
    [[nodiscard]] Result<LoginResult> Login(const std::string& login, const std::string& password,
                                            const std::string& address,
                                            const std::string& user_agent);
    /// kUnauthenticated when the session is unknown, expired or its user disabled.
    [[nodiscard]] Result<Principal> AuthenticateSession(const std::string& token);
    [[nodiscard]] Result<Principal> AuthenticateToken(const std::string& bearer);
    [[nodiscard]] Result<void> Logout(const Principal& who, const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<ApiToken>> ListTokens(std::optional<std::int64_t> user_id);
    [[nodiscard]] Result<NewToken> CreateToken(const Principal& who, const std::string& name,
                                               int days, const audit::Actor& actor);
    [[nodiscard]] Result<void> DeleteToken(std::int64_t id, const Principal& who,
                                           const audit::Actor& actor);

    // History and inventory.
    [[nodiscard]] Result<std::vector<LoginEvent>> ListLoginEvents(const LoginEventQuery& q);
    [[nodiscard]] Result<std::vector<InventoryItem>> Inventory(int dormant_days);
    /// Deletes login events older than the retention; returns how many.
    [[nodiscard]] Result<std::int64_t> PurgeLoginHistory();

  private:
    Result<Organization> LoadOrganization(storage::Connection& c, std::int64_t id);
    Result<User> LoadUser(storage::Connection& c, std::int64_t id);
    Result<void> ValidateUser(storage::Connection& c, const User& u, bool creating);
    Result<void> CheckHistory(std::int64_t user_id, const std::string& password,
                              std::string_view field);
    Result<void> StorePassword(storage::Connection& c, std::int64_t user_id,
                               const std::string& hash, bool must_change);
    Result<void> RecordLogin(storage::Connection& c, std::optional<std::int64_t> user_id,
                             const std::string& login, bool success, const std::string& reason,
                             const std::string& address, const std::string& user_agent);

    storage::Database& db_;
    const Clock& clock_;
    AuthConfig config_;
};

/// Lower-cases and checks a login: 1–64 of a-z 0-9 . _ - @. Error::Field("login", …).
[[nodiscard]] Result<std::string> NormalizeLogin(std::string_view login);

}  // namespace unyo::auth
