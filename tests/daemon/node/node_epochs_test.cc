// Key epochs at the node (daemon/node/node_epochs.cc): leaving is written offline and makes
// the copy read-only, a partner's leave makes the next write rotate first, and a device named
// by the EpochStart takes the key, in the same batch as what it seals or a later one.
#include <algorithm>

#include "daemon/log/author.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/signatures.h"
#include "daemon/log/validate.h"
#include "daemon/net/node_source.h"
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

class NodeEpochsTest : public NodeFixture {
 protected:
  // Alice invites Bob and then Carol; each holds Alice's feed.
  void PairThree() {
    alice_ = OpenOk(Home("alice"));
    bob_ = OpenOk(Home("bob"));
    carol_ = OpenOk(Home("carol"));
    ASSERT_TRUE(alice_->Init("Alice", "laptop").ok());
    ASSERT_TRUE(bob_->Init("Bob", "phone").ok());
    ASSERT_TRUE(carol_->Init("Carol", "tablet").ok());
    Pair(*alice_, *bob_, "Bob");
    Pair(*alice_, *carol_, "Carol");
    ASSERT_TRUE(Sync(*alice_, *bob_).ok());
  }
  static std::vector<log::EntryHeader> Headers(Node& node, const log::DeviceKey& author) {
    std::vector<log::EntryHeader> out;
    Result<std::vector<log::Envelope>> feed = node.store().ReadRange(author, 1, 1000);
    EXPECT_TRUE(feed.ok());
    for (const log::Envelope& e : *feed) out.push_back(*log::DecodeHeader(e.header));
    return out;
  }
  static bool Holds(Node& node, const log::EntryId& id) {
    bool found = false;
    EXPECT_TRUE(node.store()
                    .ForEachEntry([&](const store::StoredEntry& e) {
                      found = found || e.id == id;
                      return Status::Ok();
                    })
                    .ok());
    return found;
  }
  static bool HasNeed(Node& node, const std::string& text) {
    const auto& needs = node.State().needs;
    return std::any_of(needs.begin(), needs.end(),
                       [&](const state::Need& n) { return n.text == text; });
  }

  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> bob_;
  std::unique_ptr<Node> carol_;
};

TEST_F(NodeEpochsTest, LeavingIsWrittenAloneAndEveryLaterWriteIsRefused) {
  PairThree();
  ASSERT_TRUE(bob_->Write(Need(1)).ok());
  Result<log::EntryId> left = bob_->Leave();  // no peer involved
  ASSERT_TRUE(left.ok()) << left.error().message;
  ASSERT_TRUE(bob_->LeftAtMs().has_value());
  EXPECT_EQ(*bob_->LeftAtMs(), clock_.NowMs());

  Result<log::EntryId> after = bob_->Write(Need(2));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.code(), ErrorCode::kRefused);
  EXPECT_NE(after.error().message.find("you left this pact on 2026-"), std::string::npos)
      << after.error().message;
  EXPECT_NE(after.error().message.find("accord export"), std::string::npos);
  EXPECT_EQ(bob_->Leave().code(), ErrorCode::kRefused);
  EXPECT_TRUE(HasNeed(*bob_, "I need 1"));  // what was written stays readable

  // The leave is in the log: it survives a reopen.
  bob_.reset();
  bob_ = OpenOk(Home("bob"));
  EXPECT_EQ(bob_->Write(Need(3)).code(), ErrorCode::kRefused);
  const state::Member& bob =
      *std::find_if(bob_->State().members.begin(), bob_->State().members.end(),
                    [&](const state::Member& m) { return m.id == bob_->device_key(); });
  EXPECT_TRUE(bob.left);
}

TEST_F(NodeEpochsTest, APartnersLeaveMakesTheNextWriteRotateToTheOthersAlone) {
  PairThree();
  ASSERT_TRUE(carol_->Leave().ok());
  ASSERT_TRUE(Sync(*carol_, *alice_).ok());
  ASSERT_TRUE(Sync(*carol_, *bob_).ok());
  EXPECT_EQ(alice_->State().epoch, 0u);

  Result<log::EntryId> need = alice_->Write(Need(7));
  ASSERT_TRUE(need.ok()) << need.error().message;
  const std::vector<log::EntryHeader> feed = Headers(*alice_, alice_->device_key());
  ASSERT_GE(feed.size(), 2u);
  const log::EntryHeader& start = feed[feed.size() - 2];
  const log::EntryHeader& written = feed.back();
  const uint64_t epoch = alice_->State().epoch;
  EXPECT_NE(epoch, 0u);
  EXPECT_EQ(start.scope, log::Scope::kControl);
  EXPECT_EQ(start.epoch, 0u);  // the EpochStart itself is sealed under the old key
  EXPECT_EQ(written.epoch, epoch);
  ASSERT_EQ(alice_->Epochs().valid().size(), 1u);
  const std::vector<log::DeviceKey> recipients = alice_->Epochs().valid()[0].recipients;
  EXPECT_EQ(recipients.size(), 2u);
  EXPECT_EQ(std::count(recipients.begin(), recipients.end(), carol_->device_key()), 0);
  EXPECT_FALSE(alice_->Epochs().MustRotate(alice_->device_key()));

  // The next write does not rotate again.
  ASSERT_TRUE(alice_->Write(Need(8)).ok());
  EXPECT_EQ(Headers(*alice_, alice_->device_key()).back().epoch, epoch);
  EXPECT_EQ(alice_->Epochs().valid().size(), 1u);

  // The rotation survives a reopen: the key was kept.
  alice_.reset();
  alice_ = OpenOk(Home("alice"));
  EXPECT_TRUE(HasNeed(*alice_, "I need 7"));
  EXPECT_TRUE(HasNeed(*alice_, "I need 8"));
  EXPECT_EQ(alice_->State().epoch, epoch);
}

TEST_F(NodeEpochsTest, AnEpochStartAndWhatItSealsOpenInOneBatch) {
  PairThree();
  ASSERT_TRUE(carol_->Leave().ok());
  ASSERT_TRUE(Sync(*carol_, *alice_).ok());
  ASSERT_TRUE(Sync(*carol_, *bob_).ok());
  ASSERT_TRUE(alice_->Write(Need(7)).ok());

  // Alice's whole feed in one batch: the EpochStart and the need sealed under its key.
  Result<Node::ReceiveReport> got = Sync(*alice_, *bob_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->stored, 2u);
  EXPECT_TRUE(HasNeed(*bob_, "I need 7"));
  EXPECT_EQ(bob_->State().epoch, alice_->State().epoch);

  // Bob kept the key: the need opens after a reopen, and he writes under the new epoch.
  bob_.reset();
  bob_ = OpenOk(Home("bob"));
  EXPECT_TRUE(HasNeed(*bob_, "I need 7"));
  ASSERT_TRUE(bob_->Write(Need(9)).ok());
  EXPECT_EQ(Headers(*bob_, bob_->device_key()).back().epoch, alice_->State().epoch);
  ASSERT_TRUE(Sync(*bob_, *alice_).ok());
  EXPECT_TRUE(HasNeed(*alice_, "I need 9"));
}

TEST_F(NodeEpochsTest, AnEpochStartInAnEarlierBatchOpensTheNextOne) {
  PairThree();
  ASSERT_TRUE(carol_->Leave().ok());
  ASSERT_TRUE(Sync(*carol_, *alice_).ok());
  ASSERT_TRUE(Sync(*carol_, *bob_).ok());
  ASSERT_TRUE(alice_->Write(Need(7)).ok());
  const uint64_t head = alice_->store().Head(alice_->device_key()).seq;

  Result<std::vector<log::Envelope>> upto_start =
      alice_->store().ReadRange(alice_->device_key(), 1, head - 1);
  ASSERT_TRUE(upto_start.ok());
  ASSERT_TRUE(bob_->Receive(*upto_start).ok());
  EXPECT_EQ(bob_->State().epoch, alice_->State().epoch);
  bob_.reset();
  bob_ = OpenOk(Home("bob"));
  Result<std::vector<log::Envelope>> last =
      alice_->store().ReadRange(alice_->device_key(), head, head);
  ASSERT_TRUE(last.ok());
  Result<Node::ReceiveReport> got = bob_->Receive(*last);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(HasNeed(*bob_, "I need 7"));
}

TEST_F(NodeEpochsTest, TheLeaverStoresNothingWrittenAfterItsLeave) {
  PairThree();
  ASSERT_TRUE(Sync(*alice_, *carol_).ok());
  ASSERT_TRUE(carol_->Leave().ok());
  // Alice has not heard of the leave: these are sealed under epoch 0, which Carol holds, and
  // the second is later than the leave by the Lamport clock.
  ASSERT_TRUE(alice_->Write(Need(1)).ok());
  Result<log::EntryId> later = alice_->Write(Need(2));
  ASSERT_TRUE(later.ok());
  ASSERT_GT(Headers(*alice_, alice_->device_key()).back().lamport,
            Headers(*carol_, carol_->device_key()).back().lamport);

  Result<Node::ReceiveReport> got = Sync(*alice_, *carol_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_FALSE(Holds(*carol_, *later));
  EXPECT_FALSE(HasNeed(*carol_, "I need 2"));
}

TEST_F(NodeEpochsTest, TheSenderGivesALeaverNothingWrittenAfterItsLeave) {
  PairThree();
  ASSERT_TRUE(alice_->Write(Need(1)).ok());  // before the leave
  ASSERT_TRUE(Sync(*alice_, *carol_).ok());
  ASSERT_TRUE(carol_->Leave().ok());
  ASSERT_TRUE(Sync(*carol_, *alice_).ok());
  ASSERT_TRUE(alice_->Write(Need(2)).ok());  // after it: an EpochStart, then the need

  Result<std::vector<log::Envelope>> feed =
      alice_->store().ReadRange(alice_->device_key(), 1, 1000);
  ASSERT_TRUE(feed.ok());
  NodeSource to_carol(*alice_, carol_->device_key());
  NodeSource to_bob(*alice_, bob_->device_key());
  std::vector<sync::Share> carol_gets;
  for (const log::Envelope& e : *feed) {
    const log::EntryHeader header = *log::DecodeHeader(e.header);
    carol_gets.push_back(to_carol.MaySend(e, header));
    EXPECT_EQ(to_bob.MaySend(e, header), sync::Share::kWhole) << header.seq;
  }
  ASSERT_EQ(carol_gets.size(), 6u);  // created, two added, need 1, epoch start, need 2
  EXPECT_EQ(carol_gets[3], sync::Share::kWhole);
  EXPECT_EQ(carol_gets[4], sync::Share::kNothing);
  EXPECT_EQ(carol_gets[5], sync::Share::kNothing);
}

TEST_F(NodeEpochsTest, RemovingOneOfMyOtherDevicesRotatesAwayFromIt) {
  PairThree();
  std::unique_ptr<Node> laptop = OpenOk(Home("laptop"));
  ASSERT_TRUE(laptop->Init("alice's laptop", "").ok());
  ASSERT_TRUE(
      alice_
          ->AddOwnDevice(laptop->device_key(), laptop->identity().dh.public_key(), "alice's laptop")
          .ok());
  ASSERT_TRUE(laptop
                  ->JoinAsDevice(alice_->pact(), alice_->EpochKeysForPartner(),
                                 alice_->PersonKeysForOwnDevice(), alice_->member())
                  .ok());
  laptop->TrustDevice(alice_->device_key());
  ASSERT_TRUE(Sync(*alice_, *laptop).ok());
  ASSERT_TRUE(Sync(*alice_, *bob_).ok());

  // Bob may not remove Alice's laptop; Alice may.
  const std::string id = ToHex(laptop->device_key()).substr(0, 10);
  EXPECT_EQ(bob_->RemoveDevice(id).code(), ErrorCode::kRefused);
  Result<log::EntryId> removed = alice_->RemoveDevice(id);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(alice_->RemoveDevice(id).code(), ErrorCode::kRefused);  // already removed
  EXPECT_TRUE(alice_->Epochs().MustRotate(alice_->device_key()));

  ASSERT_TRUE(alice_->Write(Need(4)).ok());
  ASSERT_EQ(alice_->Epochs().valid().size(), 1u);
  const std::vector<log::DeviceKey>& to = alice_->Epochs().valid()[0].recipients;
  EXPECT_EQ(std::count(to.begin(), to.end(), laptop->device_key()), 0);
  EXPECT_EQ(std::count(to.begin(), to.end(), bob_->device_key()), 1);
  EXPECT_EQ(std::count(to.begin(), to.end(), carol_->device_key()), 1);

  Result<std::vector<log::Envelope>> feed =
      alice_->store().ReadRange(alice_->device_key(), 1, 1000);
  ASSERT_TRUE(feed.ok());
  NodeSource to_laptop(*alice_, laptop->device_key());
  const log::EntryHeader last = *log::DecodeHeader(feed->back().header);
  EXPECT_EQ(to_laptop.MaySend(feed->back(), last), sync::Share::kNothing);
  ASSERT_TRUE(Sync(*alice_, *bob_).ok());
  EXPECT_TRUE(HasNeed(*bob_, "I need 4"));
}

TEST_F(NodeEpochsTest, RemovingADeviceNamesOneOfYourOwnOthers) {
  PairThree();
  const uint64_t before = alice_->store().Head(alice_->device_key()).seq;
  const std::string bob = ToHex(bob_->device_key());
  Result<log::EntryId> other = alice_->RemoveDevice(bob.substr(0, 8));
  EXPECT_EQ(other.code(), ErrorCode::kRefused);
  EXPECT_NE(other.error().message.find("only remove your own devices"), std::string::npos);
  Result<log::EntryId> self = alice_->RemoveDevice(ToHex(alice_->device_key()));
  EXPECT_EQ(self.code(), ErrorCode::kRefused);
  EXPECT_NE(self.error().message.find("accord leave"), std::string::npos);
  log::DeviceKey stranger = alice_->device_key();
  for (uint8_t& b : stranger) b = static_cast<uint8_t>(b ^ 0x5a);
  EXPECT_EQ(alice_->RemoveDevice(ToHex(stranger)).code(), ErrorCode::kNotFound);
  EXPECT_EQ(alice_->RemoveDevice("xyz!").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(alice_->store().Head(alice_->device_key()).seq, before);  // nothing was written
}

}  // namespace
}  // namespace accord::daemon

namespace accord::daemon {
namespace {

// Alice's own device breaking the writer's rule: after her rotation away from Carol, an entry
// sealed under the old key (which Carol holds). Bob keeps and folds it — the signature is
// Alice's — and `log --verify` names it; nothing else is named.
TEST_F(NodeEpochsTest, AnEntrySealedBelowItsAuthorsOwnRotationIsNamedByVerify) {
  PairThree();
  ASSERT_TRUE(carol_->Leave().ok());
  ASSERT_TRUE(Sync(*carol_, *alice_).ok());
  ASSERT_TRUE(Sync(*carol_, *bob_).ok());
  ASSERT_TRUE(alice_->Write(Need(7)).ok());  // rotates first
  ASSERT_NE(alice_->State().epoch, 0u);
  ASSERT_TRUE(Sync(*alice_, *bob_).ok());

  Result<std::vector<log::Envelope>> feed =
      alice_->store().ReadRange(alice_->device_key(), 1, 1000);
  ASSERT_TRUE(feed.ok());
  const log::Envelope& last = feed->back();
  const log::EntryHeader head = *log::DecodeHeader(last.header);
  log::KeyRing old_keys;
  for (auto& [epoch, key] : alice_->EpochKeysForPartner())
    if (epoch == 0) old_keys.AddEpochKey(0, std::move(key));
  log::Author forger(alice_->identity().signing, alice_->pact(),
                     log::FeedHead{head.seq, log::ComputeEntryId(last.header)});
  proto::Body body;
  body.mutable_need()->set_text("I need the old key");
  Result<log::AuthoredEntry> below =
      forger.Write(body, old_keys, /*epoch=*/0, head.lamport + 1, head.time_ms + 1000);
  ASSERT_TRUE(below.ok()) << below.error().message;
  std::vector<log::Envelope> batch{below->envelope};
  Result<Node::ReceiveReport> got = bob_->Receive(batch);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(HasNeed(*bob_, "I need the old key"));

  Result<LogSlice> slice = bob_->ReadLog(0, 1000);
  ASSERT_TRUE(slice.ok());
  std::vector<log::Envelope> envelopes;
  for (const store::StoredEntry& e : slice->entries) envelopes.push_back(e.envelope);
  const std::vector<log::SignatureVerdict> verdicts = log::VerifySignatures(envelopes, 1);
  size_t named = 0;
  for (const LogRow& row : bob_->LogRows(slice->entries, &verdicts)) {
    EXPECT_EQ(row.sealed_below_rotation, row.id == below->id) << ToHex(row.id);
    named += row.sealed_below_rotation;
  }
  EXPECT_EQ(named, 1u);
  // Without --verify nothing is judged.
  for (const LogRow& row : bob_->LogRows(slice->entries, nullptr))
    EXPECT_FALSE(row.sealed_below_rotation);
}

}  // namespace
}  // namespace accord::daemon
