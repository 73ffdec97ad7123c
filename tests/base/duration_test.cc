#include "base/duration.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

using std::chrono::seconds;

TEST(Duration, ParsesEveryDocumentedForm) {
  EXPECT_EQ(ParseDuration("90m").value(), seconds(90 * 60));
  EXPECT_EQ(ParseDuration("2h").value(), seconds(7200));
  EXPECT_EQ(ParseDuration("1h30m").value(), seconds(5400));
  EXPECT_EQ(ParseDuration("2w").value(), seconds(14 * 86400));
  EXPECT_EQ(ParseDuration("3d").value(), seconds(3 * 86400));
  EXPECT_EQ(ParseDuration("1d2h3m4s").value(), seconds(86400 + 7200 + 180 + 4));
}

TEST(Duration, RejectsEverythingElseWithAClearError) {
  for (const char* bad : {"", "h", "90", "1x", "-5m", "1.5h", "30m1h", "1h1h", "0m", "0h0m", " 1h",
                          "1h ", "1H", "9999999999999999999w", "53w", "1h-", "m30"}) {
    Result<seconds> r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << "accepted '" << bad << "'";
    EXPECT_EQ(r.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("90m"), std::string::npos) << r.error().message;
  }
}

TEST(Duration, FormatRoundTrips) {
  for (int64_t s : {1, 59, 60, 3600, 5400, 86400, 90061, 14 * 86400, 3 * 86400 + 60}) {
    std::string text = FormatDuration(seconds(s));
    EXPECT_EQ(ParseDuration(text).value(), seconds(s)) << text;
  }
  EXPECT_EQ(FormatDuration(seconds(5400)), "1h30m");
}

}  // namespace
}  // namespace accord
