#include "daemon/notify/outbox.h"

#include <gtest/gtest.h>

namespace accord::notify {
namespace {

Outgoing Note(uint64_t group, bool replaces, std::string summary) {
  return Outgoing{group, replaces, Text{std::move(summary), ""}};
}

TEST(Outbox, KeepsOrder) {
  Outbox box;
  box.Push(Note(1, false, "a"));
  box.Push(Note(2, false, "b"));
  EXPECT_EQ(box.Pop()->text.summary, "a");
  EXPECT_EQ(box.Pop()->text.summary, "b");
  EXPECT_FALSE(box.Pop());
}

TEST(Outbox, ANewerNotificationOfAWaitingGroupTakesItsPlace) {
  Outbox box;
  box.Push(Note(1, false, "Alice asked for space"));
  box.Push(Note(1, true, "Alice asked for space (2)"));
  ASSERT_EQ(box.size(), 1u);
  Outgoing n = *box.Pop();
  EXPECT_EQ(n.text.summary, "Alice asked for space (2)");
  EXPECT_FALSE(n.replaces);  // the first was never shown: this one is new on screen
}

TEST(Outbox, WhenFullTheOldestIsDropped) {
  Outbox box;
  size_t dropped = 0;
  for (uint64_t g = 1; g <= kMaxWaiting + 5; ++g) dropped += box.Push(Note(g, false, "x"));
  EXPECT_EQ(box.size(), kMaxWaiting);
  EXPECT_EQ(dropped, 5u);
  EXPECT_EQ(box.Pop()->group, 6u);
}

}  // namespace
}  // namespace accord::notify
