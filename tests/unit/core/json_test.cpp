#include "core/json.hpp"

#include <gtest/gtest.h>

namespace unyo {
namespace {

TEST(ParseObjectTest, RejectsMalformedAndNonObjects) {
    EXPECT_EQ(ParseObject("{").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ParseObject("[1]").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ParseObject("").error().code, ErrorCode::kInvalidArgument);
    EXPECT_TRUE(ParseObject(R"({"a":"日本"})"));
}

TEST(FieldReaderTest, CollectsEveryBadField) {
    auto obj = ParseObject(R"({"name":"  ","count":"x","extra":1})").value();
    FieldReader f(obj);
    f.AllowOnly({"name", "count", "missing"});
    (void)f.RequiredString("name");
    (void)f.OptionalInt("count", 0, 10);
    (void)f.RequiredString("missing");
    auto r = f.Finish();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << "a wrong type makes it a 400";
    std::vector<std::string> fields;
    for (const auto& e : r.error().fields) {
        fields.push_back(e.field);
    }
    EXPECT_EQ(fields, (std::vector<std::string>{"extra", "name", "count", "missing"}));
}

TEST(FieldReaderTest, CountsLengthInCharacters) {
    auto obj = ParseObject(R"({"name":"あいうえお"})").value();
    FieldReader ok(obj);
    EXPECT_EQ(ok.RequiredString("name", 5), "あいうえお");
    EXPECT_TRUE(ok.Finish());
    FieldReader too_long(obj);
    (void)too_long.RequiredString("name", 4);
    EXPECT_EQ(too_long.Finish().error().code, ErrorCode::kValidation);
}

TEST(FieldReaderTest, SecretsAreNotTrimmed) {
    auto obj = ParseObject(R"({"password":" a b "})").value();
    FieldReader f(obj);
    EXPECT_EQ(f.RequiredSecret("password"), " a b ");
}

}  // namespace
}  // namespace unyo
