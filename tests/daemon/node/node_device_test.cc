// Node's devices of one person (node_device.cc): a device added by DeviceAdded and joined
// with its member's keys counts for that member, reads her reflections and writes as her.
#include <gtest/gtest.h>

#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {
namespace {

class NodeDeviceTest : public NodeFixture {
 protected:
  void SetUp() override {
    alice_home_ = InitHome("alice", 0);
    alice_ = OpenOk(alice_home_);
    laptop_home_ = Home("laptop");
    laptop_ = OpenOk(laptop_home_);
    // As `join` on a fresh machine does: an identity first, its solo log then dropped.
    ASSERT_TRUE(laptop_->Init("alice's laptop", "").ok());
  }

  // The inviter's DeviceAdded and the joiner's JoinAsDevice, as a device invitation leaves
  // them.
  Status AddLaptop() {
    Result<log::EntryId> added = alice_->AddOwnDevice(
        laptop_->device_key(), laptop_->identity().dh.public_key(), "alice's laptop");
    EXPECT_TRUE(added.ok()) << added.error().message;
    return laptop_->JoinAsDevice(alice_->pact(), alice_->EpochKeysForPartner(),
                                 alice_->PersonKeysForOwnDevice(), alice_->member());
  }

  void ReopenLaptop() {
    laptop_.reset();
    laptop_ = OpenOk(laptop_home_);
    laptop_->TrustDevice(alice_->device_key());  // the address book does this in the daemon
  }

  InstancePaths alice_home_;
  InstancePaths laptop_home_;
  std::unique_ptr<Node> alice_;
  std::unique_ptr<Node> laptop_;
};

TEST_F(NodeDeviceTest, ANewDeviceIsItsMembersBeforeAndAfterItsFirstSync) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"only mine"}).ok());
  EXPECT_EQ(laptop_->member(), laptop_->device_key());  // its own member while solo

  ASSERT_TRUE(AddLaptop().ok());
  // Before any entry of the pact is held here, and across a restart.
  EXPECT_EQ(laptop_->member(), alice_->device_key());
  ReopenLaptop();
  EXPECT_EQ(laptop_->member(), alice_->device_key());

  ASSERT_TRUE(Sync(*alice_, *laptop_, /*private_chain=*/true).ok());
  const std::vector<state::Member>& members = laptop_->Members();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "Alice");
  EXPECT_EQ(members[0].devices.size(), 2u);
  EXPECT_EQ(laptop_->MemberOf(laptop_->device_key()), alice_->device_key());
  EXPECT_EQ(alice_->MemberOf(laptop_->device_key()), alice_->device_key());

  // The member's reflection opens with the person key the laptop was given.
  ASSERT_EQ(laptop_->State().reflections.size(), 1u);
  EXPECT_EQ(laptop_->State().reflections[0].text, "only mine");
  EXPECT_EQ(laptop_->State().reflections[0].by.member, alice_->device_key());

  // It wrote no membership entry of its own; what it writes is Alice's, on both devices, and
  // its private entries open on her first device.
  EXPECT_EQ(laptop_->store().Head(laptop_->device_key()).seq, 0u);
  ASSERT_TRUE(laptop_->Write(state::NeedAdded{"I need a quiet morning"}).ok());
  ASSERT_TRUE(laptop_->Write(state::Reflected{"from the laptop"}).ok());
  ASSERT_TRUE(Sync(*laptop_, *alice_, /*private_chain=*/true).ok());
  ASSERT_EQ(alice_->State().needs.size(), 1u);
  EXPECT_EQ(alice_->State().needs[0].by.member, alice_->device_key());
  EXPECT_EQ(alice_->State().needs[0].by.device, laptop_->device_key());
  ASSERT_EQ(alice_->State().reflections.size(), 2u);
  EXPECT_EQ(alice_->Digest(), laptop_->Digest());

  // `accord devices`: both, each with the time of the entry that added it.
  std::vector<Node::OwnDevice> devices = laptop_->OwnDevices();
  ASSERT_EQ(devices.size(), 2u);
  for (const Node::OwnDevice& d : devices) EXPECT_EQ(d.added_ms, clock_.NowMs());

  // The person keys are kept wrapped: after a restart the reflections still open.
  ReopenLaptop();
  EXPECT_EQ(laptop_->State().reflections.size(), 2u);
  EXPECT_EQ(laptop_->member(), alice_->device_key());
}

TEST_F(NodeDeviceTest, AMembersPrivateEntryThatCameHeaderOnlyIsRepairedFromHerDevice) {
  ASSERT_TRUE(alice_->Write(state::Reflected{"only mine"}).ok());
  ASSERT_TRUE(AddLaptop().ok());
  laptop_->TrustDevice(alice_->device_key());
  // As a device whose copy of the body is damaged sends it: the reflection's header alone
  // (after the chain's start, which travels whole).
  Result<std::vector<log::Envelope>> feed = alice_->store().ReadRange(alice_->device_key(), 1, 100);
  ASSERT_TRUE(feed.ok());
  Result<std::vector<log::Envelope>> chain =
      alice_->store().ReadRange(alice_->private_chain_key(), 1, 100);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->size(), 2u);
  std::vector<log::Envelope> relayed = *feed;
  relayed.insert(relayed.end(), chain->begin(), chain->end());
  std::optional<log::Envelope> whole = relayed.back();
  relayed.back().sealed_body.clear();
  ASSERT_TRUE(whole.has_value());
  Result<Node::ReceiveReport> received = laptop_->Receive(relayed);
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_TRUE(laptop_->State().reflections.empty());
  const log::EntryId id = log::ComputeEntryId(whole->header);
  const std::vector<log::EntryId> wanted = laptop_->WantedBodies(10);
  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0], id);

  Result<size_t> repaired = laptop_->Repair(std::vector<log::Envelope>{*whole}, "alice");
  ASSERT_TRUE(repaired.ok()) << repaired.error().message;
  EXPECT_EQ(*repaired, 1u);
  ASSERT_EQ(laptop_->State().reflections.size(), 1u);
  EXPECT_EQ(laptop_->State().reflections[0].text, "only mine");
}

TEST_F(NodeDeviceTest, ADeviceWithEntriesOfItsOwnCannotBecomeSomeoneElsesDevice) {
  ASSERT_TRUE(laptop_->Write(state::Reflected{"the laptop's own thought"}).ok());
  Status joined = AddLaptop();
  EXPECT_EQ(joined.code(), ErrorCode::kRefused);
  EXPECT_EQ(laptop_->member(), laptop_->device_key());
  // Its own person key is untouched: its reflection still opens after a restart.
  ReopenLaptop();
  EXPECT_EQ(laptop_->member(), laptop_->device_key());
  ASSERT_EQ(laptop_->State().reflections.size(), 1u);
  EXPECT_EQ(laptop_->State().reflections[0].text, "the laptop's own thought");
}

}  // namespace
}  // namespace accord::daemon
