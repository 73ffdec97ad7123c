// Retracts in the fold (SPEC §6 `retract`): only an item's own member withdraws it; a
// withdrawn item stays in its list, marked; a withdrawn space request ends; a retract that
// names anything else changes nothing, on every device alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "daemon/state/digest.h"
#include "daemon/state/due.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int64_t kRetractT0 = 1'700'000'000'000;  // ms
constexpr int64_t kOneMinute = 60'000;             // ms
constexpr int kRetractShuffles = 200;              // delivery orders tried

State FoldInOrder(const std::vector<Event>& events) {
  Fold fold;
  for (const Event& e : events) fold.Apply(e);
  return fold.View();
}

TEST(FoldRetract, AnOwnNeedIsWithdrawnWithTheRetractsTimeAndNote) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need Sunday mornings"), kRetractT0);
  const Event retract =
      pact.Write(pact.alice, RetractBody(need.id, "we found another way"), kRetractT0 + kOneMinute);
  const State state = pact.fold.View();
  ASSERT_EQ(state.needs.size(), 1u);  // the history keeps it
  ASSERT_TRUE(state.needs[0].withdrawn.has_value());
  EXPECT_EQ(state.needs[0].withdrawn->by.id, retract.id);
  EXPECT_EQ(state.needs[0].withdrawn->by.member, pact.alice);
  EXPECT_EQ(state.needs[0].withdrawn->by.time_ms, kRetractT0 + kOneMinute);
  EXPECT_EQ(state.needs[0].withdrawn->note, "we found another way");
}

TEST(FoldRetract, EveryKindOfOwnItemCanBeWithdrawn) {
  Pact pact;
  const Event boundary = pact.Write(pact.bob, BoundaryBody("no calls", true));
  const Event thanks = pact.Write(pact.bob, AppreciationBody("thank you"));
  const Event check_in = pact.Write(pact.bob, CheckInBody(2, std::nullopt, "rough week"));
  for (const Event* e : {&boundary, &thanks, &check_in}) pact.Write(pact.bob, RetractBody(e->id));
  const State state = pact.fold.View();
  EXPECT_TRUE(state.boundaries.at(0).withdrawn.has_value());
  EXPECT_TRUE(state.appreciations.at(0).withdrawn.has_value());
  EXPECT_TRUE(state.check_ins.at(0).withdrawn.has_value());
}

TEST(FoldRetract, AnotherMembersRetractIsIgnored) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need Sunday mornings"));
  const Hash32 before = StateDigest(pact.fold.View());
  pact.Write(pact.bob, RetractBody(need.id, "not yours to keep"));
  const State state = pact.fold.View();
  EXPECT_FALSE(state.needs.at(0).withdrawn.has_value());
  EXPECT_EQ(StateDigest(state), before);
}

TEST(FoldRetract, AnotherDeviceOfTheSameMemberMayRetract) {
  Pact pact;
  const log::DeviceKey phone = KeyFor("alice-phone");
  pact.Write(pact.alice, DeviceAddedBody(phone));
  const Event need = pact.Write(pact.alice, NeedBody("I need Sunday mornings"));
  pact.Write(phone, RetractBody(need.id));
  EXPECT_TRUE(pact.fold.View().needs.at(0).withdrawn.has_value());
}

TEST(FoldRetract, ARetractOfAnUnknownIdChangesNothing) {
  Pact pact;
  pact.Write(pact.alice, NeedBody("I need Sunday mornings"));
  const State before = pact.fold.View();
  pact.Write(pact.alice, RetractBody(KeyFor("no such entry"), "?"));
  EXPECT_EQ(pact.fold.View(), before);
}

TEST(FoldRetract, ARetractThatArrivesBeforeItsTargetCountsOnceTheTargetArrives) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need Sunday mornings"));
  const Event retract = pact.Write(pact.alice, RetractBody(need.id));
  Fold late;
  for (const Event& e : pact.written)
    if (e.id != need.id) late.Apply(e);
  EXPECT_TRUE(late.View().needs.empty());
  late.Apply(need);
  EXPECT_EQ(late.View(), pact.fold.View());
  EXPECT_EQ(late.View().needs.at(0).withdrawn->by.id, retract.id);
}

TEST(FoldRetract, AgreementsReflectionsAndRetractsCannotBeWithdrawn) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks on sunday"));
  const Event reflection = pact.Write(pact.alice, ReflectionBody("private"));
  const Event need = pact.Write(pact.alice, NeedBody("I need quiet"));
  const Event retract = pact.Write(pact.alice, RetractBody(need.id));
  const State before = pact.fold.View();
  for (const Event* e : {&v1, &reflection, &retract}) pact.Write(pact.alice, RetractBody(e->id));
  EXPECT_EQ(pact.fold.View(), before);
}

TEST(FoldRetract, TheFirstOfTwoRetractsCounts) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need quiet"));
  const Event first = pact.Write(pact.alice, RetractBody(need.id, "first"));
  pact.Write(pact.alice, RetractBody(need.id, "second"));
  EXPECT_EQ(pact.fold.View().needs.at(0).withdrawn->by.id, first.id);
  EXPECT_EQ(pact.fold.View().needs.at(0).withdrawn->note, "first");
}

TEST(FoldRetract, AWithdrawnCheckInNoLongerCountsAsAReview) {
  Pact pact;
  const int64_t week_s = 7 * 86400;
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks", week_s), kRetractT0);
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id), kRetractT0);
  const int64_t day = 24 * 60 * kOneMinute;
  const Event check_in = pact.Write(pact.bob, CheckInBody(4, v1.id), kRetractT0 + 5 * day);
  const int64_t later = kRetractT0 + 8 * day;
  EXPECT_TRUE(Due(pact.fold.View(), later).empty());
  pact.Write(pact.bob, RetractBody(check_in.id), kRetractT0 + 6 * day);
  EXPECT_EQ(Due(pact.fold.View(), later).size(), 1u);
}

TEST(FoldRetract, AnOpenSpaceRequestRetractedEndsThen) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(90 * 60, "a long walk"), kRetractT0);
  const Event retract =
      pact.Write(pact.alice, RetractBody(ask.id, "changed my mind"), kRetractT0 + 10 * kOneMinute);
  const State state = pact.fold.View();
  const SpaceRequest& r = state.space_requests.at(0);
  EXPECT_EQ(r.end_ms, kRetractT0 + 10 * kOneMinute);
  EXPECT_EQ(r.ended_by, retract.id);
  ASSERT_TRUE(r.withdrawn.has_value());
  EXPECT_EQ(r.withdrawn->note, "changed my mind");
  EXPECT_TRUE(InSpaceNow(state, kRetractT0 + 20 * kOneMinute).empty());
}

TEST(FoldRetract, ARetractAfterTheSpaceEndedIsIgnored) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kRetractT0);
  const Event back = pact.Write(pact.alice, SpaceBackBody(ask.id), kRetractT0 + 10 * kOneMinute);
  pact.Write(pact.alice, RetractBody(ask.id), kRetractT0 + 20 * kOneMinute);  // after "back"
  const Event expired = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kRetractT0);
  pact.Write(pact.alice, RetractBody(expired.id),
             kRetractT0 + 2 * 60 * kOneMinute);  // after its end
  const State state = pact.fold.View();
  EXPECT_FALSE(state.space_requests.at(0).withdrawn.has_value());
  EXPECT_EQ(state.space_requests.at(0).ended_by, back.id);
  EXPECT_EQ(state.space_requests.at(0).end_ms, kRetractT0 + 10 * kOneMinute);
  EXPECT_FALSE(state.space_requests.at(1).withdrawn.has_value());
  EXPECT_EQ(state.space_requests.at(1).end_ms, kRetractT0 + 60 * kOneMinute);
}

TEST(FoldRetract, ARetractBeforeALaterBackEndsTheSpaceAtTheRetract) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kRetractT0);
  const Event retract = pact.Write(pact.alice, RetractBody(ask.id), kRetractT0 + 5 * kOneMinute);
  pact.Write(pact.alice, SpaceBackBody(ask.id), kRetractT0 + 30 * kOneMinute);
  const State state = pact.fold.View();
  const SpaceRequest& r = state.space_requests.at(0);
  EXPECT_EQ(r.end_ms, kRetractT0 + 5 * kOneMinute);
  EXPECT_EQ(r.ended_by, retract.id);
  EXPECT_TRUE(r.withdrawn.has_value());
}

TEST(FoldRetract, APartnersRetractDoesNotEndMySpace) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kRetractT0);
  pact.Write(pact.bob, RetractBody(ask.id), kRetractT0 + 5 * kOneMinute);
  const State state = pact.fold.View();
  const SpaceRequest& r = state.space_requests.at(0);
  EXPECT_EQ(r.end_ms, kRetractT0 + 60 * kOneMinute);
  EXPECT_FALSE(r.withdrawn.has_value());
}

TEST(FoldRetract, TheDigestIsTheSameInEveryDeliveryOrder) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need quiet"), kRetractT0);
  const Event ask = pact.Write(pact.bob, SpaceRequestBody(60 * 60), kRetractT0);
  pact.Write(pact.bob, SpaceBackBody(ask.id), kRetractT0 + 40 * kOneMinute);
  pact.Write(pact.bob, RetractBody(ask.id, "sorry"), kRetractT0 + 30 * kOneMinute);
  pact.Write(pact.bob, RetractBody(ask.id, "again"), kRetractT0 + 20 * kOneMinute);
  pact.Write(pact.alice, RetractBody(need.id, "done"), kRetractT0 + kOneMinute);
  pact.Write(pact.bob, RetractBody(need.id, "not his"), kRetractT0 + kOneMinute);
  const State expected = pact.fold.View();
  EXPECT_EQ(expected.space_requests.at(0).withdrawn->note, "again");  // the earliest
  EXPECT_EQ(expected.needs.at(0).withdrawn->note, "done");
  std::vector<Event> order = pact.written;
  std::mt19937_64 rng(13);
  for (int i = 0; i < kRetractShuffles; ++i) {
    std::shuffle(order.begin(), order.end(), rng);
    const State state = FoldInOrder(order);
    ASSERT_EQ(StateDigest(state), StateDigest(expected));
    ASSERT_EQ(state, expected);
  }
}

TEST(FoldRetract, AWithdrawalChangesTheDigest) {
  Pact pact;
  const Event need = pact.Write(pact.alice, NeedBody("I need quiet"));
  const Hash32 before = StateDigest(pact.fold.View());
  pact.Write(pact.alice, RetractBody(need.id));
  EXPECT_NE(StateDigest(pact.fold.View()), before);
}

}  // namespace
}  // namespace accord::state
