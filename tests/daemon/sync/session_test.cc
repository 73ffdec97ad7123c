// Rules of the sync session (docs/sync.md), each on real signed entries between in-memory
// nodes: who speaks first, what is sent, batching and flow control, acks, store failures,
// relaying, private entries, live push, fork proofs, resume. Violations: violations_test.cc.
#include "daemon/sync/session.h"

#include <gtest/gtest.h>

#include "accord/wire.pb.h"
#include "tests/daemon/sync/sync_fixture.h"
#include "tests/daemon/sync/sync_pair.h"

namespace accord::sync::testing {
namespace {

using SyncSessionTest = SyncTest;

TEST_F(SyncSessionTest, InitiatorSpeaksFirstWithOneHeadPerAuthor) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 5, {a.get()});
  WriteTo(2, 3, {a.get()});  // relayed earlier: A holds a third device's feed too
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_EQ(pair.sent(kI).size(), 1u);
  const auto* hello = std::get_if<HelloMsg>(&pair.sent(kI)[0]);
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(Comparable(hello->heads), Comparable(a->Heads()));
  EXPECT_TRUE(pair.sent(kR).empty());
}

TEST_F(SyncSessionTest, ResponderSendsNothingBeforeTheInitiatorsHello) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(1, 4, {b.get()});
  SyncPair pair(*a, *b);
  pair.Start();
  pair.LocalChange(kR);
  pair.ForkDetected(kR, b->Read(feed_.device(1), 1, 1)->front(),
                    b->Read(feed_.device(1), 2, 1)->front());
  EXPECT_TRUE(pair.sent(kR).empty());

  ASSERT_TRUE(pair.DeliverOne(kR));  // the initiator's Hello
  ASSERT_FALSE(pair.sent(kR).empty());
  EXPECT_TRUE(std::holds_alternative<HelloMsg>(pair.sent(kR)[0]));
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(a->Feeds(), b->Feeds());
}

// A device's entries validate only after the entry that introduced it, so the source can
// ask for its introducers' feeds to go first, whatever the key order.
TEST_F(SyncSessionTest, FeedsGoInTheSourcesSendOrderBeforeTheRest) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 3, {a.get()});
  WriteTo(1, 3, {a.get()});
  WriteTo(2, 3, {a.get()});
  a->SetSendOrder({feed_.device(2), feed_.device(0)});
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  std::vector<std::pair<log::DeviceKey, uint64_t>> sent = EntriesIn(pair.sent(kI));
  ASSERT_EQ(sent.size(), 9u);
  std::vector<log::DeviceKey> order;
  for (const auto& [author, seq] : sent)
    if (order.empty() || order.back() != author) order.push_back(author);
  EXPECT_EQ(order,
            (std::vector<log::DeviceKey>{feed_.device(2), feed_.device(0), feed_.device(1)}));
  EXPECT_EQ(a->Feeds(), b->Feeds());
}

TEST_F(SyncSessionTest, OnlyTheEntriesThePeerLacksAreSent) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 6, {a.get(), b.get()});
  WriteTo(0, 4, {a.get()});
  WriteTo(1, 2, {a.get(), b.get()});
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());

  std::vector<std::pair<log::DeviceKey, uint64_t>> expected;
  for (uint64_t seq = 7; seq <= 10; ++seq) expected.emplace_back(feed_.device(0), seq);
  EXPECT_EQ(EntriesIn(pair.sent(kI)), expected);
  EXPECT_TRUE(EntriesIn(pair.sent(kR)).empty());
  EXPECT_EQ(a->Feeds(), b->Feeds());
  EXPECT_EQ(pair.duplicates(kR), 0u);
  EXPECT_TRUE(pair.closes(kI).empty() && pair.closes(kR).empty());
}

TEST_F(SyncSessionTest, BatchesFitOneMessageAndAtMostFourAreUnacknowledged) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 30, {a.get()}, 25'000);  // two such entries fit one message, three do not
  SyncPair pair(*a, *b);
  pair.set_store_immediately(false);
  pair.Start();
  ASSERT_TRUE(pair.DeliverOne(kR));  // Hello to R
  ASSERT_TRUE(pair.DeliverOne(kI));  // R's Hello (and R's empty batch is still queued)
  EXPECT_EQ(pair.batches_sent(kI), kMaxInFlightBatches);
  for (const PeerMsg& m : pair.sent(kI)) {
    if (const auto* batch = std::get_if<BatchMsg>(&m)) {
      EXPECT_EQ(batch->entries.size(), 2u);
    }
  }
  // Nothing more until an ack: delivering R's own messages does not open the window.
  while (pair.DeliverOne(kI)) {
  }
  EXPECT_EQ(pair.batches_sent(kI), kMaxInFlightBatches);
  ASSERT_TRUE(pair.DeliverOne(kR));  // batch 1 reaches R, waits for the store
  ASSERT_TRUE(pair.CommitOne(kR));   // stored: R acks
  ASSERT_TRUE(pair.DeliverOne(kI));  // the ack
  EXPECT_EQ(pair.batches_sent(kI), kMaxInFlightBatches + 1);

  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b->entry_count(), 30u);
  EXPECT_LE(pair.largest_message(kI), kMaxPeerMessageBytes);
  EXPECT_EQ(pair.batches_sent(kI), 15u);
}

TEST_F(SyncSessionTest, SmallEntriesArePackedGreedilyUpToTheMessageCap) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 400, {a.get()}, 300);
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b->entry_count(), 400u);
  const auto* first = std::get_if<BatchMsg>(&pair.sent(kI)[1]);
  ASSERT_NE(first, nullptr);
  // Full: one more entry of the same size would not have fit.
  size_t bytes = kBatchFramingBytes;
  for (const log::Envelope& e : first->entries) bytes += EntryCost(e);
  EXPECT_LE(bytes, kMaxPeerMessageBytes);
  EXPECT_GT(bytes + EntryCost(first->entries.back()), kMaxPeerMessageBytes);
  EXPECT_LE(pair.largest_message(kI), kMaxPeerMessageBytes);
}

TEST_F(SyncSessionTest, AcksAdvanceWhatThePeerIsKnownToHold) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 12, {a.get()}, 25'000);
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.DeliverOne(kR));
  ASSERT_TRUE(pair.DeliverOne(kI));
  EXPECT_EQ(pair.session(kI).entries_behind(), 12u);  // sent is not acked
  EXPECT_FALSE(pair.session(kI).initial_sync_done());
  ASSERT_TRUE(pair.DeliverOne(kR));  // batch 1 stored at once, acked
  ASSERT_TRUE(pair.DeliverOne(kI));  // R's empty batch
  ASSERT_TRUE(pair.DeliverOne(kI));  // the ack for batch 1
  EXPECT_EQ(pair.session(kI).entries_behind(), 10u);
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(pair.session(kI).entries_behind(), 0u);
  EXPECT_EQ(pair.session(kR).entries_received(), 12u);
  EXPECT_TRUE(pair.session(kI).initial_sync_done());
  EXPECT_TRUE(pair.session(kR).initial_sync_done());
  // Progress: the receiver saw the total announced up front and counted up to it.
  ASSERT_FALSE(pair.progress(kR).empty());
  EXPECT_EQ(pair.progress(kR).front().received + pair.progress(kR).front().behind, 12u);
  EXPECT_EQ(pair.progress(kR).back().received, 12u);
  EXPECT_EQ(pair.progress(kR).back().behind, 0u);
}

TEST_F(SyncSessionTest, ATamperedEntryRejectsTheWholeBatchAndClosesTheSession) {
  auto a = NewNode();
  auto b = NewNode();
  log::Envelope first = Write(0);
  log::Envelope second = Write(0);
  log::Envelope third = Write(0);
  second.sealed_body[3] ^= 0x01;
  for (const log::Envelope* e : {&first, &second, &third}) a->Append(*e);
  SyncPair pair(*a, *b);
  pair.Start();
  pair.RunUntilQuiet();
  EXPECT_EQ(b->entry_count(), 0u);  // not even the valid first entry
  ASSERT_EQ(pair.closes(kR).size(), 1u);
  EXPECT_NE(pair.closes(kR)[0].find("rejected"), std::string::npos);
  EXPECT_TRUE(pair.session(kR).closed());
  // No ack went out for the refused batch.
  for (const PeerMsg& m : pair.sent(kR)) EXPECT_FALSE(std::holds_alternative<AckMsg>(m));
}

TEST_F(SyncSessionTest, AStoreReportForABatchNotAwaitingStorageCloses) {
  auto a = NewNode();
  auto b = NewNode();
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  std::vector<Action> out = pair.session(kR).OnBatchStored(7, Status::Ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<CloseSession>(out[0]));
  EXPECT_TRUE(pair.session(kR).closed());
}

TEST_F(SyncSessionTest, EveryAuthorsEntriesAreRelayedToDevicesThatNeverMet) {
  auto a = NewNode();
  auto b = NewNode();
  auto c = NewNode();
  WriteTo(0, 3, {a.get()});
  WriteTo(2, 2, {c.get()});
  WriteTo(1, 1, {b.get()});
  {
    SyncPair ab(*a, *b);
    ab.Start();
    ASSERT_TRUE(ab.RunUntilQuiet());
  }
  {
    SyncPair bc(*b, *c);
    bc.Start();
    ASSERT_TRUE(bc.RunUntilQuiet());
    // B forwards device 0's entries, which it did not write.
    std::vector<std::pair<log::DeviceKey, uint64_t>> relayed;
    for (const auto& [author, seq] : EntriesIn(bc.sent(kI))) {
      if (author == feed_.device(0)) relayed.emplace_back(author, seq);
    }
    EXPECT_EQ(relayed.size(), 3u);
  }
  EXPECT_EQ(c->Heads().at(feed_.device(0)).seq, 3u);
  EXPECT_EQ(b->Feeds(), c->Feeds());
  EXPECT_EQ(c->entry_count(), 6u);
}

TEST_F(SyncSessionTest, PrivateEntriesRefusedByMaySendAreNeverSent) {
  auto a = NewNode();
  auto b = NewNode();
  for (const log::Envelope& e : {Write(0), Write(0), WritePrivate(0), Write(0)}) a->Append(e);
  WriteTo(2, 2, {a.get()});
  a->SetPolicy([](const log::EntryHeader& h) { return h.scope != log::Scope::kPrivate; });
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  for (const PeerMsg& m : pair.sent(kI)) {
    if (const auto* batch = std::get_if<BatchMsg>(&m)) {
      for (const log::EntryHeader& h : batch->headers) EXPECT_NE(h.scope, log::Scope::kPrivate);
    }
  }
  // The peer cannot take entries past the gap, so device 0's feed stops before it.
  EXPECT_EQ(b->Heads().at(feed_.device(0)).seq, 2u);
  EXPECT_EQ(b->Heads().at(feed_.device(2)).seq, 2u);
  EXPECT_TRUE(pair.closes(kR).empty());
  // Withheld entries are not "behind": status and the initial round can complete.
  EXPECT_EQ(pair.session(kI).entries_behind(), 0u);
  EXPECT_TRUE(pair.session(kI).initial_sync_done());
  EXPECT_TRUE(pair.session(kR).initial_sync_done());
}

TEST_F(SyncSessionTest, EntriesMaySendSharesHeaderOnlyGoWithoutTheirBodyAndTheFeedFollows) {
  auto a = NewNode();
  auto b = NewNode();
  for (const log::Envelope& e : {Write(0), WritePrivate(0), Write(0)}) a->Append(e);
  a->SetHeaderOnly([](const log::EntryHeader& h) { return h.scope == log::Scope::kPrivate; });
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  size_t private_sent = 0;
  for (const PeerMsg& m : pair.sent(kI)) {
    if (const auto* batch = std::get_if<BatchMsg>(&m)) {
      for (size_t i = 0; i < batch->entries.size(); ++i) {
        const bool is_private = batch->headers[i].scope == log::Scope::kPrivate;
        private_sent += is_private ? 1 : 0;
        EXPECT_EQ(batch->entries[i].sealed_body.empty(), is_private);
      }
    }
  }
  EXPECT_EQ(private_sent, 1u);
  // The chain stays whole: the peer holds the whole feed, the private entry as a header.
  EXPECT_EQ(a->Feeds(), b->Feeds());
  EXPECT_TRUE(pair.closes(kR).empty());
  EXPECT_TRUE(pair.session(kI).initial_sync_done());
}

TEST_F(SyncSessionTest, PrivateEntriesGoToAPeerMaySendAllows) {
  auto a = NewNode();
  auto b = NewNode();
  for (const log::Envelope& e : {Write(0), WritePrivate(0), Write(0)}) a->Append(e);
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(a->Feeds(), b->Feeds());
}

TEST_F(SyncSessionTest, NewEntriesArePushedOnLocalChangeWithoutPolling) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 3, {a.get(), b.get()});
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  const size_t before = pair.sent(kR).size();

  log::Envelope fresh = Write(1);
  b->Append(fresh);
  EXPECT_TRUE(pair.transport().Quiet());  // nothing moves by itself
  pair.LocalChange(kR);
  ASSERT_EQ(pair.sent(kR).size(), before + 1);
  const auto* batch = std::get_if<BatchMsg>(&pair.sent(kR).back());
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->entries.size(), 1u);
  EXPECT_EQ(batch->entries[0], fresh);
  EXPECT_EQ(batch->total_behind, 0u);
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(a->Feeds(), b->Feeds());
  // A stored it, but does not echo it back when its own OnLocalChange runs.
  EXPECT_EQ(EntriesIn(pair.sent(kI)).size(), 0u);
}

TEST_F(SyncSessionTest, AForkProofPassesThroughAndIsNotEchoed) {
  auto a = NewNode();
  auto b = NewNode();
  log::Envelope existing = Write(2);
  feed_.Rewind(2, log::FeedHead{});
  log::Envelope conflicting = Write(2);
  SyncPair pair(*a, *b);
  pair.ForkDetected(kI, existing, conflicting);  // before the Hellos: kept until they are done
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  ASSERT_EQ(pair.forks(kR).size(), 1u);
  const RecordFork& got = pair.forks(kR)[0];
  EXPECT_EQ(got.existing.header, existing.header);
  EXPECT_EQ(got.existing.signature, existing.signature);
  EXPECT_EQ(got.conflicting.header, conflicting.header);
  EXPECT_EQ(got.conflicting.signature, conflicting.signature);
  // The receiving edge passes it on to all its sessions; this one does not send it back.
  pair.ForkDetected(kR, got.existing, got.conflicting);
  EXPECT_TRUE(pair.transport().Quiet());
  EXPECT_TRUE(pair.forks(kI).empty());
}

TEST_F(SyncSessionTest, DifferentHeadsAtOneSeqMakeTheHolderSendItsEntryAsForkEvidence) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(2, 2, {a.get(), b.get()});
  const log::FeedHead fork_point = feed_.head(2);
  WriteTo(2, 3, {a.get()});  // A holds seq 3..5 of one branch
  feed_.Rewind(2, fork_point);
  WriteTo(2, 1, {b.get()});  // B holds another seq 3
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  // A holds B's head seq, sees another id there and sends its own seq 3 once, nothing more
  // of that feed. B's ingest finds the fork and B's edge passes the proof back to A.
  std::vector<std::pair<log::DeviceKey, uint64_t>> evidence = {{feed_.device(2), 3}};
  EXPECT_EQ(EntriesIn(pair.sent(kI)), evidence);
  EXPECT_TRUE(EntriesIn(pair.sent(kR)).empty());
  EXPECT_EQ(b->forks().size(), 1u);
  ASSERT_EQ(pair.forks(kI).size(), 1u);
  EXPECT_EQ(pair.forks(kI)[0].conflicting.header, a->Read(feed_.device(2), 3, 1)->front().header);
  EXPECT_TRUE(pair.closes(kI).empty() && pair.closes(kR).empty());
}

TEST_F(SyncSessionTest, ANewSessionAfterADropResendsOnlyWhatThePeerDidNotStore) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 24, {a.get()}, 20'000);
  {
    SyncPair first(*a, *b);
    first.Start();
    ASSERT_TRUE(first.DeliverOne(kR));  // A's Hello
    ASSERT_TRUE(first.DeliverOne(kI));  // B's Hello: A sends batches 1..4
    ASSERT_TRUE(first.DeliverOne(kR));  // batch 1 stored and acked
    ASSERT_TRUE(first.DeliverOne(kR));  // batch 2 stored and acked
    ASSERT_TRUE(first.DeliverOne(kI));  // B's empty batch
    ASSERT_TRUE(first.DeliverOne(kI));  // ack 1: A sends batch 5
    // Ack 2 and batches 3..5 are lost with the connection.
    ASSERT_FALSE(first.transport().Quiet());
  }
  const size_t stored_before = b->entry_count();
  ASSERT_GT(stored_before, 0u);
  ASSERT_LT(stored_before, 24u);
  SyncPair second(*a, *b);
  second.Start();
  ASSERT_TRUE(second.RunUntilQuiet());
  EXPECT_EQ(EntriesIn(second.sent(kI)).size(), 24u - stored_before);
  EXPECT_EQ(second.duplicates(kR), 0u);
  EXPECT_EQ(a->Feeds(), b->Feeds());
}

TEST_F(SyncSessionTest, APeersCloseMessageEndsTheSession) {
  auto a = NewNode();
  auto b = NewNode();
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  proto::PeerMessage bye;
  bye.mutable_close()->set_reason("shutting\ndown");
  const std::string bytes = bye.SerializeAsString();
  pair.Inject(kI, AsBytes(bytes));
  ASSERT_EQ(pair.closes(kI).size(), 1u);
  EXPECT_EQ(pair.closes(kI)[0], "peer closed the session: shutting?down");
  EXPECT_TRUE(pair.session(kI).OnLocalChange().empty());
}

TEST_F(SyncSessionTest, AKeepaliveChangesNothingAndKeepsTheSessionOpen) {
  auto a = NewNode();
  auto b = NewNode();
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_TRUE(pair.session(kI).OnMessage(EncodeKeepalive()).empty());
  EXPECT_TRUE(pair.closes(kI).empty());
  a->Append(Write(0));
  EXPECT_FALSE(pair.session(kI).OnLocalChange().empty());  // still pushing
}

TEST_F(SyncSessionTest, TotalBehindCountsDownToZeroPastAWithheldEntry) {
  auto a = NewNode();
  auto b = NewNode();
  WriteTo(0, 9, {a.get()}, 25'000);  // two per batch: the window holds seq 1..8
  a->Append(WritePrivate(0));        // seq 10, withheld; found when batch 5 is built
  WriteTo(0, 1, {a.get()});
  a->SetPolicy([](const log::EntryHeader& h) { return h.scope != log::Scope::kPrivate; });
  SyncPair pair(*a, *b);
  pair.Start();
  ASSERT_TRUE(pair.RunUntilQuiet());
  EXPECT_EQ(b->entry_count(), 9u);
  std::vector<const BatchMsg*> batches;
  for (const PeerMsg& m : pair.sent(kI)) {
    if (const auto* batch = std::get_if<BatchMsg>(&m)) batches.push_back(batch);
  }
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches[3]->total_behind, 3u);  // an estimate: seq 10 was not read yet
  EXPECT_EQ(batches[4]->entries.size(), 1u);
  EXPECT_EQ(batches[4]->total_behind, 0u);  // corrected once the gap was seen
  EXPECT_TRUE(pair.session(kR).initial_sync_done());
  EXPECT_EQ(pair.progress(kR).back().behind, 0u);
}

// A source whose heads alone would not fit one Hello.
class ManyAuthorsSource : public SyncSource {
 public:
  std::map<log::DeviceKey, log::FeedHead> Heads() const override {
    std::map<log::DeviceKey, log::FeedHead> heads;
    for (uint32_t i = 0; i < 1000; ++i) {
      log::DeviceKey key{};
      PutU32Be(key.data(), i);
      heads[key] = log::FeedHead{1, log::EntryId{}};
    }
    return heads;
  }
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey&, uint64_t, size_t) const override {
    return std::vector<log::Envelope>{};
  }
  Share MaySend(const log::Envelope&, const log::EntryHeader&) const override {
    return Share::kWhole;
  }
};

TEST_F(SyncSessionTest, AHelloThatWouldNotFitOneMessageClosesInstead) {
  ManyAuthorsSource source;
  SyncSession session(SyncSession::Role::kInitiator, source);
  std::vector<Action> out = session.Start();
  ASSERT_EQ(out.size(), 1u);
  const auto* close = std::get_if<CloseSession>(&out[0]);
  ASSERT_NE(close, nullptr);
  EXPECT_NE(close->reason.find("too many authors"), std::string::npos);
}

// A source that answers with the wrong entry (a damaged store): the session closes rather
// than send the peer something other than what it asked for.
class WrongEntrySource : public MemoryNode {
 public:
  using MemoryNode::MemoryNode;
  Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                          size_t limit) const override {
    return MemoryNode::Read(author, from_seq + 1, limit);
  }
};

TEST_F(SyncSessionTest, ALocalLogReturningTheWrongEntryClosesTheSession) {
  WrongEntrySource a(feed_.pact(), feed_.keys(), Devices());
  auto b = NewNode();
  WriteTo(0, 3, {&a});
  SyncPair pair(a, *b);
  pair.Start();
  pair.RunUntilQuiet();
  ASSERT_EQ(pair.closes(kI).size(), 1u);
  EXPECT_NE(pair.closes(kI)[0].find("local log"), std::string::npos);
  EXPECT_TRUE(EntriesIn(pair.sent(kI)).empty());
  EXPECT_EQ(b->entry_count(), 0u);
}

}  // namespace
}  // namespace accord::sync::testing
