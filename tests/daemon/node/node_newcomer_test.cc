// A newcomer without history at the node (docs/pairing.md "Newcomers without history"): the
// inviter's new epoch and restated control entries, folded on the newcomer as the headers
// arrive, kept sealed across a restart; a restated body whose header disagrees is not
// folded, and a damaged record of them is reported, never skipped.
#include <gtest/gtest.h>

#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

class NodeNewcomerTest : public NodeFixture {
 protected:
  // Alice and Bob paired, each with a need; Bob lets Carol in without history.
  void SetUp() override {
    alice_paths_ = InitHome("alice", 1);
    bob_paths_ = InitHome("bob", 0);
    carol_paths_ = InitHome("carol", 0);
    alice_ = OpenOk(alice_paths_);
    bob_ = OpenOk(bob_paths_);
    carol_ = OpenOk(carol_paths_);
    Pair(*alice_, *bob_, "Bob");
    ASSERT_TRUE(Sync(*bob_, *alice_).ok());
    ASSERT_TRUE(bob_->Write(state::NeedAdded{"bob's need from before"}).ok());
    Result<Node::NewcomerStart> start = bob_->StartNewcomerEpoch();
    ASSERT_TRUE(start.ok()) << start.error().message;
    start_epoch_ = start->epoch;
    restated_ = std::move(start->restated);
    key_ = start->key.Clone();
  }

  // `whole`: every feed is accepted (else a feed whose author the restated bodies do not name
  // is refused, as it should be).
  void LetCarolIn(std::vector<Node::RestatedBody> restated, bool whole = true) {
    ASSERT_TRUE(bob_->AddMember(carol_->device_key(), carol_->identity().dh.public_key(), "Carol",
                                start_epoch_)
                    .ok());
    std::vector<std::pair<uint64_t, crypto::SecretKey>> keys;
    keys.emplace_back(start_epoch_, key_.Clone());
    ASSERT_TRUE(carol_->JoinPact(bob_->pact(), std::move(keys), std::move(restated)).ok());
    carol_->TrustDevice(bob_->device_key());
    EXPECT_EQ(SyncAsSent(*alice_, *carol_).ok(), whole);
    EXPECT_TRUE(SyncAsSent(*bob_, *carol_).ok());
  }

  // `from`'s feed to `to` as the sync sender gives it (NodeSource::MaySend): the header alone
  // of an entry sealed to an epoch `to` may not hold.
  static Result<Node::ReceiveReport> SyncAsSent(Node& from, Node& to) {
    Result<std::vector<log::Envelope>> feed = from.store().ReadRange(from.device_key(), 1, 1000);
    EXPECT_TRUE(feed.ok());
    for (log::Envelope& e : *feed) {
      Result<log::EntryHeader> header = log::DecodeHeader(e.header);
      EXPECT_TRUE(header.ok());
      if (!from.Epochs().MayHold(to.device_key(), header->epoch)) e.sealed_body.clear();
    }
    return to.Receive(*feed);
  }

  size_t NeedsOf(Node& node) { return node.State().needs.size(); }

  InstancePaths alice_paths_, bob_paths_, carol_paths_;
  std::unique_ptr<Node> alice_, bob_, carol_;
  uint64_t start_epoch_ = 0;
  std::vector<Node::RestatedBody> restated_;
  crypto::SecretKey key_ = crypto::SecretKey::Random();
};

TEST_F(NodeNewcomerTest, TheNewcomerFoldsTheMembershipFromRestatedBodiesAndNoEarlierNeed) {
  EXPECT_NE(start_epoch_, 0u);
  EXPECT_EQ(bob_->Epochs().current(), start_epoch_);
  // Every control entry but earlier rotations: Alice's MemberCreated, the MemberAdded that
  // brought Bob, and the new EpochStart.
  EXPECT_EQ(restated_.size(), 3u);
  LetCarolIn(restated_);
  EXPECT_EQ(carol_->Members().size(), 3u);
  EXPECT_EQ(NeedsOf(*carol_), 0u);  // both needs were sealed under epoch 0
  EXPECT_EQ(carol_->Epochs().current(), start_epoch_);
  EXPECT_FALSE(carol_->Epochs().MayHold(carol_->device_key(), 0));
  EXPECT_TRUE(carol_->Damaged().empty());  // header-only history is not damage here

  // What she writes is sealed to her first epoch, which Alice and Bob hold too.
  ASSERT_TRUE(carol_->Write(state::NeedAdded{"carol's first need"}).ok());
  ASSERT_TRUE(SyncAsSent(*carol_, *bob_).ok());
  EXPECT_EQ(NeedsOf(*bob_), 3u);

  // The restated bodies are kept: a restart folds the same membership.
  carol_.reset();
  carol_ = OpenOk(carol_paths_);
  ASSERT_NE(carol_, nullptr);
  EXPECT_EQ(carol_->Members().size(), 3u);
  EXPECT_EQ(NeedsOf(*carol_), 1u);
}

TEST_F(NodeNewcomerTest, ARestatedBodyWhoseHeaderNamesAnotherAuthorIsNotFolded) {
  // The MemberAdded that brought Bob (Alice's) restated as if Bob had written it: the header
  // that arrives says Alice, so it is not folded, and without it neither Bob nor the
  // MemberAdded he wrote for Carol counts.
  std::vector<Node::RestatedBody> tampered = restated_;
  size_t changed = 0;
  for (Node::RestatedBody& r : tampered) {
    proto::Body body;
    ASSERT_TRUE(body.ParseFromArray(r.body.data(), static_cast<int>(r.body.size())));
    if (body.has_member_added()) {
      r.author = bob_->device_key();
      ++changed;
    }
  }
  ASSERT_EQ(changed, 1u);
  LetCarolIn(tampered);
  EXPECT_EQ(carol_->Members().size(), 1u);  // Alice alone
  EXPECT_EQ(carol_->Members()[0].id, alice_->device_key());
}

// Nothing names a device whose only introduction was restated wrongly: its feed is refused.
TEST_F(NodeNewcomerTest, AFeedNoRestatedBodyNamesIsRefused) {
  std::vector<Node::RestatedBody> tampered = restated_;
  for (Node::RestatedBody& r : tampered)
    if (r.author == alice_->device_key()) r.author = bob_->device_key();
  LetCarolIn(tampered, /*whole=*/false);
  EXPECT_LT(carol_->Members().size(), 3u);
}

TEST_F(NodeNewcomerTest, ADamagedRecordOfTheRestatedBodiesIsReportedAtStart) {
  LetCarolIn(restated_);
  carol_.reset();
  RunSql(carol_paths_.database,
         "UPDATE meta SET value = CAST(X'00' || substr(value, 2) AS BLOB) "
         "WHERE key = 'restated_control'");
  Result<std::unique_ptr<Node>> reopened = Open(carol_paths_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.code(), ErrorCode::kCorrupt);
  EXPECT_NE(reopened.error().message.find("restated"), std::string::npos)
      << reopened.error().message;
}

}  // namespace
}  // namespace accord::daemon
