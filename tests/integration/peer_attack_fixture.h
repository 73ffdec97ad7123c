// A pact of real daemons on loopback plus the means to attack it: reading a device's key
// file (same user, as a thief of the file could), handshaking as that device by hand, and
// stopping the real device first so the impostor is not raced by it. Shared by the sync
// security and idle-timeout tests.
#ifndef ACCORD_TESTS_INTEGRATION_PEER_ATTACK_FIXTURE_H_
#define ACCORD_TESTS_INTEGRATION_PEER_ATTACK_FIXTURE_H_

#include <chrono>
#include <string>

#include "crypto/key_file.h"
#include "tests/integration/pact_fixture.h"
#include "tests/integration/raw_peer.h"

namespace accord::testing {

using Clock = std::chrono::steady_clock;

class PeerAttackTest : public PactTest {
 protected:
  uint64_t Entries(const Person& p) {
    return std::stoull(Json(p, {"status"})["status"]["entries"].get<std::string>());
  }
  // `p` still serves and holds exactly what it held.
  void ExpectUnchanged(const Person& p, uint64_t entries, const std::string& digest) {
    EXPECT_EQ(p.daemon->Accord({"status"}).exit_code, 0) << p.name;
    EXPECT_EQ(Entries(p), entries) << p.name;
    EXPECT_EQ(Digest(p), digest) << p.name;
  }
  std::string PeerState(const Person& p, const std::string& name) {
    const nlohmann::json peers = Json(p, {"peers"});  // not a temporary: it is iterated
    for (const auto& v : peers["peers"]["peers"])
      if (v["name"] == name) return v["state"];
    return "absent";
  }
  crypto::DeviceIdentity Identity(const Person& p) {
    Result<crypto::DeviceIdentity> id =
        crypto::ReadKeyFile(p.daemon->home() / "keys" / "device.key");
    EXPECT_TRUE(id.ok()) << p.name;  // a stand-in key then makes the test fail, not crash
    return id.ok() ? std::move(*id) : crypto::DeviceIdentity::Generate();
  }
  static log::PactId PactOf(const PairResult& pair) {
    std::optional<Bytes> b = FromHex(pair.join["join"]["pact_id"].get<std::string>());
    log::PactId pact{};
    EXPECT_TRUE(b && b->size() == pact.size()) << pair.join.dump();
    if (b && b->size() == pact.size()) std::copy(b->begin(), b->end(), pact.begin());
    return pact;
  }
  // Alice and Bob, paired and synced; returns the pact.
  log::PactId PairAndSync(Person& alice, Person& bob) {
    PairResult pair = Pair(alice, bob);
    EXPECT_EQ(pair.join_exit, 0) << pair.join_err << alice.daemon->Log() << bob.daemon->Log();
    EXPECT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }, 60)) << bob.daemon->Log();
    EXPECT_TRUE(WaitFor([&] { return PeerState(alice, bob.name) == "PEER_STATE_CONNECTED"; }));
    return PactOf(pair);
  }

  // Stops the real `device` and waits until `at` has let go of its connection, so an
  // impostor with its key is not raced by it (of two sessions with one device, one is
  // dropped: the impostor, or the real device; neither is what these tests are about).
  void StopPeer(Person& at, Person& device) {
    EXPECT_EQ(device.daemon->Stop(), 0);
    EXPECT_TRUE(WaitFor([&] { return PeerState(at, device.name) != "PEER_STATE_CONNECTED"; }));
  }

  RawSession Handshake(const Person& to, const crypto::DhKeyPair& me, const log::PactId& pact) {
    return testing::Handshake(to.address, Identity(to).dh.public_key(), me, pact);
  }
  RawSession Established(const Person& to, const crypto::DhKeyPair& me, const log::PactId& pact) {
    return testing::Established(to.address, Identity(to).dh.public_key(), me, pact);
  }
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_PEER_ATTACK_FIXTURE_H_
