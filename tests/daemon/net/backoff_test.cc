#include "daemon/net/backoff.h"

#include <gtest/gtest.h>

namespace accord::daemon {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DelaysDoubleFromTheInitialDelayUpToTheCap) {
  Backoff b;
  milliseconds expected = Backoff::kInitial;
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(b.Next(0.5), expected) << "attempt " << i;  // 0.5: no jitter
    expected = std::min(Backoff::kMax, expected * 2);
  }
  EXPECT_EQ(b.Next(0.5), Backoff::kMax);
}

TEST(BackoffTest, JitterStaysWithinTwentyPercentEitherWay) {
  Backoff low;
  Backoff high;
  EXPECT_EQ(low.Next(0.0), milliseconds(200));
  EXPECT_EQ(high.Next(0.999999), milliseconds(299));
}

TEST(BackoffTest, ResetStartsOverFromTheInitialDelay) {
  Backoff b;
  for (int i = 0; i < 6; ++i) b.Next(0.5);
  b.Reset();
  EXPECT_EQ(b.Next(0.5), Backoff::kInitial);
}

}  // namespace
}  // namespace accord::daemon
