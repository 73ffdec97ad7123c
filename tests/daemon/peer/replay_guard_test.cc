// ReplayGuard: per initiator, only strictly newer msg1 timestamps pass.
#include "daemon/peer/replay_guard.h"

#include <gtest/gtest.h>

#include "tests/daemon/peer/peer_test_util.h"

namespace accord::peer {
namespace {

crypto::DhPublicKey SomeKey() { return crypto::DhKeyPair::Generate().public_key(); }

TEST(ReplayGuard, FirstTimestampFromAnInitiatorIsAccepted) {
  ReplayGuard guard;
  EXPECT_TRUE(guard.Accept(SomeKey(), Tai64nFromUnixNanos(5)));
  EXPECT_EQ(guard.size(), 1u);
}

TEST(ReplayGuard, SameTimestampAgainIsRefused) {
  ReplayGuard guard;
  const crypto::DhPublicKey alice = SomeKey();
  ASSERT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(1'000)));
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(1'000)));
}

TEST(ReplayGuard, OlderTimestampIsRefusedAndNewerAccepted) {
  ReplayGuard guard;
  const crypto::DhPublicKey alice = SomeKey();
  ASSERT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(2'000'000'000)));
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(1'999'999'999)));
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(0)));
  EXPECT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(2'000'000'001)));
  // The newest accepted one is now the bar.
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(2'000'000'001)));
  EXPECT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(3'000'000'000)));
}

TEST(ReplayGuard, RefusedTimestampDoesNotLowerTheBar) {
  ReplayGuard guard;
  const crypto::DhPublicKey alice = SomeKey();
  ASSERT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(100)));
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(10)));
  EXPECT_FALSE(guard.Accept(alice, Tai64nFromUnixNanos(50)));
  EXPECT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(101)));
}

TEST(ReplayGuard, InitiatorsAreIndependent) {
  ReplayGuard guard;
  const crypto::DhPublicKey alice = SomeKey();
  const crypto::DhPublicKey bob = SomeKey();
  ASSERT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(1'000)));
  // Bob's clock is behind Alice's; that must not lock him out.
  EXPECT_TRUE(guard.Accept(bob, Tai64nFromUnixNanos(10)));
  EXPECT_FALSE(guard.Accept(bob, Tai64nFromUnixNanos(10)));
  EXPECT_TRUE(guard.Accept(alice, Tai64nFromUnixNanos(1'001)));
  EXPECT_TRUE(guard.Accept(bob, Tai64nFromUnixNanos(11)));
  EXPECT_EQ(guard.size(), 2u);
}

// The whole path: IK msg1 can be replayed to the responder (it still decrypts), and the
// guard is what turns the copy away.
TEST(ReplayGuard, ReplayedMessage1DecryptsAgainButIsRefused) {
  const crypto::DhKeyPair alice = crypto::DhKeyPair::Generate();
  const crypto::DhKeyPair bob = crypto::DhKeyPair::Generate();
  const log::PactId pact = testing::RandomPact();
  ReplayGuard guard;

  Result<SyncInitiator> initiator = SyncInitiator::Create(alice, bob.public_key(), pact);
  ASSERT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(1'700'000'000'000'000'000));
  ASSERT_TRUE(m1.ok());

  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<SyncResponder> responder = SyncResponder::Create(bob, pact);
    ASSERT_TRUE(responder.ok());
    Result<SyncResponder::Message1> read = responder->ReadMessage1(*m1);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(guard.Accept(read->initiator, read->timestamp), attempt == 0);
  }

  // A fresh handshake from the same device one nanosecond later is accepted.
  Result<SyncInitiator> again = SyncInitiator::Create(alice, bob.public_key(), pact);
  ASSERT_TRUE(again.ok());
  Result<Bytes> fresh = again->WriteMessage1(Tai64nFromUnixNanos(1'700'000'000'000'000'001));
  ASSERT_TRUE(fresh.ok());
  Result<SyncResponder> responder = SyncResponder::Create(bob, pact);
  ASSERT_TRUE(responder.ok());
  Result<SyncResponder::Message1> read = responder->ReadMessage1(*fresh);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(guard.Accept(read->initiator, read->timestamp));
}

}  // namespace
}  // namespace accord::peer
