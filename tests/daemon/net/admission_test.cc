#include "daemon/net/admission.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace accord::daemon {
namespace {

using Clock = std::chrono::steady_clock;

using Slot = std::shared_ptr<HandshakeSlots::Slot>;

TEST(HandshakeSlotsTest, NoMoreThanTheCapacityOfProvenHandshakesAreInFlight) {
  HandshakeSlots slots(3);
  std::vector<Slot> taken;
  for (int i = 0; i < 3; ++i) {
    taken.push_back(slots.TryTake("10.0.0." + std::to_string(i)));
    ASSERT_NE(taken.back(), nullptr);
    taken.back()->MarkProven();
  }
  EXPECT_EQ(slots.TryTake("10.0.0.9"), nullptr);
  EXPECT_EQ(slots.in_use(), 3);
  for (const Slot& s : taken) EXPECT_TRUE(s->held());
}

TEST(HandshakeSlotsTest, ADroppedTokenGivesItsSlotBack) {
  HandshakeSlots slots(1);
  Slot first = slots.TryTake("10.0.0.1");
  ASSERT_NE(first, nullptr);
  first->MarkProven();
  EXPECT_EQ(slots.TryTake("10.0.0.2"), nullptr);
  first.reset();
  EXPECT_EQ(slots.in_use(), 0);
  EXPECT_NE(slots.TryTake("10.0.0.2"), nullptr);
}

TEST(HandshakeSlotsTest, ATokenOutlivingItsSlotsIsHarmless) {
  Slot token;
  {
    HandshakeSlots slots(1);
    token = slots.TryTake("10.0.0.1");
  }
  token->MarkProven();
  token.reset();  // must not touch freed memory (ASan would say)
}

TEST(HandshakeSlotsTest, SilentConnectionsFillingEverySlotCannotKeepANewcomerOut) {
  HandshakeSlots slots(3, /*unproven_per_source=*/0);
  std::vector<std::string> evicted;
  std::vector<Slot> flood;
  for (int i = 0; i < 3; ++i) {
    const std::string source = "10.0.0." + std::to_string(i);
    flood.push_back(slots.TryTake(source));
    flood.back()->OnEvict([&evicted, source] { evicted.push_back(source); });
  }
  Slot partner = slots.TryTake("10.0.0.50");
  ASSERT_NE(partner, nullptr);
  EXPECT_EQ(evicted, std::vector<std::string>{"10.0.0.0"});  // the oldest made room
  EXPECT_FALSE(flood[0]->held());
  EXPECT_TRUE(flood[1]->held());
  EXPECT_EQ(slots.in_use(), 3);
  // Once proven, the partner's handshake is not the next to go.
  partner->MarkProven();
  for (int i = 0; i < 5; ++i) ASSERT_NE(slots.TryTake("10.0.1." + std::to_string(i)), nullptr);
  EXPECT_TRUE(partner->held());
}

TEST(HandshakeSlotsTest, ProvenHandshakesAreNeverEvicted) {
  HandshakeSlots slots(2, /*unproven_per_source=*/0);
  Slot proven = slots.TryTake("10.0.0.1");
  proven->MarkProven();
  Slot silent = slots.TryTake("10.0.0.2");
  bool proven_evicted = false;
  proven->OnEvict([&] { proven_evicted = true; });
  Slot next = slots.TryTake("10.0.0.3");
  ASSERT_NE(next, nullptr);
  EXPECT_FALSE(proven_evicted);
  EXPECT_TRUE(proven->held());
  EXPECT_FALSE(silent->held());
}

TEST(HandshakeSlotsTest, OneSourceHoldsAtMostItsShareOfUnprovenSlots) {
  HandshakeSlots slots(8, /*unproven_per_source=*/2);
  Slot other = slots.TryTake("10.0.0.9");
  std::vector<Slot> flood;
  for (int i = 0; i < 5; ++i) flood.push_back(slots.TryTake("10.0.0.1"));
  EXPECT_EQ(slots.in_use_by("10.0.0.1"), 2);
  EXPECT_TRUE(flood[3]->held());
  EXPECT_TRUE(flood[4]->held());
  EXPECT_FALSE(flood[0]->held());
  EXPECT_TRUE(other->held());  // another source's slot is not what makes room
  EXPECT_EQ(slots.in_use(), 3);
}

TEST(HandshakeSlotsTest, AConnectionWithBytesWaitingIsEvictedOnlyAfterTheSilentOnes) {
  HandshakeSlots slots(3, /*unproven_per_source=*/2);
  bool speaking = true;
  Slot partner = slots.TryTake("127.0.0.1");
  partner->OnSpeakingProbe([&speaking] { return speaking; });
  Slot silent = slots.TryTake("127.0.0.1");
  // Same source, over its share: the silent one goes although the partner is older.
  Slot flood = slots.TryTake("127.0.0.1");
  EXPECT_TRUE(partner->held());
  EXPECT_FALSE(silent->held());
  // The pool full: again a silent one goes.
  Slot other = slots.TryTake("10.0.0.1");
  Slot more = slots.TryTake("10.0.0.2");
  EXPECT_TRUE(partner->held());
  EXPECT_EQ(slots.in_use(), 3);
  // Once everyone unproven speaks (or it stopped), age decides again.
  speaking = false;
  Slot last = slots.TryTake("10.0.0.3");
  EXPECT_FALSE(partner->held());
  EXPECT_NE(last, nullptr);
}

TEST(HandshakeSlotsTest, AConnectionThatSentItsMessageAtOnceStaysSparedUntilItIsRead) {
  HandshakeSlots slots(2, /*unproven_per_source=*/2);
  Slot partner = slots.TryTake("127.0.0.1");
  partner->MarkSpeaking();  // type byte and first message in one go
  for (int i = 0; i < 10; ++i) ASSERT_NE(slots.TryTake("127.0.0.1"), nullptr);
  EXPECT_TRUE(partner->held());
}

TEST(HandshakeSlotsTest, AnEvictedConnectionMayDropItsTokenFromTheCallback) {
  HandshakeSlots slots(1, /*unproven_per_source=*/0);
  Slot first = slots.TryTake("10.0.0.1");
  first->OnEvict([&first] { first.reset(); });  // as a closing connection would
  Slot second = slots.TryTake("10.0.0.2");
  EXPECT_EQ(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(slots.in_use(), 1);
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
