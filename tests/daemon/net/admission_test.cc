#include "daemon/net/admission.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace accord::daemon {
namespace {

using Clock = std::chrono::steady_clock;

TEST(HandshakeSlotsTest, NoMoreThanTheCapacityAreInFlight) {
  HandshakeSlots slots(3);
  std::vector<std::shared_ptr<void>> taken;
  for (int i = 0; i < 3; ++i) {
    taken.push_back(slots.TryTake());
    ASSERT_NE(taken.back(), nullptr);
  }
  EXPECT_EQ(slots.TryTake(), nullptr);
  EXPECT_EQ(slots.in_use(), 3);
}

TEST(HandshakeSlotsTest, ADroppedTokenGivesItsSlotBack) {
  HandshakeSlots slots(1);
  std::shared_ptr<void> first = slots.TryTake();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(slots.TryTake(), nullptr);
  first.reset();
  EXPECT_EQ(slots.in_use(), 0);
  EXPECT_NE(slots.TryTake(), nullptr);
}

TEST(HandshakeSlotsTest, ATokenOutlivingItsSlotsIsHarmless) {
  std::shared_ptr<void> token;
  {
    HandshakeSlots slots(1);
    token = slots.TryTake();
  }
  token.reset();  // must not touch freed memory (ASan would say)
}

TEST(HandshakeRateTest, ABurstIsAllowedThenOneHandshakePerRefill) {
  using Rate = HandshakeRate<std::string>;
  Rate rate;
  const Clock::time_point t0{};
  for (int i = 0; i < static_cast<int>(Rate::kBurst); ++i) EXPECT_TRUE(rate.Allow("bob", t0));
  EXPECT_FALSE(rate.Allow("bob", t0));
  EXPECT_FALSE(rate.Allow("bob", t0 + Rate::kRefill / 2));
  EXPECT_TRUE(rate.Allow("bob", t0 + Rate::kRefill));
  EXPECT_FALSE(rate.Allow("bob", t0 + Rate::kRefill));
}

TEST(HandshakeRateTest, EachKeyHasItsOwnBucket) {
  using Rate = HandshakeRate<std::string>;
  Rate rate;
  const Clock::time_point t0{};
  for (int i = 0; i < static_cast<int>(Rate::kBurst); ++i) rate.Allow("mallory", t0);
  EXPECT_FALSE(rate.Allow("mallory", t0));
  EXPECT_TRUE(rate.Allow("bob", t0));
}

TEST(HandshakeRateTest, TokensDoNotPileUpBeyondTheBurst) {
  using Rate = HandshakeRate<std::string>;
  Rate rate;
  const Clock::time_point t0{};
  EXPECT_TRUE(rate.Allow("bob", t0));
  const Clock::time_point later = t0 + std::chrono::hours(1);
  for (int i = 0; i < static_cast<int>(Rate::kBurst); ++i) EXPECT_TRUE(rate.Allow("bob", later));
  EXPECT_FALSE(rate.Allow("bob", later));
}

TEST(HandshakeRateTest, AClockGoingBackwardsEarnsNothing) {
  using Rate = HandshakeRate<std::string>;
  Rate rate;
  const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < static_cast<int>(Rate::kBurst); ++i) rate.Allow("bob", t0);
  EXPECT_FALSE(rate.Allow("bob", t0 - std::chrono::minutes(30)));
  EXPECT_FALSE(rate.Allow("bob", t0));
}

}  // namespace
}  // namespace accord::daemon
