#include "daemon/discovery/cadence.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace accord::discovery {
namespace {

using std::chrono::milliseconds;

TEST(NextBeaconDelay, SpansFortyFiveSecondsPlusOrMinusTwentyPercent) {
  EXPECT_EQ(NextBeaconDelay(0.0), milliseconds(36'000));
  EXPECT_EQ(NextBeaconDelay(0.5), milliseconds(45'000));
  EXPECT_EQ(NextBeaconDelay(1.0), milliseconds(54'000));
  EXPECT_EQ(NextBeaconDelay(0.25), milliseconds(40'500));
}

TEST(NextBeaconDelay, GrowsWithTheDrawAndStaysInRange) {
  milliseconds previous = NextBeaconDelay(0.0);
  for (int i = 1; i <= 1000; ++i) {
    const milliseconds d = NextBeaconDelay(i / 1000.0);
    EXPECT_GE(d, previous) << i;
    EXPECT_GE(d, milliseconds(36'000));
    EXPECT_LE(d, milliseconds(54'000));
    previous = d;
  }
}

TEST(NextBeaconDelay, DrawsOutsideTheUnitIntervalAreClamped) {
  EXPECT_EQ(NextBeaconDelay(-3.0), milliseconds(36'000));
  EXPECT_EQ(NextBeaconDelay(7.0), milliseconds(54'000));
  EXPECT_EQ(NextBeaconDelay(std::numeric_limits<double>::quiet_NaN()), milliseconds(36'000));
  EXPECT_EQ(NextBeaconDelay(std::numeric_limits<double>::infinity()), milliseconds(54'000));
}

TEST(Cadence, IntervalsAreTheDocumentedOnes) {
  EXPECT_EQ(kBeaconInterval, std::chrono::seconds(45));
  EXPECT_EQ(kPairingBeaconInterval, std::chrono::seconds(1));
}

}  // namespace
}  // namespace accord::discovery
