// LocalTimeZoneName: the zone a schedule gets when the client sends none (TZ, /etc/localtime).
#include "daemon/node/local_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "daemon/state/schedule.h"

namespace accord::daemon {
namespace {

constexpr int64_t kNow = 1'799'236'800'000LL;  // unix ms, 2027-01-06 12:00 UTC (a Wednesday)

// Sets TZ for one test and puts the old value back.
class LocalZone : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
  }
  void TearDown() override {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
  }
  std::optional<std::string> saved_;
};

TEST_F(LocalZone, NameComesFromTzAndFallsBackToUtc) {
  setenv("TZ", "Europe/Paris", 1);
  EXPECT_EQ(LocalTimeZoneName(), "Europe/Paris");
  setenv("TZ", ":Europe/Paris", 1);
  EXPECT_EQ(LocalTimeZoneName(), "Europe/Paris");
  setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo", 1);
  EXPECT_EQ(LocalTimeZoneName(), "Asia/Tokyo");
  for (const char* garbage : {"Not/A_Zone", "", ":", "CET-1CEST,M3.5.0,M10.5.0/3"}) {
    setenv("TZ", garbage, 1);
    EXPECT_EQ(LocalTimeZoneName(), "UTC") << garbage;
  }
  unsetenv("TZ");
  const std::string system = LocalTimeZoneName();
  EXPECT_TRUE(state::ParseSchedule("tue 19:00-21:00", system, kNow).ok()) << system;
}

}  // namespace
}  // namespace accord::daemon
