#include "daemon/discovery/source_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace accord::discovery {
namespace {

constexpr int64_t kT0 = 5'000'000;  // ms of some steady clock

ReplayWindow::Nonce WindowNonce(uint32_t i) {
  ReplayWindow::Nonce n{};
  for (size_t b = 0; b < 4; ++b) n[b] = static_cast<uint8_t>(i >> (8 * b));
  return n;
}

int AllowedOf(SourceLimiter& limiter, const std::string& source, int64_t now_ms, int tries) {
  int allowed = 0;
  for (int i = 0; i < tries; ++i) allowed += limiter.Allow(source, now_ms) ? 1 : 0;
  return allowed;
}

TEST(SourceLimiter, ANewSourceGetsItsBurstThenIsRefused) {
  SourceLimiter limiter(kBeaconsPerSecond, kBeaconBurst, kMaxBeaconSources);
  EXPECT_EQ(AllowedOf(limiter, "192.168.1.20", kT0, 100), 8);
  EXPECT_FALSE(limiter.Allow("192.168.1.20", kT0));
}

TEST(SourceLimiter, SourcesHaveTheirOwnBuckets) {
  SourceLimiter limiter(4, 8, 256);
  EXPECT_EQ(AllowedOf(limiter, "192.168.1.20", kT0, 20), 8);
  EXPECT_EQ(AllowedOf(limiter, "fe80::1%eth0", kT0, 20), 8);
  EXPECT_FALSE(limiter.Allow("192.168.1.20", kT0));
}

TEST(SourceLimiter, TheBucketRefillsAtTheRateUpToTheBurst) {
  SourceLimiter limiter(4, 8, 256);
  EXPECT_EQ(AllowedOf(limiter, "a", kT0, 8), 8);
  EXPECT_FALSE(limiter.Allow("a", kT0 + 249));  // 0.996 tokens
  EXPECT_TRUE(limiter.Allow("a", kT0 + 250));   // one token after 250 ms at 4/s
  EXPECT_FALSE(limiter.Allow("a", kT0 + 250));
  EXPECT_EQ(AllowedOf(limiter, "a", kT0 + 1250, 10), 4);  // one second: four more
  // A long silence refills to the burst, not beyond.
  EXPECT_EQ(AllowedOf(limiter, "a", kT0 + 3'600'000, 100), 8);
}

TEST(SourceLimiter, ASteadySenderAtTheRateIsNeverRefused) {
  SourceLimiter limiter(4, 8, 256);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.Allow("steady", kT0 + i * 250)) << i;
  }
  // Twice the rate: after the burst, one in two is refused.
  int allowed = 0;
  for (int i = 0; i < 1000; ++i) allowed += limiter.Allow("fast", kT0 + i * 125) ? 1 : 0;
  EXPECT_GE(allowed, 500);
  EXPECT_LE(allowed, 510);
}

TEST(SourceLimiter, AClockSteppingBackRefillsNothing) {
  SourceLimiter limiter(4, 8, 256);
  EXPECT_EQ(AllowedOf(limiter, "a", kT0, 8), 8);
  EXPECT_FALSE(limiter.Allow("a", kT0 - 60'000));
  EXPECT_FALSE(limiter.Allow("a", kT0 + 200));  // still measured from kT0
  EXPECT_TRUE(limiter.Allow("a", kT0 + 250));
}

TEST(SourceLimiter, TheTableIsBoundedAndForgetsTheLeastRecentlySeen) {
  SourceLimiter limiter(4, 8, 3);
  EXPECT_EQ(AllowedOf(limiter, "a", kT0, 8), 8);
  EXPECT_EQ(AllowedOf(limiter, "b", kT0, 8), 8);
  EXPECT_EQ(AllowedOf(limiter, "c", kT0, 8), 8);
  EXPECT_FALSE(limiter.Allow("a", kT0 + 1));  // a is now the most recently seen; b the least
  EXPECT_TRUE(limiter.Allow("d", kT0 + 2));   // evicts b
  EXPECT_EQ(limiter.sources(), 3u);
  EXPECT_FALSE(limiter.Allow("a", kT0 + 3));  // a and c kept their empty buckets
  EXPECT_FALSE(limiter.Allow("c", kT0 + 3));
  EXPECT_TRUE(limiter.Allow("b", kT0 + 4));  // b was forgotten: a full bucket again
  EXPECT_EQ(limiter.sources(), 3u);
}

TEST(SourceLimiter, AFloodOfForgedSourcesStaysWithinTheTable) {
  SourceLimiter limiter(kBeaconsPerSecond, kBeaconBurst, kMaxBeaconSources);
  for (int i = 0; i < 100'000; ++i) {
    limiter.Allow("fe80::" + std::to_string(i) + "%eth0", kT0 + i);
    ASSERT_LE(limiter.sources(), kMaxBeaconSources);
  }
  EXPECT_EQ(limiter.sources(), kMaxBeaconSources);
}

TEST(ReplayWindow, ANonceIsFirstSeenOnceWithinTheWindow) {
  ReplayWindow window(kMaxRememberedNonces, kReplayWindowMs);
  EXPECT_TRUE(window.FirstSeen(WindowNonce(1), kT0));
  EXPECT_FALSE(window.FirstSeen(WindowNonce(1), kT0));
  EXPECT_FALSE(window.FirstSeen(WindowNonce(1), kT0 + kReplayWindowMs - 1));
  EXPECT_TRUE(window.FirstSeen(WindowNonce(2), kT0 + 1));
}

TEST(ReplayWindow, AfterTheWindowANonceIsNewAgain) {
  ReplayWindow window(16, 1000);
  EXPECT_TRUE(window.FirstSeen(WindowNonce(1), kT0));
  EXPECT_FALSE(window.FirstSeen(WindowNonce(1), kT0 + 999));  // a replay does not extend it
  EXPECT_TRUE(window.FirstSeen(WindowNonce(1), kT0 + 1000));
  EXPECT_FALSE(window.FirstSeen(WindowNonce(1), kT0 + 1999));
  EXPECT_EQ(window.size(), 1u);
}

TEST(ReplayWindow, TheWindowOutlastsABeaconsFreshness) {
  // A beacon is fresh while the receiver's clock is within ±10 min of its time: up to
  // 20 min (+ its minute resolution) between the first hearing and the last replay that
  // could still open.
  EXPECT_GE(kReplayWindowMs, 21 * 60 * 1000);
}

TEST(ReplayWindow, MemoryIsBoundedAndTheOldestGoesFirst) {
  ReplayWindow window(4, 60'000);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(window.FirstSeen(WindowNonce(i), kT0 + i));
  EXPECT_TRUE(window.FirstSeen(WindowNonce(4), kT0 + 4));  // drops nonce 0
  EXPECT_EQ(window.size(), 4u);
  EXPECT_FALSE(window.FirstSeen(WindowNonce(1), kT0 + 5));
  EXPECT_FALSE(window.FirstSeen(WindowNonce(4), kT0 + 5));
  EXPECT_TRUE(window.FirstSeen(WindowNonce(0), kT0 + 6));  // forgotten, so new (drops nonce 1)
  EXPECT_TRUE(window.FirstSeen(WindowNonce(1), kT0 + 7));
  for (uint32_t i = 0; i < 100'000; ++i) {
    window.FirstSeen(WindowNonce(1000 + i), kT0 + 8);
    ASSERT_LE(window.size(), 4u);
  }
}

TEST(ReplayWindow, ExpiredNoncesAreDropped) {
  ReplayWindow window(100, 1000);
  for (uint32_t i = 0; i < 50; ++i) EXPECT_TRUE(window.FirstSeen(WindowNonce(i), kT0));
  EXPECT_EQ(window.size(), 50u);
  EXPECT_TRUE(window.FirstSeen(WindowNonce(999), kT0 + 1000));
  EXPECT_EQ(window.size(), 1u);
}

}  // namespace
}  // namespace accord::discovery
