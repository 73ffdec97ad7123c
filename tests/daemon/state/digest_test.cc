#include "daemon/state/digest.h"

#include <gtest/gtest.h>

#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state {
namespace {

using namespace testing;  // NOLINT: the body factories read best unqualified

TEST(StateDigest, ReflectionsDoNotChangeTheDigest) {
  Pact with;
  Pact without;
  for (Pact* p : {&with, &without}) p->Write(p->alice, NeedBody("a quiet hour"));
  with.Write(with.alice, ReflectionBody("I felt unheard today"));
  ASSERT_EQ(with.fold.View().reflections.size(), 1u);
  EXPECT_NE(with.fold.View(), without.fold.View());
  EXPECT_EQ(StateDigest(with.fold.View()), StateDigest(without.fold.View()));
}

TEST(StateDigest, SharedContentChangesTheDigest) {
  Pact pact;
  const Hash32 empty = StateDigest(pact.fold.View());
  const Event v1 = pact.Write(pact.alice, ProposalBody("walks"));
  const Hash32 proposed = StateDigest(pact.fold.View());
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  const Hash32 accepted = StateDigest(pact.fold.View());
  pact.fold.Freeze(pact.bob, 10);  // nothing excluded, but the fork is part of the state
  const Hash32 frozen = StateDigest(pact.fold.View());
  EXPECT_NE(empty, proposed);
  EXPECT_NE(proposed, accepted);
  EXPECT_NE(accepted, frozen);
}

TEST(StateDigest, TextBoundariesCannotBeShifted) {
  // Length prefixes keep "ab" + "c" apart from "a" + "bc".
  Pact one;
  Pact two;
  one.Write(one.alice, BoundaryBody("ab"));
  one.Write(one.alice, NeedBody("c"));
  two.Write(two.alice, BoundaryBody("a"));
  two.Write(two.alice, NeedBody("bc"));
  EXPECT_NE(StateDigest(one.fold.View()), StateDigest(two.fold.View()));
}

TEST(StateDigest, IsTheSameForTheSameStateBuiltInAnotherOrder) {
  Pact pact;
  const Event v1 = pact.Write(pact.alice, ScheduledProposalBody("tuesdays"));
  pact.Write(pact.bob, AcceptBody(v1.id, v1.id));
  pact.Write(pact.bob, CheckInBody(5, v1.id, "lovely"));
  pact.Write(pact.alice, AppreciationBody("thank you"));
  Fold reversed;
  for (auto it = pact.written.rbegin(); it != pact.written.rend(); ++it) reversed.Apply(*it);
  EXPECT_EQ(StateDigest(reversed.View()), StateDigest(pact.fold.View()));
}

}  // namespace
}  // namespace accord::state
