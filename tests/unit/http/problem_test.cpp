#include "http/problem.hpp"

#include <gtest/gtest.h>

namespace unyo::http {
namespace {

TEST(ProblemTest, ValidationNamesTheFields) {
    auto r = ProblemResponse(Error::Validation(
        {{"password", "must be at least 8 characters"}, {"login", "is required"}}));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("status").as_int64(), 422);
    EXPECT_EQ(body.at("errors").as_array().at(0).as_object().at("field").as_string(), "password");
    EXPECT_EQ(body.at("errors").as_array().size(), 2u);
}

TEST(ProblemTest, InternalDetailsStayInTheLog) {
    auto r =
        ProblemResponse(Error::Internal("SQL failed: near \"SELEC\" at /var/lib/unyo/unyo.db"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("SELEC"), std::string::npos);
}

TEST(ProblemTest, MapsEveryCode) {
    EXPECT_EQ(StatusFor(ErrorCode::kLocked), 423);
    EXPECT_EQ(StatusFor(ErrorCode::kPreconditionFailed), 412);
    EXPECT_EQ(StatusFor(ErrorCode::kPreconditionRequired), 428);
    EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
    EXPECT_EQ(StatusFor(ErrorCode::kTooLarge), 413);
    EXPECT_EQ(StatusFor(ErrorCode::kMethodNotAllowed), 405);
}

}  // namespace
}  // namespace unyo::http
