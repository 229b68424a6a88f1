#include "auth/roles.hpp"

#include <array>
#include <utility>

namespace unyo::auth {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kNames{{
    {Role::kAdmin, "admin"},
    {Role::kManager, "manager"},
    {Role::kOperator, "operator"},
    {Role::kVendor, "vendor"},
    {Role::kRequester, "requester"},
    {Role::kViewer, "viewer"},
}};

}  // namespace

std::optional<Role> ParseRole(std::string_view name) {
    for (const auto& [role, n] : kNames) {
        if (n == name) {
            return role;
        }
    }
    return std::nullopt;
}

std::vector<std::string> RoleNames(RoleSet set) {
    std::vector<std::string> out;
    for (const auto& [role, n] : kNames) {
        if (Has(set, role)) {
            out.emplace_back(n);
        }
    }
    return out;
}

std::string FormatRoles(RoleSet set) {
    std::string out;
    for (const auto& n : RoleNames(set)) {
        out += out.empty() ? "" : " ";
        out += n;
    }
    return out;
}

RoleSet ParseRoles(std::string_view stored) {
    RoleSet set = 0;
    while (!stored.empty()) {
        const auto sp = stored.find(' ');
        if (auto r = ParseRole(stored.substr(0, sp))) {
            set |= Bit(*r);
        }
        if (sp == std::string_view::npos) {
            break;
        }
        stored.remove_prefix(sp + 1);
    }
    return set;
}

}  // namespace unyo::auth
