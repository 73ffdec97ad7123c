#include "daemon/notify/coalescer.h"

#include <gtest/gtest.h>

namespace accord::notify {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;  // unix ms

Happening By(uint8_t who, Topic topic = Topic::kSpaceAsked) {
  Happening h{.topic = topic};
  h.who.fill(who);
  return h;
}

TEST(Coalescer, TenRequestsWithinAMinuteAreOneNotification) {
  Coalescer c;
  Merged first = c.Add(By(1), kT0);
  EXPECT_FALSE(first.replaces);
  EXPECT_EQ(first.count, 1);
  for (int i = 2; i <= 10; ++i) {
    Merged m = c.Add(By(1), kT0 + i * 5000);
    EXPECT_EQ(m.group, first.group);
    EXPECT_TRUE(m.replaces);
    EXPECT_EQ(m.count, i);
  }
  EXPECT_EQ(c.groups(), 1u);
}

TEST(Coalescer, AfterTheMinuteANewNotificationBegins) {
  Coalescer c;
  Merged first = c.Add(By(1), kT0);
  EXPECT_TRUE(c.Add(By(1), kT0 + kMergeWindowMs).replaces);
  Merged later = c.Add(By(1), kT0 + kMergeWindowMs + 1);
  EXPECT_FALSE(later.replaces);
  EXPECT_NE(later.group, first.group);
  EXPECT_EQ(later.count, 1);
}

TEST(Coalescer, TopicsAndPartnersAreMergedApart) {
  Coalescer c;
  Merged space = c.Add(By(1), kT0);
  Merged proposal = c.Add(By(1, Topic::kProposed), kT0 + 1);
  Merged other = c.Add(By(2), kT0 + 2);
  EXPECT_NE(space.group, proposal.group);
  EXPECT_NE(space.group, other.group);
  EXPECT_FALSE(proposal.replaces);
  EXPECT_FALSE(other.replaces);
  EXPECT_EQ(c.Add(By(1), kT0 + 3).group, space.group);
}

TEST(Coalescer, AClockSetBackClosesTheGroup) {
  Coalescer c;
  Merged first = c.Add(By(1), kT0);
  Merged back = c.Add(By(1), kT0 - 1000);
  EXPECT_FALSE(back.replaces);
  EXPECT_NE(back.group, first.group);
}

TEST(Coalescer, MemoryIsBoundedWhateverArrives) {
  Coalescer c;
  for (int i = 0; i < 1000; ++i) {
    Happening h = By(0);
    h.who[0] = static_cast<uint8_t>(i);
    h.who[1] = static_cast<uint8_t>(i >> 8);
    c.Add(h, kT0 + i);
    EXPECT_LE(c.groups(), kMaxGroups);
  }
  c.Add(By(9), kT0 + 10 * kMergeWindowMs);  // every old group has expired
  EXPECT_EQ(c.groups(), 1u);
}

}  // namespace
}  // namespace accord::notify
