// Space requests in the fold: start, end, early return, acknowledgements.
#include <gtest/gtest.h>

#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

constexpr int64_t kStart = 1'700'000'000'000;  // ms
constexpr int64_t kMinute = 60'000;            // ms

TEST(Fold, ASpaceRequestLastsItsDuration) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(90 * 60, "a long walk"), kStart);
  const State state = pact.fold.View();
  ASSERT_EQ(state.space_requests.size(), 1u);
  const SpaceRequest& r = state.space_requests[0];
  EXPECT_EQ(r.by.id, ask.id);
  EXPECT_EQ(r.by.member, pact.alice);
  EXPECT_EQ(r.start_ms, kStart);
  EXPECT_EQ(r.end_ms, kStart + 90 * kMinute);
  EXPECT_EQ(r.message, "a long walk");
  EXPECT_FALSE(r.ended_by.has_value());
}

TEST(Fold, SpaceBackEndsOwnSpaceEarly) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(90 * 60), kStart);
  const Event back = pact.Write(pact.alice, SpaceBackBody(ask.id), kStart + 30 * kMinute);
  const State state = pact.fold.View();
  EXPECT_EQ(state.space_requests[0].end_ms, kStart + 30 * kMinute);
  EXPECT_EQ(state.space_requests[0].ended_by, back.id);
}

TEST(Fold, TheEarliestSpaceBackEndsIt) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(90 * 60), kStart);
  pact.Write(pact.alice, SpaceBackBody(ask.id), kStart + 50 * kMinute);
  const Event first = pact.Write(pact.alice, SpaceBackBody(ask.id), kStart + 20 * kMinute);
  EXPECT_EQ(pact.fold.View().space_requests[0].end_ms, kStart + 20 * kMinute);
  EXPECT_EQ(pact.fold.View().space_requests[0].ended_by, first.id);
}

TEST(Fold, ASpaceBackAfterTheEndChangesNothing) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kStart);
  pact.Write(pact.alice, SpaceBackBody(ask.id), kStart + 2 * 60 * kMinute);
  EXPECT_EQ(pact.fold.View().space_requests[0].end_ms, kStart + 60 * kMinute);
  EXPECT_FALSE(pact.fold.View().space_requests[0].ended_by.has_value());
}

TEST(Fold, SpaceBackByAnotherMemberDoesNothing) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(90 * 60), kStart);
  pact.Write(pact.bob, SpaceBackBody(ask.id), kStart + 10 * kMinute);
  const State state = pact.fold.View();
  EXPECT_EQ(state.space_requests[0].end_ms, kStart + 90 * kMinute);
  EXPECT_FALSE(state.space_requests[0].ended_by.has_value());
}

TEST(Fold, AcksFromOtherMembersAreListed) {
  Pact pact;
  const Event ask = pact.Write(pact.alice, SpaceRequestBody(60 * 60), kStart);
  pact.Write(pact.alice, SpaceAckBody(ask.id, "acking myself"));
  const Event ack = pact.Write(pact.bob, SpaceAckBody(ask.id, "enjoy"));
  const State state = pact.fold.View();
  ASSERT_EQ(state.space_requests[0].acks.size(), 1u);
  EXPECT_EQ(state.space_requests[0].acks[0].by.id, ack.id);
  EXPECT_EQ(state.space_requests[0].acks[0].by.member, pact.bob);
  EXPECT_EQ(state.space_requests[0].acks[0].note, "enjoy");
}

TEST(Fold, AnAckThatArrivesBeforeItsRequestIsKept) {
  Pact pact;
  const Event ask = pact.history.Write(pact.alice, SpaceRequestBody(60 * 60), kStart);
  pact.Write(pact.bob, SpaceAckBody(ask.id));
  EXPECT_TRUE(pact.fold.View().space_requests.empty());
  pact.fold.Apply(ask);
  EXPECT_EQ(pact.fold.View().space_requests[0].acks.size(), 1u);
}

}  // namespace
}  // namespace accord::state
