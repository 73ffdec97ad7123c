// The version 3 state digest (docs/state-digest.md): its encoding against answers computed
// outside this code (Python's hashlib.blake2b over the documented bytes), and its algebra.
#include "daemon/state/entry_set_digest.h"

#include <gtest/gtest.h>

#include "base/bytes.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

log::EntryId Counting() {
  log::EntryId id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(i);
  return id;
}

log::EntryId AllOnes() {
  log::EntryId id{};
  id.fill(0xff);
  return id;
}

log::DeviceKey Sevens() {
  log::DeviceKey key{};
  key.fill(7);
  return key;
}

TEST(EntrySetDigest, MatchesTheDocumentedEncoding) {
  EXPECT_EQ(ToHex(EntrySetDigest().Final()),
            "cb56d09e0c347cd542e02ba6d0991dd3b4a09073e7b5bcb813fd644d8aed89c9");
  EntrySetDigest d;
  d.AddEntry(Counting());
  d.AddEntry(AllOnes());
  d.AddFreeze(Sevens(), 5);
  EXPECT_EQ(ToHex(d.Final()), "c87253f2387b11d318b50e78c3d11b9b5d59e3e2b6dbeaa45ac03d044487deab");
}

TEST(EntrySetDigest, IsTheSameInAnyOrderAndRemovingUndoesAdding) {
  EntrySetDigest forward;
  forward.AddEntry(Counting());
  forward.AddFreeze(Sevens(), 5);
  forward.AddEntry(AllOnes());
  EntrySetDigest backward;
  backward.AddEntry(AllOnes());
  backward.AddEntry(Counting());
  backward.AddFreeze(Sevens(), 9);
  EXPECT_NE(forward.Final(), backward.Final());
  backward.RemoveFreeze(Sevens(), 9);
  backward.AddFreeze(Sevens(), 5);
  EXPECT_EQ(forward.Final(), backward.Final());
  forward.RemoveEntry(Counting());
  forward.RemoveEntry(AllOnes());
  forward.RemoveFreeze(Sevens(), 5);
  EXPECT_EQ(forward.Final(), EntrySetDigest().Final());
  EXPECT_EQ(forward.count(), 0u);
}

TEST(EntrySetDigest, SumsCarryAcrossEveryByte) {
  // Items whose sum wraps: adding an item 2^8 times must carry; removing must borrow back.
  EntrySetDigest d;
  for (int i = 0; i < 300; ++i) d.AddEntry(AllOnes());
  for (int i = 0; i < 300; ++i) d.RemoveEntry(AllOnes());
  EXPECT_EQ(d.Final(), EntrySetDigest().Final());
}

TEST(FoldDigest, CountsSharedAndControlEntriesNotPrivateOnes) {
  Pact with;
  Pact without;
  for (Pact* p : {&with, &without}) p->Write(p->alice, NeedBody("a quiet hour"));
  const Hash32 before = with.fold.Digest();
  with.Write(with.alice, ReflectionBody("I felt unheard today"));
  EXPECT_EQ(with.fold.Digest(), before);
  EXPECT_EQ(with.fold.Digest(), without.fold.Digest());
  with.Write(with.alice, AppreciationBody("thank you"));
  EXPECT_NE(with.fold.Digest(), before);
}

TEST(FoldDigest, AFreezeTakesTheFeedsLaterEntriesOutAndTheLowerSeqCounts) {
  Pact pact;
  Pact short_feed;
  const Event first = pact.Write(pact.bob, NeedBody("one"));
  short_feed.fold.Apply(first);
  for (const Event& e : pact.written) short_feed.fold.Apply(e);
  pact.Write(pact.bob, NeedBody("two"));
  pact.Write(pact.bob, NeedBody("three"));
  pact.fold.Freeze(pact.bob, first.seq + 2);
  pact.fold.Freeze(pact.bob, first.seq + 1);  // the lower one replaces the first freeze
  pact.fold.Freeze(pact.bob, first.seq + 2);  // and a higher one later changes nothing
  short_feed.fold.Freeze(pact.bob, first.seq + 1);
  EXPECT_EQ(pact.fold.Digest(), short_feed.fold.Digest());
}

}  // namespace
}  // namespace accord::state
