#pragma once
// Roles and the signed-in principal. A user has one or more roles and belongs to exactly one
// organisation; what a role may do is stated per route in api/routes.cpp (ACC-3).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unyo::auth {

enum class Role : std::uint32_t {
    kAdmin = 1u << 0,      // administers accounts, organisations, audit
    kManager = 1u << 1,    // owner staff who approve
    kOperator = 1u << 2,   // operations staff, 24/365 watch
    kVendor = 1u << 3,     // maintenance vendors doing their share
    kRequester = 1u << 4,  // end users raising requests
    kViewer = 1u << 5,     // read-only
};

/// A set of roles as bits.
using RoleSet = std::uint32_t;

[[nodiscard]] constexpr RoleSet Bit(Role r) { return static_cast<RoleSet>(r); }
[[nodiscard]] constexpr bool Has(RoleSet set, Role r) { return (set & Bit(r)) != 0; }

/// "admin" → kAdmin; nullopt for an unknown name.
[[nodiscard]] std::optional<Role> ParseRole(std::string_view name);
/// Role names of `set` in fixed order.
[[nodiscard]] std::vector<std::string> RoleNames(RoleSet set);
/// Space-separated names, as stored.
[[nodiscard]] std::string FormatRoles(RoleSet set);
/// Parses the stored form; unknown names are ignored.
[[nodiscard]] RoleSet ParseRoles(std::string_view stored);

/// Who is making a request, resolved from a session cookie or an API token.
struct Principal {
    std::int64_t user_id = 0;
    std::string login;
    std::string display_name;
    std::int64_t organization_id = 0;
    RoleSet roles = 0;
    bool via_token = false;
    std::int64_t session_id = 0;  // 0 for tokens
    std::string csrf_token;       // empty for tokens
    bool must_change_password = false;

    [[nodiscard]] bool Is(Role r) const { return Has(roles, r); }
};

/// unyo itself acting (opening an incident from an alert, reading every record for a report):
/// login "system", sees and may do everything, shown as `display_name`.
[[nodiscard]] inline Principal SystemPrincipal(std::string display_name) {
    Principal p;
    p.login = "system";
    p.display_name = std::move(display_name);
    p.roles = Bit(Role::kAdmin);
    return p;
}

}  // namespace unyo::auth
