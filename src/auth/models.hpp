#pragma once
// Organisations, users and API tokens as values, with their API JSON forms.

#include <cstdint>
#include <optional>
#include <string>

#include "auth/roles.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/value.hpp"

namespace unyo::auth {

struct Organization {
    std::int64_t id = 0;
    std::optional<std::string> code;
    std::string name;
    std::string kind;  // owner | vendor | other
    std::string note;
    bool disabled = false;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::int64_t version = 1;
};

struct User {
    std::int64_t id = 0;
    std::string login;
    std::string display_name;
    std::string email;
    std::int64_t organization_id = 0;
    RoleSet roles = 0;
    std::string password_hash;  // never leaves the server
    Millis password_changed_at = 0;
    bool must_change_password = false;
    bool disabled = false;
    std::int64_t failed_logins = 0;
    std::optional<Millis> locked_until;
    std::optional<Millis> last_login_at;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::int64_t version = 1;
};

struct ApiToken {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string name;
    std::string prefix;
    Millis created_at = 0;
    Millis expires_at = 0;
    std::optional<Millis> last_used_at;
};

/// Column lists matching the FromRow readers below.
extern const char* const kOrganizationColumns;
extern const char* const kUserColumns;
extern const char* const kTokenColumns;

[[nodiscard]] Organization OrganizationFromRow(const storage::Row& r);
[[nodiscard]] User UserFromRow(const storage::Row& r);
[[nodiscard]] ApiToken TokenFromRow(const storage::Row& r);

[[nodiscard]] json::object ToJson(const Organization& o);
/// The user's public form (no password hash).
[[nodiscard]] json::object ToJson(const User& u);
[[nodiscard]] json::object ToJson(const ApiToken& t);

}  // namespace unyo::auth
