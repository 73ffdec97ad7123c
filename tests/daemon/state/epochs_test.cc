// Key epochs through the fold: which rotations are valid, which epoch is current, when the
// remaining devices must rotate, and what a device that ended may still be sent (SPEC §4
// Leaving, SECURITY §5.4).
#include "daemon/state/epochs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

const log::DeviceKey kPhone = KeyFor("phone");

std::vector<log::DeviceKey> Keys(const std::vector<Device>& devices) {
  std::vector<log::DeviceKey> out;
  for (const Device& d : devices) out.push_back(d.key);
  return out;
}

std::vector<log::DeviceKey> Sorted(std::vector<log::DeviceKey> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsRejected(const Epochs& epochs, const log::EntryId& id, std::string_view why) {
  for (const RejectedEpochStart& r : epochs.rejected()) {
    if (r.id == id) return r.reason.find(why) != std::string::npos;
  }
  return false;
}

TEST(Epochs, APactStartsAtEpochZeroAndNeedsNoRotation) {
  Pact pact;
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_EQ(epochs.current(), 0u);
  EXPECT_EQ(epochs.current_start(), nullptr);
  EXPECT_FALSE(epochs.RotationNeeded());
  EXPECT_EQ(epochs.EpochForWrite(pact.alice), 0u);
  EXPECT_EQ(epochs.EpochForWrite(KeyFor("stranger")), std::nullopt);
  EXPECT_TRUE(epochs.MayHold(pact.alice, 0));
  EXPECT_TRUE(epochs.MayHold(pact.bob, 0));
  EXPECT_FALSE(epochs.MayHold(KeyFor("stranger"), 0));
  EXPECT_EQ(Keys(epochs.next_recipients()), Sorted({pact.alice, pact.bob}));
  EXPECT_EQ(pact.fold.View().epoch, 0u);
}

TEST(Epochs, ALeaveNeedsARotationToTheRemainingDevices) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(epochs.RotationNeeded());
  EXPECT_EQ(epochs.ended_holders(), std::vector<log::DeviceKey>{pact.bob});
  EXPECT_EQ(epochs.EpochForWrite(pact.alice), std::nullopt);
  EXPECT_TRUE(epochs.MustRotate(pact.alice));
  EXPECT_FALSE(epochs.MustRotate(pact.bob));  // who left does not rotate, nor write
  EXPECT_EQ(epochs.EpochForWrite(pact.bob), std::nullopt);
  EXPECT_EQ(Keys(epochs.next_recipients()), std::vector<log::DeviceKey>{pact.alice});
}

TEST(Epochs, ARemovedDeviceNeedsARotationToo) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  EXPECT_FALSE(pact.fold.Epochs().RotationNeeded());
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_EQ(epochs.ended_holders(), std::vector<log::DeviceKey>{kPhone});
  EXPECT_EQ(Keys(epochs.next_recipients()), Sorted({pact.alice, pact.bob}));
}

TEST(Epochs, AValidRotationBecomesCurrentAndEndsTheNeed) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const uint64_t next = *pact.fold.Epochs().NextEpoch(pact.alice);
  const Event start = pact.Write(pact.alice, EpochStartBody(next, {pact.alice}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(epochs.rejected().empty());
  ASSERT_NE(epochs.current_start(), nullptr);
  EXPECT_EQ(epochs.current(), next);
  EXPECT_EQ(epochs.current_start()->key.id, start.id);
  EXPECT_EQ(epochs.current_start()->recipients, std::vector<log::DeviceKey>{pact.alice});
  EXPECT_FALSE(epochs.RotationNeeded());
  EXPECT_EQ(epochs.EpochForWrite(pact.alice), next);
  EXPECT_FALSE(epochs.MayHold(pact.bob, next));
  EXPECT_TRUE(epochs.MayHold(pact.alice, next));
  EXPECT_EQ(pact.fold.View().epoch, next);
}

TEST(Epochs, NextEpochRanksAboveEveryKnownStartAndDiffersPerAuthor) {
  Pact pact;
  const Epochs zero = pact.fold.Epochs();
  const uint64_t by_alice = *zero.NextEpoch(pact.alice);
  const uint64_t by_bob = *zero.NextEpoch(pact.bob);
  EXPECT_EQ(by_alice >> 32, 1u);
  EXPECT_EQ(by_bob >> 32, 1u);
  EXPECT_NE(by_alice, by_bob);
  EXPECT_EQ(static_cast<uint32_t>(by_alice), GetU32Be(pact.alice.data()));
  // An invalid start (it leaves Bob out) still raises the next number: its author may have
  // sealed entries to it, and the key ring keeps one key per number.
  pact.Write(pact.alice, EpochStartBody(by_alice, {pact.alice}));
  EXPECT_EQ(pact.fold.Epochs().current(), 0u);
  EXPECT_EQ(*pact.fold.Epochs().NextEpoch(pact.alice) >> 32, 2u);
}

TEST(Epochs, ARecipientThatIsNoDeviceIsRejected) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Event start =
      pact.Write(pact.alice, EpochStartBody(7, {pact.alice, KeyFor("unknown device")}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(IsRejected(epochs, start.id, "not a current device"));
  EXPECT_EQ(epochs.current(), 0u);
  EXPECT_TRUE(epochs.RotationNeeded());
}

TEST(Epochs, SealingToAMemberWhoLeftIsRejected) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Event start = pact.Write(pact.alice, EpochStartBody(7, {pact.alice, pact.bob}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(IsRejected(epochs, start.id, "not a current device"));
  EXPECT_TRUE(epochs.valid().empty());
  EXPECT_TRUE(epochs.RotationNeeded());
}

TEST(Epochs, SealingToARemovedDeviceIsRejected) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  const Event start = pact.Write(pact.bob, EpochStartBody(7, {pact.alice, pact.bob, kPhone}));
  EXPECT_TRUE(IsRejected(pact.fold.Epochs(), start.id, "not a current device"));
}

TEST(Epochs, LeavingOutACurrentDeviceIsRejected) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  const Event start = pact.Write(pact.alice, EpochStartBody(7, {pact.alice}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(IsRejected(epochs, start.id, "leaves out current device"));
  EXPECT_EQ(epochs.current(), 0u);
}

TEST(Epochs, NamingADeviceTwiceIsRejected) {
  Pact pact;
  const Event start = pact.Write(pact.alice, EpochStartBody(7, {pact.alice, pact.bob, pact.bob}));
  EXPECT_TRUE(IsRejected(pact.fold.Epochs(), start.id, "twice"));
}

TEST(Epochs, ARotationByAMemberWhoLeftOrAStrangerIsRejected) {
  Pact pact;
  const log::DeviceKey stranger = KeyFor("stranger");
  const Event by_stranger = pact.Write(stranger, EpochStartBody(5, {pact.alice, pact.bob}));
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Event by_leaver = pact.Write(pact.bob, EpochStartBody(9, {pact.alice}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(IsRejected(epochs, by_stranger.id, "not a device of a current member"));
  EXPECT_TRUE(IsRejected(epochs, by_leaver.id, "not a device of a current member"));
  EXPECT_FALSE(epochs.MayHold(pact.alice, 9));  // only a counted author's start names holders
  EXPECT_EQ(epochs.current(), 0u);
}

TEST(Epochs, ConcurrentRotationsPickTheHighestEpochThenId) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  // Alice and Bob both rotate at the same Lamport clock, neither seeing the other.
  const uint64_t lamport = pact.written.back().lamport + 1;
  const Event a =
      pact.history.WriteAt(pact.alice, lamport, EpochStartBody(8, {pact.alice, pact.bob}));
  const Event b =
      pact.history.WriteAt(pact.bob, lamport, EpochStartBody(8, {pact.alice, pact.bob}));
  pact.fold.Apply(a);
  pact.fold.Apply(b);
  Epochs epochs = pact.fold.Epochs();
  ASSERT_EQ(epochs.valid().size(), 2u);
  EXPECT_EQ(epochs.current_start()->key.id, std::max(a.id, b.id));
  EXPECT_FALSE(epochs.RotationNeeded());

  const Event lower =
      pact.history.WriteAt(pact.bob, lamport + 1, EpochStartBody(3, {pact.alice, pact.bob}));
  pact.fold.Apply(lower);  // a later entry, but a lower epoch: not current
  epochs = pact.fold.Epochs();
  EXPECT_EQ(epochs.current(), 8u);
  EXPECT_EQ(epochs.current_start()->key.id, std::max(a.id, b.id));

  // Any order gives the same choice.
  Fold reversed;
  for (auto it = pact.written.rbegin(); it != pact.written.rend(); ++it) reversed.Apply(*it);
  reversed.Apply(lower);
  reversed.Apply(b);
  reversed.Apply(a);
  EXPECT_EQ(reversed.Epochs().valid(), epochs.valid());
  EXPECT_EQ(reversed.Epochs().rejected(), epochs.rejected());
  EXPECT_EQ(reversed.View(), pact.fold.View());
}

TEST(Epochs, ARotationCountsOnceTheMemberItNamesArrives) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const uint64_t lamport = pact.written.back().lamport;
  // Judged before the MemberAdded it relies on has arrived, the rotation names an unknown
  // device; once it arrives the same rotation is valid: validity is a function of the set.
  const log::DeviceKey carol = KeyFor("carol");
  const Event added =
      pact.history.WriteAt(pact.alice, lamport + 1, MemberAddedBody(carol, "Carol"));
  const Event start =
      pact.history.WriteAt(pact.alice, lamport + 2, EpochStartBody(11, {pact.alice, carol}));
  pact.fold.Apply(start);
  EXPECT_TRUE(IsRejected(pact.fold.Epochs(), start.id, "not a current device"));
  pact.fold.Apply(added);
  EXPECT_EQ(pact.fold.Epochs().current(), 11u);
}

TEST(Epochs, ADeviceAddedAfterARotationHoldsItsKeyAndItsRemovalRotatesAgain) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  pact.Write(pact.alice, EpochStartBody(20, {pact.alice}));
  pact.Write(pact.alice, DeviceAddedBody(kPhone));
  Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(epochs.MayHold(kPhone, 20));  // handed over at pairing
  EXPECT_FALSE(epochs.RotationNeeded());
  pact.Write(pact.alice, DeviceRemovedBody(kPhone));
  epochs = pact.fold.Epochs();
  EXPECT_EQ(epochs.ended_holders(), std::vector<log::DeviceKey>{kPhone});
  EXPECT_EQ(Keys(epochs.next_recipients()), std::vector<log::DeviceKey>{pact.alice});
  pact.Write(pact.alice, EpochStartBody(30, {pact.alice}));
  EXPECT_FALSE(pact.fold.Epochs().RotationNeeded());
  EXPECT_FALSE(pact.fold.Epochs().MayHold(kPhone, 30));
}

TEST(Epochs, AFrozenAuthorsRotationDoesNotCount) {
  Pact pact;
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Event start = pact.Write(pact.alice, EpochStartBody(20, {pact.alice}));
  EXPECT_EQ(pact.fold.Epochs().current(), 20u);
  pact.fold.Freeze(pact.alice, start.seq);
  EXPECT_TRUE(IsRejected(pact.fold.Epochs(), start.id, "not a device of a current member"));
  EXPECT_EQ(pact.fold.Epochs().current(), 0u);
}

TEST(Epochs, AMemberWhoLeftIsSentNothingWrittenAfterTheLeave) {
  Pact pact;
  const Event before = pact.Write(pact.alice, NeedBody("before"));
  const Event left = pact.Write(pact.bob, MemberLeftBody(pact.bob));
  const Event start = pact.Write(pact.alice, EpochStartBody(20, {pact.alice}));
  const Event after = pact.Write(pact.alice, NeedBody("after"));
  const Epochs epochs = pact.fold.Epochs();
  const auto share = [&](const log::DeviceKey& to, const Event& e, uint64_t epoch) {
    return epochs.ShareWith(to, e.scope, epoch, KeyOf(e));
  };
  EXPECT_EQ(share(pact.bob, before, 0), EpochShare::kWhole);
  EXPECT_EQ(share(pact.bob, left, 0), EpochShare::kNothing);  // its own leave: it has it
  EXPECT_EQ(share(pact.bob, start, 0), EpochShare::kNothing);
  EXPECT_EQ(share(pact.bob, after, 20), EpochShare::kNothing);
  EXPECT_EQ(share(pact.alice, after, 20), EpochShare::kWhole);
  EXPECT_EQ(share(pact.alice, start, 0), EpochShare::kWhole);
  // A device this membership does not know yet (a joiner's inviter) is not judged here.
  EXPECT_EQ(share(KeyFor("inviter"), after, 20), EpochShare::kWhole);
}

TEST(Epochs, ADeviceIsSentOnlyTheHeaderOfAnEpochItCannotHold) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  pact.Write(pact.alice, EpochStartBody(20, {pact.alice, pact.bob}));
  // An entry written concurrently with the removal, before it in LWW order, sealed to the
  // new epoch: the phone could not open it.
  const Event concurrent = pact.history.WriteAt(pact.alice, 3, NeedBody("concurrent"));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_EQ(epochs.ShareWith(kPhone, concurrent.scope, 20, KeyOf(concurrent)),
            EpochShare::kHeaderOnly);
  EXPECT_EQ(epochs.ShareWith(kPhone, concurrent.scope, 999, KeyOf(concurrent)),
            EpochShare::kHeaderOnly);  // an epoch not known here: no body to an ended device
  EXPECT_EQ(epochs.ShareWith(pact.bob, concurrent.scope, 999, KeyOf(concurrent)),
            EpochShare::kWhole);
  EXPECT_EQ(epochs.ShareWith(kPhone, log::Scope::kPrivate, 0, KeyOf(concurrent)),
            EpochShare::kWhole);  // private entries are another rule's business
}

TEST(Epochs, AnEntrySealedBelowItsAuthorsOwnRotationIsFlagged) {
  Pact pact;
  const Event early = pact.Write(pact.alice, NeedBody("early"));
  pact.Write(pact.bob, MemberLeftBody(pact.bob));
  pact.Write(pact.alice, EpochStartBody(20, {pact.alice}));
  const Event late = pact.Write(pact.alice, NeedBody("late"));
  const Event bobs = pact.Write(pact.bob, NeedBody("not his rotation"));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_FALSE(epochs.SealsBelowOwnRotation(early, 0));
  EXPECT_TRUE(epochs.SealsBelowOwnRotation(late, 0));
  EXPECT_TRUE(epochs.SealsBelowOwnRotation(late, 19));
  EXPECT_FALSE(epochs.SealsBelowOwnRotation(late, 20));
  EXPECT_FALSE(epochs.SealsBelowOwnRotation(late, 21));
  EXPECT_FALSE(epochs.SealsBelowOwnRotation(bobs, 0));
  // The EpochStart itself is sealed under the old key by design (SECURITY §5.2).
  const Event again = pact.Write(pact.alice, EpochStartBody(30, {pact.alice}));
  EXPECT_FALSE(pact.fold.Epochs().SealsBelowOwnRotation(again, 20));
}

TEST(Epochs, ARotatorWhoseOwnStartTurnsOutInvalidRotatesAgain) {
  Pact pact;
  pact.Write(pact.bob, DeviceAddedBody(kPhone));
  pact.Write(pact.bob, DeviceRemovedBody(kPhone));
  const uint64_t lamport = pact.written.back().lamport;
  // Alice rotates for the phone while Bob, unseen, adds a tablet: her start misses it.
  const log::DeviceKey tablet = KeyFor("tablet");
  const Event tablet_added = pact.history.WriteAt(pact.bob, lamport + 1, DeviceAddedBody(tablet));
  const Event start = pact.history.WriteAt(pact.alice, lamport + 2,
                                           EpochStartBody(1ull << 32, {pact.alice, pact.bob}));
  pact.fold.Apply(start);
  EXPECT_FALSE(pact.fold.Epochs().MustRotate(pact.alice));
  EXPECT_EQ(pact.fold.Epochs().EpochForWrite(pact.alice), 1ull << 32);
  pact.fold.Apply(tablet_added);
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(IsRejected(epochs, start.id, "leaves out current device"));
  EXPECT_TRUE(epochs.RotationNeeded());  // the phone holds epoch 0 again
  EXPECT_TRUE(epochs.MustRotate(pact.alice));
  EXPECT_TRUE(epochs.MustRotate(pact.bob));
  EXPECT_EQ(Keys(epochs.next_recipients()), Sorted({pact.alice, pact.bob, tablet}));
}

TEST(Epochs, AnInvalidOwnStartAloneMakesOnlyItsAuthorRotate) {
  Pact pact;
  // Alice's rotation names Bob and a stranger: invalid, and nothing else needs rotating.
  pact.Write(pact.alice, EpochStartBody(1ull << 32, {pact.alice, pact.bob, KeyFor("stranger")}));
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_FALSE(epochs.RotationNeeded());
  EXPECT_TRUE(epochs.MustRotate(pact.alice));  // else it would write below its own start
  EXPECT_FALSE(epochs.MustRotate(pact.bob));
  EXPECT_EQ(epochs.EpochForWrite(pact.bob), 0u);
}

}  // namespace
// A person let in without history (MemberAdded.history_from_epoch, docs/pairing.md
// "Newcomers without history"): its devices hold its first epoch and what is sealed to them
// later, never epoch 0 nor an epoch from before it came, so senders give it those entries
// header-only.
proto::Body NewcomerBody(const log::DeviceKey& device, std::string name, uint64_t from_epoch) {
  proto::Body b = MemberAddedBody(device, std::move(name));
  b.mutable_member_added()->set_history_from_epoch(from_epoch);
  return b;
}

TEST(Epochs, ANewcomerWithoutHistoryHoldsOnlyItsFirstEpochAndLaterOnes) {
  Pact pact;
  const log::DeviceKey carol = KeyFor("carol");
  const log::DeviceKey carol_phone = KeyFor("carol phone");
  const Event before = pact.Write(pact.bob, NeedBody("before carol"));
  pact.Write(pact.alice, EpochStartBody(10, {pact.alice, pact.bob}));  // an earlier rotation
  pact.Write(pact.alice, EpochStartBody(20, {pact.alice, pact.bob}));  // carol's first epoch
  pact.Write(pact.alice, NewcomerBody(carol, "Carol", 20));
  Epochs epochs = pact.fold.Epochs();
  EXPECT_FALSE(epochs.MayHold(carol, 0));
  EXPECT_FALSE(epochs.MayHold(carol, 10));
  EXPECT_TRUE(epochs.MayHold(carol, 20));
  EXPECT_TRUE(epochs.MayHold(pact.bob, 0));  // the others as before
  EXPECT_EQ(epochs.ShareWith(carol, log::Scope::kShared, 0, KeyOf(before)),
            EpochShare::kHeaderOnly);
  EXPECT_EQ(epochs.ShareWith(carol, log::Scope::kControl, 10, KeyOf(before)),
            EpochShare::kHeaderOnly);
  EXPECT_EQ(epochs.ShareWith(pact.bob, log::Scope::kShared, 0, KeyOf(before)), EpochShare::kWhole);
  EXPECT_TRUE(epochs.IsCurrentDevice(carol));
  EXPECT_FALSE(epochs.RotationNeeded());  // nobody ended

  // A later device of hers gets her keys: her first epoch and those sealed to her, not 0.
  pact.Write(carol, DeviceAddedBody(carol_phone));
  pact.Write(pact.bob, EpochStartBody(30, {pact.alice, pact.bob, carol, carol_phone}));
  epochs = pact.fold.Epochs();
  EXPECT_TRUE(epochs.rejected().empty());
  EXPECT_TRUE(epochs.MayHold(carol_phone, 20));
  EXPECT_TRUE(epochs.MayHold(carol, 30));
  EXPECT_FALSE(epochs.MayHold(carol_phone, 0));
  EXPECT_FALSE(epochs.MayHold(carol_phone, 10));
}

TEST(Epochs, ANewcomerAddedWithHistoryHoldsEverythingAsBefore) {
  Pact pact;
  const log::DeviceKey carol = KeyFor("carol");
  pact.Write(pact.alice, EpochStartBody(10, {pact.alice, pact.bob}));
  pact.Write(pact.alice, NewcomerBody(carol, "Carol", 0));  // --share-history
  const Epochs epochs = pact.fold.Epochs();
  EXPECT_TRUE(epochs.MayHold(carol, 0));
  EXPECT_TRUE(epochs.MayHold(carol, 10));
}

}  // namespace accord::state
