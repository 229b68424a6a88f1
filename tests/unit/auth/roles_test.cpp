#include "auth/roles.hpp"

#include <gtest/gtest.h>

namespace unyo::auth {
namespace {

TEST(RolesTest, RoundTripsTheStoredForm) {
    const RoleSet set = Bit(Role::kManager) | Bit(Role::kViewer);
    EXPECT_EQ(FormatRoles(set), "manager viewer");
    EXPECT_EQ(ParseRoles("manager viewer"), set);
    EXPECT_EQ(ParseRoles("viewer  bogus manager"), set);
}

TEST(RolesTest, UnknownNameIsNotARole) {
    EXPECT_FALSE(ParseRole("root").has_value());
    EXPECT_EQ(ParseRole("vendor"), Role::kVendor);
}

}  // namespace
}  // namespace unyo::auth
