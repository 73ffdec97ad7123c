// Quiet sessions over two minutes of real time (SECURITY §4.3): a peer that says nothing is
// cut off by the 120 s idle timeout, while two real daemons with nothing to sync keep their
// one session alive with keepalives. Label "slow": it waits out the real timeout.
#include <chrono>
#include <string>

#include "daemon/net/sync_connection.h"
#include "tests/integration/peer_attack_fixture.h"

namespace accord::testing {
namespace {

using SyncIdleTest = PeerAttackTest;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_F(SyncIdleTest, ASilentPeerIsCutOffWhileKeepalivesHoldAQuietSessionOpen) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  const log::PactId pact = PairAndSync(alice, bob);
  PairResult third = Pair(alice, carol, nullptr, /*share_history=*/true);
  ASSERT_EQ(third.join_exit, 0) << third.join_err;
  ASSERT_TRUE(WaitFor([&] { return Digest(carol) == Digest(alice); }, 60));
  const std::string bob_device = Json(bob, {"status"})["status"]["device_key"];
  const std::string bob_connected = "sync: connected with device " + bob_device.substr(0, 8);
  const size_t bob_sessions = Count(alice.daemon->Log(), bob_connected);
  ASSERT_GE(bob_sessions, 1u);

  // Carol's key in a silent impostor: her Hello, then nothing, not even keepalives.
  const crypto::DeviceIdentity as_carol = Identity(carol);
  StopPeer(alice, carol);
  RawSession silent = Established(alice, as_carol.dh, pact);
  ASSERT_TRUE(silent.ok);
  const auto start = Clock::now();
  int keepalives = 0;
  const auto give_up = start + daemon::kIdleTimeout + std::chrono::seconds(kCloseWaitSeconds);
  while (Clock::now() < give_up) {
    std::optional<proto::PeerMessage> m = silent.Read();
    if (!m) {
      if (silent.conn->closed()) break;
      continue;
    }
    if (m->has_keepalive()) ++keepalives;
  }
  ASSERT_TRUE(silent.conn->closed()) << "a silent session outlived the idle timeout";
  EXPECT_GE(Clock::now() - start, daemon::kIdleTimeout - std::chrono::seconds(1));
  EXPECT_GE(keepalives, 2);  // Alice kept telling the silent peer she was there

  // Meanwhile Alice and Bob, with nothing to say, kept their one session.
  EXPECT_EQ(PeerState(alice, "bob"), "PEER_STATE_CONNECTED");
  EXPECT_EQ(Count(alice.daemon->Log(), bob_connected), bob_sessions) << alice.daemon->Log();
  Ok(bob, {"need", "add", "I need a quiet evening after travel"});
  EXPECT_TRUE(WaitFor(
      [&] { return Json(alice, {"needs"}).dump().find("quiet evening") != std::string::npos; }));
}

}  // namespace
}  // namespace accord::testing
