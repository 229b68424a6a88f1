#include "http/router.hpp"

#include <gtest/gtest.h>

namespace unyo::http {
namespace {

struct TestRoute {
    std::string method;
    std::string pattern;
    int tag;
};

Router<TestRoute> Make() {
    Router<TestRoute> r;
    r.Add({"GET", "/api/v1/users", 1});
    r.Add({"POST", "/api/v1/users", 2});
    r.Add({"GET", "/api/v1/users/{id}", 3});
    r.Add({"POST", "/api/v1/users/{id}/unlock", 4});
    return r;
}

TEST(RouterTest, MatchesMethodAndCapturesParameters) {
    const auto r = Make();
    auto m = r.Find("GET", "/api/v1/users/42");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->tag, 3);
    EXPECT_EQ(m.params, (Pairs{{"id", "42"}}));
    EXPECT_EQ(r.Find("POST", "/api/v1/users/7/unlock").route->tag, 4);
    EXPECT_EQ(r.Find("POST", "/api/v1/users/").route->tag, 2)
        << "a trailing slash is the same path";
}

TEST(RouterTest, ReportsOtherMethodsForA405) {
    const auto r = Make();
    auto m = r.Find("DELETE", "/api/v1/users");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_known);
    EXPECT_EQ(m.allow, "GET, POST");
}

TEST(RouterTest, UnknownPathsMatchNothing) {
    const auto r = Make();
    for (const char* p : {"/", "/api/v1", "/api/v1/users/1/2", "/api/v1/userz"}) {
        auto m = r.Find("GET", p);
        EXPECT_EQ(m.route, nullptr) << p;
        EXPECT_FALSE(m.path_known) << p;
    }
}

}  // namespace
}  // namespace unyo::http
