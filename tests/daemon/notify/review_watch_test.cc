#include "daemon/notify/review_watch.h"

#include <gtest/gtest.h>

namespace accord::notify {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;  // unix ms: the daemon started
constexpr int64_t kHour = 3600 * 1000;         // ms

state::DueItem Review(uint8_t agreement, int64_t due_ms) {
  state::DueItem item;
  item.agreement.fill(agreement);
  item.version.fill(agreement);
  item.due_ms = due_ms;
  return item;
}

TEST(ReviewWatch, AReviewIsToldOnceWhenItBecomesDue) {
  ReviewWatch w(kStart);
  ReviewWatch::Step before = w.Check({Review(1, kStart + kHour)}, kStart);
  EXPECT_TRUE(before.became_due.empty());
  EXPECT_EQ(before.next_ms, kStart + kHour);
  ReviewWatch::Step due = w.Check({Review(1, kStart + kHour)}, kStart + kHour);
  ASSERT_EQ(due.became_due.size(), 1u);
  EXPECT_EQ(due.became_due[0], Review(1, kStart + kHour));
  EXPECT_FALSE(due.next_ms);
  EXPECT_TRUE(w.Check({Review(1, kStart + kHour)}, kStart + 2 * kHour).became_due.empty());
}

TEST(ReviewWatch, ReviewsAlreadyDueAtStartAreNotABurst) {
  ReviewWatch w(kStart);
  ReviewWatch::Step step =
      w.Check({Review(1, kStart - kHour), Review(2, kStart - 100 * kHour)}, kStart);
  EXPECT_TRUE(step.became_due.empty());
  EXPECT_FALSE(step.next_ms);
}

TEST(ReviewWatch, ACheckInMovesTheReviewAndItIsToldAgainWhenDue) {
  ReviewWatch w(kStart);
  EXPECT_EQ(w.Check({Review(1, kStart + kHour)}, kStart + kHour).became_due.size(), 1u);
  // A check-in about the agreement: its next review is a cadence later.
  ReviewWatch::Step moved = w.Check({Review(1, kStart + 5 * kHour)}, kStart + 2 * kHour);
  EXPECT_TRUE(moved.became_due.empty());
  EXPECT_EQ(moved.next_ms, kStart + 5 * kHour);
  EXPECT_EQ(w.Check({Review(1, kStart + 5 * kHour)}, kStart + 5 * kHour).became_due.size(), 1u);
}

TEST(ReviewWatch, TheNextWakeIsTheEarliestFutureReview) {
  ReviewWatch w(kStart);
  ReviewWatch::Step step = w.Check(
      {Review(1, kStart + 3 * kHour), Review(2, kStart + kHour), Review(3, kStart + 2 * kHour)},
      kStart);
  EXPECT_EQ(step.next_ms, kStart + kHour);
}

TEST(ReviewWatch, NoCadenceMeansNoWake) {
  ReviewWatch w(kStart);
  ReviewWatch::Step step = w.Check({}, kStart);
  EXPECT_TRUE(step.became_due.empty());
  EXPECT_FALSE(step.next_ms);
}

}  // namespace
}  // namespace accord::notify
