// PeerManager as the SyncHost of its connections: what a connection asks, answered against a
// real Node, and the Node's change notices that follow (the connection signals nothing).
#include "daemon/net/sync_host.h"

#include <gtest/gtest.h>

#include <vector>

#include "daemon/log/author.h"
#include "daemon/net/peer_manager.h"
#include "daemon/peer/tai64n.h"
#include "daemon/state/event_to_proto.h"
#include "tests/daemon/net/net_fixture.h"

namespace accord::daemon {
namespace {

using Kind = Node::ChangeNotice::Kind;

// Alice wrote her MemberCreated and two needs; Bob joined her pact (as pairing leaves him,
// before his first sync) and runs the PeerManager under test.
class SyncHostTest : public NetFixture {
 protected:
  SyncHostTest() : alice_(InitNode("a", "Alice")), bob_(InitNode("b", "Bob")) {
    EXPECT_TRUE(alice_->Write(Need(1)).ok());
    EXPECT_TRUE(alice_->Write(Need(2)).ok());
    EXPECT_TRUE(bob_->JoinPact(alice_->pact(), alice_->EpochKeysForPartner()).ok());
    bob_->TrustDevice(alice_->device_key());
    manager_ = std::make_unique<PeerManager>(
        io_, *bob_, NetworkOptions{.listen = "127.0.0.1:0", .discovery = false});
    EXPECT_TRUE(manager_->Start().ok());
    bob_->AddChangeListener([this](const Node::ChangeNotice& n) { notices_.push_back(n); });
  }
  SyncHost& host() { return *manager_; }

  std::vector<log::Envelope> AliceFeed() {
    Result<std::vector<log::Envelope>> feed =
        alice_->store().ReadRange(alice_->device_key(), 1, 10);
    EXPECT_TRUE(feed.ok());
    return feed.ok() ? *feed : std::vector<log::Envelope>{};
  }
  Result<size_t> Store(const std::vector<log::Envelope>& batch) {
    std::vector<log::EntryHeader> headers;  // as the wire decodes them
    for (const log::Envelope& e : batch) headers.push_back(*log::DecodeHeader(e.header));
    return host().StoreBatch(batch, headers, log::VerifySignatures(batch, headers, 1));
  }
  // Alice's entry at seq 2 written again, differently: the other half of a fork proof.
  log::Envelope AliceSecondSeqTwo() {
    const std::vector<log::Envelope> feed = AliceFeed();
    log::KeyRing keys;
    for (auto& [epoch, key] : alice_->EpochKeysForPartner())
      keys.AddEpochKey(epoch, std::move(key));
    log::Author author(alice_->identity().signing, alice_->pact(),
                       log::FeedHead{1, log::ComputeEntryId(feed[0].header)});
    Result<log::AuthoredEntry> other =
        author.Write(state::BodyFromKind(state::EventKind(Need(99))), keys, keys.current_epoch(),
                     100, alice_->NowMs());
    EXPECT_TRUE(other.ok());
    return other.ok() ? other->envelope : log::Envelope{};
  }
  size_t Count(Kind kind) const {
    size_t n = 0;
    for (const Node::ChangeNotice& notice : notices_) n += notice.kind == kind ? 1 : 0;
    return n;
  }

  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> bob_;
  std::unique_ptr<PeerManager> manager_;
  std::vector<Node::ChangeNotice> notices_;
};

TEST_F(SyncHostTest, TheHandshakeKeysAreTheNodes) {
  EXPECT_EQ(host().static_key().public_key(), bob_->identity().dh.public_key());
  EXPECT_EQ(host().pact(), alice_->pact());
}

TEST_F(SyncHostTest, AHandshakeFromAKeyOutsideThePactIsNotAdmitted) {
  StrangerKeys mallory;
  EXPECT_FALSE(host().AdmitHandshake(mallory.dh.public_key(), peer::Tai64nFromUnixNanos(1)));
}

TEST_F(SyncHostTest, APactDeviceIsAdmittedOnceForEachTimestamp) {
  ASSERT_TRUE(Store(AliceFeed()).ok());  // Bob now knows Alice's device from her log
  const crypto::DhPublicKey alice_x = alice_->identity().dh.public_key();
  EXPECT_EQ(host().AdmitHandshake(alice_x, peer::Tai64nFromUnixNanos(1'000)), alice_->device_key());
  EXPECT_FALSE(host().AdmitHandshake(alice_x, peer::Tai64nFromUnixNanos(1'000)))
      << "a replayed first message";
  EXPECT_EQ(host().AdmitHandshake(alice_x, peer::Tai64nFromUnixNanos(2'000)), alice_->device_key());
}

TEST_F(SyncHostTest, AStoredBatchIsToldOnceAsStoredEntries) {
  Result<size_t> stored = Store(AliceFeed());
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(*stored, 3u);
  EXPECT_EQ(notices_.size(), 1u);
  EXPECT_EQ(Count(Kind::kEntriesStored), 1u);
}

TEST_F(SyncHostTest, ABatchOfDuplicatesStoresNothingAndTellsNothing) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  notices_.clear();
  Result<size_t> again = Store(AliceFeed());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_TRUE(notices_.empty());
}

TEST_F(SyncHostTest, ARejectedBatchKeepsItsValidationError) {
  std::vector<log::Envelope> feed = AliceFeed();
  feed[1].signature[0] ^= 0x01;
  Result<size_t> stored = Store(feed);
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.code(), ErrorCode::kBadSignature);
  EXPECT_TRUE(notices_.empty());
}

TEST_F(SyncHostTest, AForkInAReceivedBatchIsToldAsAProofBeforeTheStoredEntries) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  notices_.clear();
  const log::Envelope other = AliceSecondSeqTwo();
  ASSERT_TRUE(Store({other}).ok());
  ASSERT_EQ(Count(Kind::kForkProof), 1u);
  EXPECT_EQ(notices_[0].kind, Kind::kForkProof);
  EXPECT_EQ(notices_[0].fork_existing, AliceFeed()[1]);
  EXPECT_EQ(notices_[0].fork_conflicting, other);
  EXPECT_EQ(bob_->Frozen().count(alice_->device_key()), 1u);
}

TEST_F(SyncHostTest, ARelayedForkProofIsToldOnceWhenItFreezesAFeed) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  notices_.clear();
  const log::Envelope held = AliceFeed()[1];
  const log::Envelope other = AliceSecondSeqTwo();
  ASSERT_TRUE(host().KeepForkProof(held, other).ok());
  ASSERT_EQ(notices_.size(), 1u);
  EXPECT_EQ(notices_[0].kind, Kind::kForkProof);
  EXPECT_EQ(notices_[0].fork_existing, held);
  EXPECT_EQ(notices_[0].fork_conflicting, other);
  EXPECT_EQ(bob_->Frozen().count(alice_->device_key()), 1u);
  ASSERT_TRUE(host().KeepForkProof(other, held).ok());
  EXPECT_EQ(notices_.size(), 1u) << "frozen already: nothing new to pass on";
}

TEST_F(SyncHostTest, AForkProofAboutEntriesNotHeldIsKeptSilently) {
  const log::Envelope other = AliceSecondSeqTwo();
  EXPECT_TRUE(host().KeepForkProof(AliceFeed()[1], other).ok());
  EXPECT_TRUE(notices_.empty());
  EXPECT_TRUE(bob_->Frozen().empty());
}

TEST_F(SyncHostTest, AForkProofThatProvesNothingIsAnError) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  notices_.clear();
  const log::Envelope held = AliceFeed()[1];
  EXPECT_FALSE(host().KeepForkProof(held, held).ok());
  EXPECT_TRUE(notices_.empty());
  EXPECT_TRUE(bob_->Frozen().empty());
}

TEST_F(SyncHostTest, TheSourceForAPeerReadsTheNodesLog) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  std::unique_ptr<sync::SyncSource> source = host().SourceFor(alice_->device_key());
  const std::map<log::DeviceKey, log::FeedHead> heads = source->Heads();
  ASSERT_EQ(heads.size(), bob_->store().Heads().size());
  EXPECT_EQ(heads.at(alice_->device_key()).seq, 3u);
  EXPECT_EQ(heads.at(alice_->device_key()).id, log::ComputeEntryId(AliceFeed()[2].header));
  Result<std::vector<log::Envelope>> read = source->Read(alice_->device_key(), 1, 10);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 3u);
}

TEST_F(SyncHostTest, IntactEntriesNeedNoRepairAndCheckClean) {
  ASSERT_TRUE(Store(AliceFeed()).ok());
  notices_.clear();
  Result<size_t> repaired = host().Repair(AliceFeed(), "device test");
  ASSERT_TRUE(repaired.ok());
  EXPECT_EQ(*repaired, 0u);
  Result<size_t> damaged = host().CheckSent(alice_->device_key(), 1, 3);
  ASSERT_TRUE(damaged.ok());
  EXPECT_EQ(*damaged, 0u);
  EXPECT_TRUE(notices_.empty());
}

TEST_F(SyncHostTest, VerdictsComeBackOnTheDaemonThread) {
  auto entries = std::make_shared<const std::vector<log::Envelope>>(AliceFeed());
  std::vector<log::SignatureVerdict> verdicts;
  host().VerifyInBackground(entries,
                            [&](std::vector<log::SignatureVerdict> v) { verdicts = std::move(v); });
  EXPECT_TRUE(verdicts.empty()) << "not before the io_context runs the answer";
  for (int i = 0; i < 200 && verdicts.empty(); ++i) io_.run_for(std::chrono::milliseconds(10));
  ASSERT_EQ(verdicts.size(), 3u);
  for (log::SignatureVerdict v : verdicts) EXPECT_EQ(v, log::SignatureVerdict::kValid);
}

}  // namespace
}  // namespace accord::daemon
