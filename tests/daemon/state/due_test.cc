#include "daemon/state/due.h"

#include <gtest/gtest.h>

#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int64_t kT0 = 1'700'000'000'000;  // ms
constexpr int64_t kHour = 3'600'000;        // ms
constexpr int64_t kWeekS = 7 * 24 * 3600;   // s
constexpr int64_t kWeek = kWeekS * 1000;    // ms

// An agreement with a weekly review: proposed by Alice at kT0, accepted by Bob 2 hours later.
struct Reviewed {
  Reviewed() {
    v1 = pact.Write(pact.alice, ProposalBody("walks", kWeekS), kT0);
    pact.Write(pact.bob, AcceptBody(v1.id, v1.id), kT0 + 2 * kHour);
  }
  Pact pact;
  Event v1;
};

TEST(Due, AReviewIsDueExactlyAtTheCadenceAfterActivationAndNotBefore) {
  Reviewed r;
  const State state = r.pact.fold.View();
  const int64_t activated = kT0 + 2 * kHour;  // the last acceptance
  EXPECT_TRUE(Due(state, activated + kWeek - 1).empty());
  const auto due = Due(state, activated + kWeek);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].agreement, r.v1.id);
  EXPECT_EQ(due[0].version, r.v1.id);
  EXPECT_EQ(due[0].last_review_ms, activated);
  EXPECT_EQ(due[0].due_ms, activated + kWeek);
  EXPECT_EQ(due[0].overdue_ms, 0);
  EXPECT_EQ(Due(state, activated + kWeek + 5 * kHour)[0].overdue_ms, 5 * kHour);
}

TEST(Due, ACheckInAboutTheAgreementResetsTheReview) {
  Reviewed r;
  const int64_t check_in = kT0 + 3 * 24 * kHour;
  r.pact.Write(r.pact.alice, CheckInBody(4, r.v1.id, "going well"), check_in);
  const State state = r.pact.fold.View();
  EXPECT_TRUE(Due(state, kT0 + 2 * kHour + kWeek).empty());
  EXPECT_TRUE(Due(state, check_in + kWeek - 1).empty());
  ASSERT_EQ(Due(state, check_in + kWeek).size(), 1u);
  EXPECT_EQ(Due(state, check_in + kWeek)[0].last_review_ms, check_in);
}

TEST(Due, ACheckInAboutSomethingElseDoesNotResetTheReview) {
  Reviewed r;
  r.pact.Write(r.pact.alice, CheckInBody(4), kT0 + 3 * 24 * kHour);
  const Event other = r.pact.Write(r.pact.bob, ProposalBody("dishes"), kT0);
  r.pact.Write(r.pact.alice, CheckInBody(2, other.id), kT0 + 4 * 24 * kHour);
  EXPECT_EQ(Due(r.pact.fold.View(), kT0 + 2 * kHour + kWeek).size(), 1u);
}

TEST(Due, PendingRetiredAndCadenceFreeAgreementsAreNeverDue) {
  Pact pact;
  pact.Write(pact.alice, ProposalBody("pending", kWeekS), kT0);
  const Event free = pact.Write(pact.alice, ProposalBody("no cadence"), kT0);
  pact.Write(pact.bob, AcceptBody(free.id, free.id), kT0);
  const Event retired = pact.Write(pact.alice, ProposalBody("retired", kWeekS), kT0);
  pact.Write(pact.bob, AcceptBody(retired.id, retired.id), kT0);
  ASSERT_EQ(Due(pact.fold.View(), kT0 + 10 * kWeek).size(), 1u);  // only "retired", for now
  pact.Write(pact.bob, RetireBody(retired.id), kT0);
  EXPECT_TRUE(Due(pact.fold.View(), kT0 + 10 * kWeek).empty());
}

TEST(Due, TheCadenceOfTheLatestActiveVersionApplies) {
  Reviewed r;
  const Event v2 =
      r.pact.Write(r.pact.bob, CounterBody(r.v1.id, r.v1.id, "daily", 86400), kT0 + 24 * kHour);
  r.pact.Write(r.pact.alice, AcceptBody(r.v1.id, v2.id), kT0 + 25 * kHour);
  const auto due = Due(r.pact.fold.View(), kT0 + 49 * kHour);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].version, v2.id);
  EXPECT_EQ(due[0].due_ms, kT0 + 49 * kHour);
}

TEST(InSpaceNow, ListsRequestsThatHaveStartedAndNotEnded) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(3600), kT0);
  const State state = pact.fold.View();
  EXPECT_TRUE(InSpaceNow(state, kT0 - 1).empty());
  ASSERT_EQ(InSpaceNow(state, kT0).size(), 1u);
  EXPECT_EQ(InSpaceNow(state, kT0)[0].by.id, ask.id);
  EXPECT_EQ(InSpaceNow(state, kT0 + kHour - 1).size(), 1u);
  EXPECT_TRUE(InSpaceNow(state, kT0 + kHour).empty());
  pact.Write(pact.alice, SpaceBackBody(ask.id), kT0 + kHour / 2);
  EXPECT_TRUE(InSpaceNow(pact.fold.View(), kT0 + kHour / 2).empty());
}

}  // namespace
}  // namespace accord::state
