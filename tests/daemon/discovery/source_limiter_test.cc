#include "daemon/discovery/source_limiter.h"

#include <gtest/gtest.h>

namespace accord::discovery {
namespace {

TEST(SourceLimiterTest, ASourceGetsItsBurstThenItsRate) {
  SourceLimiter limiter(4, 8, 16);
  int allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += limiter.Allow("10.0.0.66", 1000);
  EXPECT_EQ(allowed, 8);
  EXPECT_FALSE(limiter.Allow("10.0.0.66", 1100));  // 0.4 of a token
  EXPECT_TRUE(limiter.Allow("10.0.0.66", 1250));   // one token after 250 ms
  EXPECT_TRUE(limiter.Allow("10.0.0.2", 1250));    // another source is not held back
}

TEST(SourceLimiterTest, AFloodAtAThousandPerSecondGetsFourPerSecond) {
  SourceLimiter limiter(kBeaconsPerSecond, kBeaconBurst, kMaxBeaconSources);
  int allowed = 0;
  for (int ms = 0; ms < 20000; ++ms) allowed += limiter.Allow("10.0.0.66", ms);  // 20 s
  EXPECT_LE(allowed, 8 + 4 * 20 + 1);
  EXPECT_GE(allowed, 4 * 20);
}

TEST(SourceLimiterTest, TheTableIsBoundedByDroppingTheLeastRecentSource) {
  SourceLimiter limiter(1, 1, 4);
  for (int i = 0; i < 100; ++i) limiter.Allow("10.0.1." + std::to_string(i), i);
  EXPECT_EQ(limiter.sources(), 4u);
}

TEST(ReplayWindowTest, ANonceIsFirstSeenOnceWithinTheWindow) {
  ReplayWindow window(16, 1000);
  ReplayWindow::Nonce a{};
  a[0] = 1;
  EXPECT_TRUE(window.FirstSeen(a, 0));
  EXPECT_FALSE(window.FirstSeen(a, 500));
  EXPECT_TRUE(window.FirstSeen(a, 2000));  // the window moved on
}

TEST(ReplayWindowTest, MemoryIsBounded) {
  ReplayWindow window(8, 1'000'000);
  for (uint8_t i = 0; i < 100; ++i) {
    ReplayWindow::Nonce n{};
    n[0] = i;
    EXPECT_TRUE(window.FirstSeen(n, i));
  }
  EXPECT_LE(window.size(), 8u);
}

}  // namespace
}  // namespace accord::discovery
