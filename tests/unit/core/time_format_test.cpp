#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace unyo {
namespace {

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
    EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(FormatRfc3339(1'774'915'200'123), "2026-03-31T00:00:00.123Z");
}

TEST(TimeFormatTest, ParsesOffsetsFractionsAndDates) {
    EXPECT_EQ(ParseRfc3339("2026-04-01T09:00:00+09:00"), ParseRfc3339("2026-04-01T00:00:00Z"));
    EXPECT_EQ(ParseRfc3339("2026-03-31T00:00:00.123Z"), 1'774'915'200'123);
    EXPECT_EQ(ParseRfc3339("2026-03-31T00:00:00.1Z"), 1'774'915'200'100);
    EXPECT_EQ(ParseRfc3339("2026-03-31"), 1'774'915'200'000);
}

TEST(TimeFormatTest, RejectsMalformedInput) {
    for (const char* bad :
         {"", "2026", "2026-02-30", "2026-13-01", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00",
          "2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00.Z", "２０２６-01-01"}) {
        EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
    }
}

TEST(TimeFormatTest, RoundTrips) {
    for (Millis t : {Millis{0}, Millis{1'774'915'200'123}, Millis{4'102'444'799'999}}) {
        EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t);
    }
}

}  // namespace
}  // namespace unyo
