// Membership through the fold: who may add, leave and remove whom (SPEC §3, §4 Leaving).
#include "daemon/state/membership.h"

#include <gtest/gtest.h>

#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

const Member* MemberIn(const State& s, const MemberId& id) { return s.FindMember(id); }

bool HasDevice(const Member& m, const log::DeviceKey& key) {
  for (const Device& d : m.devices) {
    if (d.key == key) return true;
  }
  return false;
}

TEST(Fold, MembersAreCreatedAndAddedWithTheirFirstDevice) {
  Pact pact;
  const State state = pact.fold.View();
  ASSERT_EQ(state.members.size(), 2u);
  ASSERT_NE(MemberIn(state, pact.alice), nullptr);
  ASSERT_NE(MemberIn(state, pact.bob), nullptr);
  EXPECT_EQ(MemberIn(state, pact.alice)->name, "Alice");
  EXPECT_EQ(MemberIn(state, pact.bob)->name, "Bob");
  EXPECT_TRUE(HasDevice(*MemberIn(state, pact.bob), pact.bob));
  EXPECT_FALSE(MemberIn(state, pact.bob)->left);
}

TEST(Fold, DeviceAddedOnlyForOwnMember) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(phone, NeedBody("written on the phone"));
  const State state = pact.fold.View();
  EXPECT_TRUE(HasDevice(*MemberIn(state, pact.bob), phone));
  EXPECT_FALSE(HasDevice(*MemberIn(state, pact.alice), phone));
  ASSERT_EQ(state.needs.size(), 1u);
  EXPECT_EQ(state.needs[0].by.member, pact.bob);  // the phone speaks for Bob only
  EXPECT_EQ(state.needs[0].by.device, phone);
}

TEST(Fold, ADeviceBelongsToTheFirstMemberThatClaimedIt) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(pact.alice, DeviceAddedBody(phone));  // too late: the phone is Bob's
  const State state = pact.fold.View();
  EXPECT_TRUE(HasDevice(*MemberIn(state, pact.bob), phone));
  EXPECT_FALSE(HasDevice(*MemberIn(state, pact.alice), phone));
}

TEST(Fold, EventsFromUnknownDevicesAreIgnored) {
  Pact pact;
  const log::DeviceKey stranger = KeyFor("stranger");
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(stranger, AcceptBody(v1.id, v1.id));
  pact.Write(stranger, NeedBody("let me in"));
  pact.Write(stranger, DeviceAddedBody(KeyFor("stranger phone")));
  pact.Write(stranger, MemberAddedBody(KeyFor("accomplice"), "Accomplice"));
  const State state = pact.fold.View();
  EXPECT_EQ(state.members.size(), 2u);
  EXPECT_TRUE(state.needs.empty());
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kPending);
  EXPECT_EQ(pact.fold.size(), pact.written.size());  // kept, though ignored
}

TEST(Fold, MembershipThatArrivesLaterStillCounts) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  const Event added = pact.history.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(phone, NeedBody("from the phone"));
  EXPECT_TRUE(pact.fold.View().needs.empty());
  pact.fold.Apply(added);
  EXPECT_EQ(pact.fold.View().needs.size(), 1u);
}

TEST(Fold, MemberLeftOnlyForTheAuthorsOwnMember) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.alice));
  EXPECT_FALSE(MemberIn(pact.fold.View(), pact.alice)->left);
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  EXPECT_TRUE(MemberIn(pact.fold.View(), pact.bob)->left);
}

TEST(Fold, AMemberWhoLeftCannotBeAddedBack) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  pact.Write(pact.alice, MemberAddedBody(pact.bob, "Bob again"));
  const State state = pact.fold.View();
  EXPECT_TRUE(MemberIn(state, pact.bob)->left);
  EXPECT_EQ(MemberIn(state, pact.bob)->name, "Bob");
}

TEST(Fold, EntriesWrittenAfterLeavingDoNotCount) {
  Pact pact;
  pact.Write(pact.bob, NeedBody("before"));
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  pact.Write(pact.bob, NeedBody("after"));
  pact.Write(pact.bob, MemberAddedBody(KeyFor("dave"), "Dave"));
  const State state = pact.fold.View();
  ASSERT_EQ(state.needs.size(), 1u);
  EXPECT_EQ(state.needs[0].text, "before");
  EXPECT_EQ(MemberIn(state, KeyFor("dave")), nullptr);
}

TEST(Fold, DeviceRemovedOnlyForTheAuthorsOwnDevices) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(pact.alice, DeviceRemovedBody(phone));  // not Alice's to remove
  pact.Write(phone, NeedBody("still here"));
  State state = pact.fold.View();
  EXPECT_EQ(state.needs.size(), 1u);
  pact.Write(pact.bob, DeviceRemovedBody(phone));
  pact.Write(phone, NeedBody("after removal"));
  state = pact.fold.View();
  ASSERT_EQ(state.needs.size(), 1u);
  EXPECT_EQ(state.needs[0].text, "still here");
  for (const Device& d : MemberIn(state, pact.bob)->devices) {
    EXPECT_EQ(d.removed, d.key == phone);
  }
}

// A re-key's body as the fold sees it: the binding's signature is the validator's and the
// node's to check (log::CheckBindings), not the pure fold's.
proto::Body RekeyedBody(const log::DeviceKey& old_device) {
  proto::Body b;
  b.mutable_device_rekeyed()->set_old_device_key(AsString(old_device));
  b.mutable_device_rekeyed()->set_binding(std::string(64, 'r'));
  return b;
}

TEST(Fold, AReKeyedDeviceSpeaksForTheSameMemberWithTheOldKeysX25519AndName) {
  Pact pact;
  pact.Write(pact.bob, NeedBody("before the fork"));
  const log::DeviceKey fresh = KeyFor("bob re-keyed");
  pact.Write(fresh, RekeyedBody(pact.bob));
  pact.Write(fresh, NeedBody("after the re-key"));
  const State state = pact.fold.View();
  const Member* bob = MemberIn(state, pact.bob);
  ASSERT_NE(bob, nullptr);
  ASSERT_EQ(bob->devices.size(), 2u);
  const Device* old = nullptr;
  const Device* renewed = nullptr;
  for (const Device& d : bob->devices) (d.key == fresh ? renewed : old) = &d;
  ASSERT_TRUE(old && renewed);
  EXPECT_EQ(old->replaced_by, fresh);
  EXPECT_EQ(renewed->replaces, pact.bob);
  EXPECT_EQ(renewed->x25519, old->x25519);
  EXPECT_EQ(renewed->name, old->name);
  EXPECT_FALSE(HasDevice(*MemberIn(state, pact.alice), fresh));
  ASSERT_EQ(state.needs.size(), 2u);
  for (const auto& n : state.needs) EXPECT_EQ(n.by.member, pact.bob);
}

TEST(Fold, AReKeyVouchedForByNoDeviceOrByARemovedOneCountsForNobody) {
  Pact pact;
  const log::DeviceKey stray = KeyFor("stray");
  pact.Write(stray, RekeyedBody(KeyFor("nobody's device")));
  pact.Write(stray, NeedBody("from a stranger"));
  const log::DeviceKey phone = KeyFor("phone");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(pact.bob, DeviceRemovedBody(phone));
  const log::DeviceKey late = KeyFor("phone re-keyed");
  pact.Write(late, RekeyedBody(phone));  // after the removal: the phone vouches for nothing
  pact.Write(late, NeedBody("from the removed phone"));
  const State state = pact.fold.View();
  EXPECT_TRUE(state.needs.empty());
  for (const Member& m : state.members) {
    EXPECT_FALSE(HasDevice(m, stray));
    EXPECT_FALSE(HasDevice(m, late));
  }
}

TEST(Fold, MembershipIsTheSameInAnyOrder) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  const log::DeviceKey carol = KeyFor("carol");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(phone, MemberAddedBody(carol, "Carol"));
  pact.Write(carol, DeviceAddedBody(KeyFor("carol tablet")));
  pact.Write(pact.bob, DeviceRemovedBody(phone));
  const State expected = pact.fold.View();
  EXPECT_EQ(expected.members.size(), 3u);
  Fold reversed;
  for (auto it = pact.written.rbegin(); it != pact.written.rend(); ++it) reversed.Apply(*it);
  EXPECT_EQ(reversed.View(), expected);
}

TEST(Fold, MembersAloneEqualTheViewsMembers) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("phone");
  pact.Write(pact.bob, DeviceAddedBody(phone));
  pact.Write(pact.alice, NeedBody("quiet mornings"));
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  EXPECT_EQ(pact.fold.Members(), pact.fold.View().members);
  pact.fold.Freeze(pact.bob, 1);
  EXPECT_EQ(pact.fold.Members(), pact.fold.View().members);
}

TEST(Fold, TheMembershipGenerationMovesOnControlEntriesAndFreezesOnly) {
  Pact pact;
  uint64_t generation = pact.fold.membership_generation();
  pact.Write(pact.alice, NeedBody("quiet mornings"));
  pact.Write(pact.bob, ProposalBody("dishes after dinner"));
  EXPECT_EQ(pact.fold.membership_generation(), generation);  // members cannot have changed
  pact.Write(pact.bob, DeviceAddedBody(KeyFor("phone")));
  EXPECT_NE(pact.fold.membership_generation(), generation);
  generation = pact.fold.membership_generation();
  pact.fold.Freeze(pact.bob, 3);
  EXPECT_NE(pact.fold.membership_generation(), generation);
}

}  // namespace
}  // namespace accord::state
