// The Node itself (daemon/node/node.h): each kind a member writes folds and survives a
// reopen, a blocked write writes nothing, and a batch from a second device is stored, folded
// and its repeats counted.
#include <algorithm>

#include "daemon/state/schedule.h"
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

constexpr int64_t kHourMs = 3'600'000;  // milliseconds

class NodeTest : public NodeFixture {
 protected:
  // Alice's home, and Bob's joined to her pact, holding her entries.
  void PairAliceAndBob() {
    alice_ = OpenOk(Home("alice"));
    bob_ = OpenOk(Home("bob"));
    ASSERT_TRUE(alice_->Init("Alice", "laptop").ok());
    ASSERT_TRUE(bob_->Init("Bob", "phone").ok());
    Pair(*alice_, *bob_, "Bob");
  }
  const state::Agreement& OnlyAgreement(Node& node) {
    EXPECT_EQ(node.State().agreements.size(), 1u);
    return node.State().agreements.front();
  }

  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> bob_;
};

TEST_F(NodeTest, EachNoteKindFoldsAndSurvivesAReopen) {
  InstancePaths home = Home("alice");
  std::unique_ptr<Node> node = OpenOk(home);
  ASSERT_TRUE(node->Init("Alice", "laptop").ok());
  ASSERT_TRUE(node->Write(state::NeedAdded{"I need quiet mornings"}).ok());
  ASSERT_TRUE(node->Write(state::BoundaryAdded{"no phones at dinner", true}).ok());
  ASSERT_TRUE(node->Write(state::Appreciated{"thank you for the tea"}).ok());
  ASSERT_TRUE(node->Write(state::Reflected{"I was tired, not angry"}).ok());
  ASSERT_TRUE(node->Write(state::CheckedIn{4, "a good week", std::nullopt}).ok());

  const state::State& s = node->State();
  ASSERT_EQ(s.needs.size(), 1u);
  EXPECT_EQ(s.needs[0].text, "I need quiet mornings");
  ASSERT_EQ(s.boundaries.size(), 1u);
  EXPECT_TRUE(s.boundaries[0].during_space);
  ASSERT_EQ(s.appreciations.size(), 1u);
  ASSERT_EQ(s.reflections.size(), 1u);
  EXPECT_EQ(s.reflections[0].text, "I was tired, not angry");
  ASSERT_EQ(s.check_ins.size(), 1u);
  EXPECT_EQ(s.check_ins[0].feeling, 4u);
  const state::State before = s;
  const Hash32 digest = node->Digest();
  EXPECT_EQ(node->EntryCount(), 7u);  // and the MemberCreated, and the private chain's start

  node.reset();
  std::unique_ptr<Node> reopened = OpenOk(home);
  EXPECT_EQ(reopened->State(), before);
  EXPECT_EQ(reopened->Digest(), digest);
  EXPECT_EQ(reopened->EntryCount(), 7u);
}

TEST_F(NodeTest, AProposalKeepsItsScheduleAndCadenceAcrossAReopen) {
  InstancePaths home = Home("alice");
  std::unique_ptr<Node> node = OpenOk(home);
  ASSERT_TRUE(node->Init("Alice", "laptop").ok());
  Result<state::Schedule> schedule =
      state::ParseSchedule("tue,thu 19:00-21:00", "Europe/Berlin", node->NowMs());
  ASSERT_TRUE(schedule.ok()) << schedule.error().message;
  state::Proposed proposal;
  proposal.text = "quiet evenings";
  proposal.schedule = *schedule;
  proposal.review_every_ms = 14 * 24 * kHourMs;
  Result<log::EntryId> id = node->Write(proposal);
  ASSERT_TRUE(id.ok()) << id.error().message;

  node.reset();
  std::unique_ptr<Node> reopened = OpenOk(home);
  const state::Agreement& a = OnlyAgreement(*reopened);
  EXPECT_EQ(a.id, *id);
  ASSERT_EQ(a.versions.size(), 1u);
  EXPECT_EQ(a.versions[0].text, "quiet evenings");
  EXPECT_EQ(a.versions[0].schedule, *schedule);
  EXPECT_EQ(a.versions[0].review_every_ms, 14 * 24 * kHourMs);
}

TEST_F(NodeTest, AgreementAndSpaceKindsBetweenTwoMembersFoldOnBothSides) {
  PairAliceAndBob();
  // Bob proposes and asks for space; Alice answers each.
  Result<log::EntryId> v1 =
      bob_->Write(state::Proposed{std::nullopt, std::nullopt, "walks", std::nullopt, 0});
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  Result<log::EntryId> ask = bob_->Write(state::SpaceAsked{kHourMs, "a long walk"});
  ASSERT_TRUE(ask.ok());
  ASSERT_TRUE(Sync(*bob_, *alice_).ok());
  ASSERT_TRUE(alice_->Write(state::Declined{*v1, *v1, "not yet"}).ok());
  ASSERT_TRUE(alice_->Write(state::Accepted{*v1, *v1}).ok());
  ASSERT_TRUE(alice_->Write(state::SpaceAcked{*ask, "take your time"}).ok());
  ASSERT_TRUE(bob_->Write(state::SpaceEnded{*ask}).ok());
  Result<log::EntryId> v2 = alice_->Write(state::Proposed{*v1, *v1, "long walks", std::nullopt, 0});
  ASSERT_TRUE(v2.ok());
  ASSERT_TRUE(alice_->Write(state::Retired{*v1, "we moved"}).ok());
  ASSERT_TRUE(Sync(*alice_, *bob_).ok());
  ASSERT_TRUE(Sync(*bob_, *alice_).ok());

  for (Node* node : {alice_.get(), bob_.get()}) {
    const state::Agreement& a = OnlyAgreement(*node);
    EXPECT_EQ(a.status, state::AgreementStatus::kRetired);
    ASSERT_EQ(a.versions.size(), 2u);
    EXPECT_EQ(a.versions[0].active, true);  // Alice's acceptance came after her decline
    EXPECT_EQ(a.versions[1].parent, *v1);
    ASSERT_EQ(a.retirements.size(), 1u);
    EXPECT_EQ(a.retirements[0].note, "we moved");
    ASSERT_EQ(node->State().space_requests.size(), 1u);
    const state::SpaceRequest& r = node->State().space_requests[0];
    ASSERT_EQ(r.acks.size(), 1u);
    EXPECT_EQ(r.acks[0].note, "take your time");
    EXPECT_TRUE(r.ended_by.has_value());
  }
  EXPECT_EQ(alice_->Digest(), bob_->Digest());
}

TEST_F(NodeTest, AWriteWhileBlockedIsRefusedAndWritesNothing) {
  InstancePaths home = InitHome("alice", 1);
  std::unique_ptr<Node> node = OpenOk(home);
  const uint64_t entries = node->EntryCount();
  const state::State before = node->State();
  // A peer says it holds more of this device's own feed than the store does.
  std::map<log::DeviceKey, log::FeedHead> heads;
  heads[node->device_key()] = log::FeedHead{entries + 5, log::EntryId{7}};
  node->NotePeerHeads(log::DeviceKey{1, 2, 3}, heads);
  ASSERT_TRUE(node->WriteBlocked().has_value());

  Result<log::EntryId> write = node->Write(state::NeedAdded{"I need a walk"});
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.code(), ErrorCode::kRefused);
  EXPECT_EQ(write.error().message, node->WriteBlocked()->message);
  EXPECT_EQ(node->EntryCount(), entries);
  EXPECT_EQ(node->State(), before);
  node.reset();
  EXPECT_EQ(OpenOk(home)->EntryCount(), entries);
}

TEST_F(NodeTest, ABatchFromASecondDeviceIsStoredFoldedAndItsRepeatsCounted) {
  PairAliceAndBob();
  ASSERT_TRUE(bob_->Write(state::NeedAdded{"I need a walk"}).ok());
  ASSERT_TRUE(bob_->Write(state::Appreciated{"thanks for dinner"}).ok());
  const uint64_t before = alice_->EntryCount();

  Result<Node::ReceiveReport> got = Sync(*bob_, *alice_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->stored, 2u);
  EXPECT_EQ(got->duplicates, 0u);
  EXPECT_EQ(got->forks, 0u);
  EXPECT_EQ(alice_->EntryCount(), before + 2);
  ASSERT_EQ(alice_->State().needs.size(), 1u);
  EXPECT_EQ(alice_->State().needs[0].text, "I need a walk");
  EXPECT_EQ(alice_->State().needs[0].by.member, bob_->device_key());
  EXPECT_EQ(alice_->Digest(), bob_->Digest());

  Result<Node::ReceiveReport> again = Sync(*bob_, *alice_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 2u);
  EXPECT_EQ(alice_->EntryCount(), before + 2);
}

TEST_F(NodeTest, PairingLeavesBothMembersOnBothDevices) {
  PairAliceAndBob();
  for (Node* node : {alice_.get(), bob_.get()}) {
    const std::vector<state::Member>& members = node->Members();
    ASSERT_EQ(members.size(), 2u);
    std::vector<std::string> names;
    for (const state::Member& m : members) names.push_back(m.name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"Alice", "Bob"}));
  }
  EXPECT_EQ(bob_->MemberOf(bob_->device_key()), bob_->device_key());
}

}  // namespace
}  // namespace accord::daemon
