// Repair in the sync session (docs/sync.md "Repair"): damaged bodies are asked of the peer
// and replaced by intact copies; a body nobody holds whole goes header-only so the rest of
// its feed still syncs; copies nobody asked for end the session.
#include <gtest/gtest.h>

#include "daemon/sync/session.h"
#include "daemon/sync/wire.h"
#include "tests/daemon/sync/sync_fixture.h"
#include "tests/daemon/sync/sync_pair.h"

namespace accord::sync::testing {
namespace {

using SyncRepairTest = SyncTest;

size_t Requests(const std::vector<PeerMsg>& sent) {
  size_t n = 0;
  for (const PeerMsg& m : sent) n += std::holds_alternative<BodyRequestMsg>(m);
  return n;
}

TEST_F(SyncRepairTest, ADamagedBodyIsRepairedFromThePeersIntactCopy) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 5, {a.get(), b.get()});
  const log::EntryId victim = a->Feeds().at(feed_.device(0))[2];
  const log::Envelope good = *b->Get(victim);
  a->Damage(victim);
  ASSERT_NE(*a->Get(victim), good);

  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(pair.repaired(kI), 1u);
  EXPECT_TRUE(a->wanted().empty());
  EXPECT_EQ(*a->Get(victim), good);
  EXPECT_EQ(Requests(pair.sent(kI)), 1u);
  EXPECT_TRUE(pair.closes(kI).empty());
  EXPECT_TRUE(pair.closes(kR).empty());
}

TEST_F(SyncRepairTest, ManyLargeRepairsArePackedIntoRepliesThatEachFitOneMessage) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 40, {a.get(), b.get()}, /*text_bytes=*/3900);
  for (const log::EntryId& id : std::vector<log::EntryId>(a->Feeds().at(feed_.device(0)))) {
    a->Damage(id);
  }
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(pair.repaired(kI), 40u);
  EXPECT_TRUE(a->wanted().empty());
  EXPECT_LE(pair.largest_message(kR), kMaxPeerMessageBytes);
  size_t replies = 0;
  for (const PeerMsg& m : pair.sent(kR)) replies += std::holds_alternative<BodyReplyMsg>(m);
  EXPECT_GT(replies, 1u);
}

TEST_F(SyncRepairTest, ABodyNobodyHoldsWholeGoesHeaderOnlyAndTheRestOfTheFeedFollows) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 6, {a.get()});
  const log::EntryId victim = a->Feeds().at(feed_.device(0))[2];
  a->Damage(victim);

  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(a->Feeds(), b->Feeds());  // all six, the chain whole
  EXPECT_TRUE(b->Get(victim)->sealed_body.empty());
  EXPECT_EQ(b->wanted(), (std::set<log::EntryId>{victim}));
  const std::vector<log::EntryId> ids = b->Feeds().at(feed_.device(0));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != victim) {
      EXPECT_FALSE(b->Get(ids[i])->sealed_body.empty()) << "seq " << i + 1;
    }
  }
  EXPECT_EQ(pair.repaired(kI), 0u);
  EXPECT_EQ(pair.repaired(kR), 0u);
  EXPECT_TRUE(pair.closes(kI).empty());
  EXPECT_TRUE(pair.closes(kR).empty());
}

TEST_F(SyncRepairTest, DamageFoundDuringASessionIsAskedForAtOnce) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(1, 4, {a.get(), b.get()});
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(Requests(pair.sent(kR)), 0u);

  const log::EntryId victim = b->Feeds().at(feed_.device(1))[0];
  b->Damage(victim);
  pair.RepairWanted(kR);
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(pair.repaired(kR), 1u);
  EXPECT_TRUE(b->wanted().empty());
  // Asked once per session: nothing more is requested when nothing more is wanted.
  pair.RepairWanted(kR);
  EXPECT_EQ(Requests(pair.sent(kR)), 1u);
}

// A damaged header is never sent (MaySend refuses it) and the feed waits behind it; once it
// is repaired the rest goes in the same session.
TEST_F(SyncRepairTest, AFeedHeldBackByADamagedHeaderGoesOnOnceItIsRepaired) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 4, {a.get()});
  bool damaged = true;
  a->SetPolicy([&](const log::EntryHeader& h) { return !(damaged && h.seq == 2); });
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b->entry_count(), 1u);
  damaged = false;
  pair.Repaired(kI);
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(a->Feeds(), b->Feeds());
}

TEST_F(SyncRepairTest, ACopyThatWasNotAskedForEndsTheSession) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 2, {a.get(), b.get()});
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  pair.Inject(kR, EncodeBodyReply({*a->Get(a->Feeds().at(feed_.device(0))[0])}));
  ASSERT_EQ(pair.closes(kR).size(), 1u);
  EXPECT_NE(pair.closes(kR)[0].find("not asked for"), std::string::npos) << pair.closes(kR)[0];
}

TEST_F(SyncRepairTest, ARequestBeforeTheHellosIsAViolation) {
  auto a = NewNode();
  auto b = NewNode();
  SyncPair pair(*a, *b);
  pair.Inject(kR, EncodeBodyRequest({log::EntryId{}}));
  ASSERT_EQ(pair.closes(kR).size(), 1u);
}

TEST_F(SyncRepairTest, RequestsAndRepliesAreCheckedBeforeAnythingIsCopied) {
  std::vector<log::EntryId> too_many(kMaxBodyRequestIds + 1);
  for (size_t i = 0; i < too_many.size(); ++i)
    too_many[i][0] = static_cast<uint8_t>(i), too_many[i][1] = static_cast<uint8_t>(i >> 8);
  EXPECT_EQ(DecodePeerMessage(EncodeBodyRequest(too_many)).code(), ErrorCode::kTooLarge);
  too_many.resize(kMaxBodyRequestIds);
  EXPECT_TRUE(DecodePeerMessage(EncodeBodyRequest(too_many)).ok());
  EXPECT_FALSE(DecodePeerMessage(EncodeBodyRequest({log::EntryId{}, log::EntryId{}})).ok());

  log::Envelope entry = Write(0);
  Result<PeerMsg> reply = DecodePeerMessage(EncodeBodyReply({entry}));
  ASSERT_TRUE(reply.ok());
  const auto& r = std::get<BodyReplyMsg>(*reply);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0], entry);
  EXPECT_EQ(r.ids[0], log::ComputeEntryId(entry.header));
  entry.sealed_body.clear();
  EXPECT_FALSE(DecodePeerMessage(EncodeBodyReply({entry})).ok());
}

}  // namespace
}  // namespace accord::sync::testing
