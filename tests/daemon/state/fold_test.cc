// Agreements in the fold: versions, stances, activation, pending, retirement (SPEC §3).
#include "daemon/state/fold.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

std::vector<log::EntryId> Ids(std::initializer_list<log::EntryId> ids) { return ids; }

TEST(Fold, TheProposerCountsAsAccepting) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks on sunday"));
  State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->versions.size(), 1u);
  ASSERT_EQ(a->versions[0].stances.size(), 1u);
  EXPECT_EQ(a->versions[0].stances[0].member, pact.alice);
  EXPECT_EQ(a->versions[0].stances[0].kind, StanceKind::kAccepted);

  // So Bob's acceptance alone completes it.
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kActive);
  EXPECT_EQ(state.FindAgreement(v1.id)->latest_active, v1.id);
}

TEST(Fold, ProposalIsPendingUntilEveryMemberAccepts) {
  Pact pact;
  const log::DeviceKey carol = KeyFor("carol");
  pact.AddMember(pact.bob, carol, "Carol");
  const Event v1 = pact.Write(pact.alice, ProposalBody("quiet evenings"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  State state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kPending);
  EXPECT_EQ(state.FindAgreement(v1.id)->pending, Ids({v1.id}));
  EXPECT_FALSE(state.FindAgreement(v1.id)->latest_active.has_value());

  pact.Write(carol, AcceptBody(v1.id, v1.id));
  state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kActive);
  EXPECT_TRUE(state.FindAgreement(v1.id)->pending.empty());
}

TEST(Fold, TwoConcurrentCountersAreBothPending) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("one evening a week"));
  const Event accept = pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  // Both counter v1 without having seen each other's counter: same Lamport clock.
  const Event by_alice = pact.history.WriteAt(pact.alice, accept.lamport + 1,
                                              CounterBody(v1.id, v1.id, "two evenings"));
  const Event by_bob = pact.history.WriteAt(pact.bob, accept.lamport + 1,
                                            CounterBody(v1.id, v1.id, "one evening and a day"));
  pact.fold.Apply(by_bob);
  pact.fold.Apply(by_alice);
  const State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->status, AgreementStatus::kActive);
  EXPECT_EQ(a->latest_active, v1.id);
  ASSERT_EQ(a->pending.size(), 2u);
  EXPECT_NE(std::find(a->pending.begin(), a->pending.end(), by_alice.id), a->pending.end());
  EXPECT_NE(std::find(a->pending.begin(), a->pending.end(), by_bob.id), a->pending.end());
  EXPECT_TRUE(a->versions[0].countered);
}

TEST(Fold, ACounterToACounterLeavesOnlyTheNewestPending) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("a"));
  const Event v2 = pact.Write(pact.bob, CounterBody(v1.id, v1.id, "b"));
  const Event v3 = pact.Write(pact.alice, CounterBody(v1.id, v2.id, "c"));
  const State state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->pending, Ids({v3.id}));
  EXPECT_EQ(state.FindAgreement(v1.id)->versions.size(), 3u);
}

TEST(Fold, AcceptanceOfAnOldVersionDoesNotActivateANewerOne) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const Event v2 = pact.Write(pact.alice, CounterBody(v1.id, v1.id, "longer walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));  // again, the old one
  const State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  EXPECT_EQ(a->latest_active, v1.id);
  EXPECT_EQ(a->pending, Ids({v2.id}));
  EXPECT_FALSE(a->versions[1].active);
}

TEST(Fold, LatestStanceWins) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const Event accept = pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const Event decline = pact.Write(pact.bob, DeclineBody(v1.id, v1.id, "not now"));
  State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  EXPECT_EQ(a->status, AgreementStatus::kPending);
  ASSERT_EQ(a->versions[0].stances.size(), 2u);
  for (const Stance& s : a->versions[0].stances) {
    if (s.member == pact.bob) {
      EXPECT_EQ(s.kind, StanceKind::kDeclined);
      EXPECT_EQ(s.note, "not now");
    }
  }
  // Arrival order does not matter: the decline is LWW-later either way.
  Fold reversed;
  for (auto it = pact.written.rbegin(); it != pact.written.rend(); ++it) reversed.Apply(*it);
  EXPECT_EQ(reversed.View(), state);
  pact.fold.Apply(accept);  // a duplicate: nothing changes
  EXPECT_EQ(pact.fold.View(), state);

  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  EXPECT_EQ(pact.fold.View().FindAgreement(v1.id)->status, AgreementStatus::kActive);
}

TEST(Fold, RetireByOneMemberEndsAnActiveAgreement) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  ASSERT_EQ(pact.fold.View().FindAgreement(v1.id)->status, AgreementStatus::kActive);
  pact.Write(pact.bob, RetireBody(v1.id, "I need this to stop"));
  const State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  EXPECT_EQ(a->status, AgreementStatus::kRetired);
  ASSERT_EQ(a->retirements.size(), 1u);
  EXPECT_EQ(a->retirements[0].by.member, pact.bob);
  EXPECT_EQ(a->retirements[0].note, "I need this to stop");
}

TEST(Fold, AMemberWhoLeftNoLongerCountsForActivation) {
  Pact pact;
  const log::DeviceKey carol = KeyFor("carol");
  pact.AddMember(pact.alice, carol, "Carol");
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  ASSERT_EQ(pact.fold.View().FindAgreement(v1.id)->status, AgreementStatus::kPending);
  pact.Write(carol, MemberLeftBody(carol));
  const State state = pact.fold.View();
  EXPECT_TRUE(state.FindMember(carol)->left);
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kActive);
}

TEST(Fold, AMemberWhoJoinsMakesActiveVersionsPendingUntilTheyAccept) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  ASSERT_EQ(pact.fold.View().FindAgreement(v1.id)->status, AgreementStatus::kActive);
  const log::DeviceKey carol = KeyFor("carol");
  pact.AddMember(pact.bob, carol, "Carol");
  State state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kPending);
  EXPECT_EQ(state.FindAgreement(v1.id)->pending, Ids({v1.id}));
  pact.Write(carol, AcceptBody(v1.id, v1.id));
  state = pact.fold.View();
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kActive);
}

TEST(Fold, ReferencesToEntriesNotYetArrivedResolveWhenTheyDo) {
  Pact pact;
  const Event v1 = pact.history.Write(pact.alice, ProposalBody("walks"));
  const Event v2 = pact.history.Write(pact.bob, CounterBody(v1.id, v1.id, "runs"));
  const Event accept = pact.history.Write(pact.alice, AcceptBody(v1.id, v2.id));
  pact.fold.Apply(accept);
  pact.fold.Apply(v2);
  EXPECT_TRUE(pact.fold.View().agreements.empty());
  pact.fold.Apply(v1);
  const State state = pact.fold.View();
  const Agreement* a = state.FindAgreement(v1.id);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->latest_active, v2.id);
  EXPECT_TRUE(a->pending.empty());  // v1 is older than the active v2
}

TEST(Fold, DuplicateApplyChangesNothing) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const Event need = pact.Write(pact.bob, NeedBody("an hour alone after work"));
  const State before = pact.fold.View();
  const size_t size = pact.fold.size();
  EXPECT_FALSE(pact.fold.Apply(v1));
  EXPECT_FALSE(pact.fold.Apply(need));
  EXPECT_EQ(pact.fold.size(), size);
  EXPECT_EQ(pact.fold.View(), before);
  EXPECT_EQ(before.needs.size(), 1u);
}

TEST(Fold, FrozenAuthorIsNotFolded) {
  // Bob's feed forks at seq 2: his entries from seq 2 on are excluded, whether they were
  // folded before the freeze or arrive after it.
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  pact.Write(pact.bob, NeedBody("quiet mornings"));
  const Event accept = pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  pact.Write(pact.bob, NeedBody("a night out a month"));
  ASSERT_EQ(accept.seq, 2u);
  ASSERT_EQ(pact.fold.View().FindAgreement(v1.id)->status, AgreementStatus::kActive);

  pact.fold.Freeze(pact.bob, 2);  // after applying
  pact.Write(pact.bob, NeedBody("written after the fork"));
  Fold frozen_first;
  frozen_first.Freeze(pact.bob, 2);
  for (auto it = pact.written.rbegin(); it != pact.written.rend(); ++it) frozen_first.Apply(*it);

  const State state = pact.fold.View();
  EXPECT_EQ(state, frozen_first.View());
  ASSERT_EQ(state.needs.size(), 1u);
  EXPECT_EQ(state.needs[0].text, "quiet mornings");
  EXPECT_EQ(state.FindAgreement(v1.id)->status, AgreementStatus::kPending);
  ASSERT_EQ(state.frozen.size(), 1u);
  EXPECT_EQ(state.frozen[0].device, pact.bob);
  EXPECT_EQ(state.frozen[0].from_seq, 2u);
}

TEST(Fold, ASecondFreezeOfOneAuthorKeepsTheLowerSeq) {
  Pact pact;
  pact.Write(pact.bob, NeedBody("one"));
  pact.Write(pact.bob, NeedBody("two"));
  pact.fold.Freeze(pact.bob, 2);
  pact.fold.Freeze(pact.bob, 5);
  EXPECT_EQ(pact.fold.View().needs.size(), 1u);
  pact.fold.Freeze(pact.bob, 1);
  EXPECT_TRUE(pact.fold.View().needs.empty());
}

}  // namespace
}  // namespace accord::state
