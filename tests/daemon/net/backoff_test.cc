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

TEST(BackoffTest, APeerLostRecentlyIsRetriedOftenThenBackedOffFully) {
  Backoff b;
  for (int i = 0; i < 20; ++i) b.Next(0.5, milliseconds(1000));
  EXPECT_EQ(b.Next(0.5, milliseconds(1000)), Backoff::kRecentMax);
  EXPECT_EQ(b.Next(0.5, Backoff::kRecentWindow - milliseconds(1)), Backoff::kRecentMax);
  EXPECT_EQ(b.Next(0.5, Backoff::kRecentWindow), Backoff::kMax);
  Backoff fresh;
  EXPECT_EQ(fresh.Next(0.5, milliseconds(0)), Backoff::kInitial);  // never above the doubling
}

}  // namespace
}  // namespace accord::daemon
