#include "http/message.hpp"

#include <gtest/gtest.h>

namespace unyo::http {
namespace {

TEST(MessageTest, ParsesAndDecodesQueries) {
    EXPECT_EQ(ParseQuery("q=%E6%97%A5%E6%9C%AC&limit=10&flag&a+b=c+d"),
              (Pairs{{"q", "日本"}, {"limit", "10"}, {"flag", ""}, {"a b", "c d"}}));
    EXPECT_EQ(ParseQuery("bad=%E&good=1"), (Pairs{{"good", "1"}}))
        << "a broken escape drops its pair";
    EXPECT_TRUE(ParseQuery("").empty());
}

TEST(MessageTest, PercentDecodeRejectsBrokenEscapes) {
    EXPECT_EQ(PercentDecode("/a%20b", false), "/a b");
    EXPECT_EQ(PercentDecode("a+b", false), "a+b");
    EXPECT_FALSE(PercentDecode("%zz", false).has_value());
    EXPECT_FALSE(PercentDecode("%4", false).has_value());
}

TEST(MessageTest, ReadsCookies) {
    Request r;
    r.headers = {{"cookie", "theme=dark; unyo_session=abc=; other=1"}};
    EXPECT_EQ(r.Cookie("unyo_session"), "abc=");
    EXPECT_EQ(r.Cookie("theme"), "dark");
    EXPECT_FALSE(r.Cookie("unyo").has_value());
}

}  // namespace
}  // namespace unyo::http
