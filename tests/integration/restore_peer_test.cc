// Restore from a backup, pinned with a hand-made peer: a partner (here this test holding
// Alice's key) whose Hello says it holds more of Bob's own feed than Bob's store makes Bob
// refuse every write, deterministically, for as long as he has not caught up; `status` says
// why. The partner never sends those entries here, so the refusal cannot race the catch-up.
#include <string>

#include "crypto/random.h"
#include "tests/integration/peer_attack_fixture.h"

namespace accord::testing {
namespace {

using RestorePeerTest = PeerAttackTest;

TEST_F(RestorePeerTest, APeerHoldingMoreOfOurOwnFeedHoldsEveryWriteUntilWeCatchUp) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  Ok(bob, {"need", "add", "I need one"});
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); })) << bob.daemon->Log();
  const crypto::DeviceIdentity alice_id = Identity(alice);
  StopPeer(bob, alice);

  const std::string bob_key_hex = Json(bob, {"status"})["status"]["device_key"];
  const std::optional<Bytes> bob_key = FromHex(bob_key_hex);
  ASSERT_TRUE(bob_key && bob_key->size() == 32);
  const uint64_t bob_entries = Entries(bob);  // every feed Bob holds: more than his own

  RawSession s = Handshake(bob, alice_id.dh, pact);
  ASSERT_TRUE(s.ok);
  proto::PeerMessage hello = Hello();
  proto::FeedHeadMsg* head = hello.mutable_hello()->add_heads();
  head->set_author(bob_key->data(), bob_key->size());
  const uint64_t claimed = bob_entries + 5;  // more than any of Bob's own feed
  head->set_seq(claimed);
  Bytes id(32);
  crypto::RandomBytes(id);
  head->set_head_id(id.data(), id.size());
  ASSERT_TRUE(s.Send(hello));
  std::optional<proto::PeerMessage> reply = s.Read();
  ASSERT_TRUE(reply && reply->has_hello()) << bob.daemon->Log();

  CommandResult write = bob.daemon->Accord({"need", "add", "I need two"});
  EXPECT_EQ(write.exit_code, 5) << write.out << write.err;
  EXPECT_NE(write.err.find("restored from an older copy"), std::string::npos) << write.err;
  EXPECT_NE(write.err.find("up to seq " + std::to_string(claimed)), std::string::npos) << write.err;
  EXPECT_NE(write.err.find("try again in a moment"), std::string::npos) << write.err;
  const nlohmann::json status = Json(bob, {"status"});
  EXPECT_NE(status["status"]["writes_refused"].get<std::string>().find("catching up"),
            std::string::npos)
      << status.dump();
  EXPECT_NE(Ok(bob, {"status"}).find("WRITES REFUSED"), std::string::npos);
  // Nothing was written; other commands still work.
  EXPECT_EQ(Entries(bob), bob_entries);
  EXPECT_EQ(bob.daemon->Accord({"needs"}).exit_code, 0);
}

}  // namespace
}  // namespace accord::testing
