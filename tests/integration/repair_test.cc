// A damaged row is damage, not a silent loss: `log --verify` names it, `status` shows it,
// it is repaired from a peer holding an intact copy without anyone doing anything, and one
// damaged entry never stops the rest of a feed from syncing either way.
#include "tests/integration/ipc_pipe.h"
#include "tests/integration/pact_fixture.h"
#include "tests/integration/store_damage.h"

namespace accord::testing {
namespace {

class RepairTest : public PactTest {
 protected:
  size_t Needs(const Person& p) {
    nlohmann::json j = Json(p, {"needs", "--all"});
    return j["notes"].contains("notes") ? j["notes"]["notes"].size() : 0;
  }
  nlohmann::json Status(const Person& p) { return Json(p, {"status"})["status"]; }
  size_t DamagedCount(const Person& p) {
    nlohmann::json s = Status(p);
    return s.contains("damaged") ? s["damaged"].size() : 0;
  }
  std::filesystem::path Database(const Person& p) { return p.daemon->home() / "accord.db"; }
  // Restarts a stopped person on the address it listened on before, so that remembered
  // addresses stay valid.
  void StartAgain(Person& p) {
    p.daemon =
        std::make_unique<Daemon>(p.daemon->home(), std::vector<std::string>{"--listen", p.address});
    ASSERT_TRUE(p.daemon->Start()) << p.daemon->Log();
  }
  void Pair2(Person& alice, Person& bob) {
    ASSERT_EQ(Pair(alice, bob).join_exit, 0);
    ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); })) << bob.daemon->Log();
  }
};

TEST_F(RepairTest, ADamagedBodyIsReportedThenRepairedFromThePartnerAndSyncGoesOn) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Pair2(alice, bob);
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    ids.push_back(
        Json(alice, {"need", "add", "need number " + std::to_string(i)})["written"]["id"]);
  }
  ASSERT_TRUE(WaitFor([&] { return Needs(bob) == 30; })) << bob.daemon->Log();

  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_EQ(bob.daemon->Stop(), 0);
  const std::string& victim = ids[17];
  ASSERT_TRUE(FlipStoredByte(Database(bob), victim, "sealed_body", 9));

  // Alone, Bob reports the damage: log --verify fails naming the entry, status lists it.
  StartAgain(bob);
  CommandResult verify = bob.daemon->Accord({"log", "--verify"});
  EXPECT_NE(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.err.find("accord: error:"), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find(victim.substr(0, 8)), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("body"), std::string::npos) << verify.err;
  nlohmann::json damaged = Status(bob)["damaged"];
  ASSERT_EQ(damaged.size(), 1u);
  EXPECT_EQ(damaged[0]["id"], victim);
  EXPECT_EQ(damaged[0]["damage"], "DAMAGE_BODY");
  EXPECT_NE(bob.daemon->Accord({"status"}).out.find("DAMAGED"), std::string::npos);
  EXPECT_EQ(Needs(bob), 29u);

  // A watch on Bob's side, registered for sure once it shows his own next entry.
  RawIpc watch(bob.daemon->socket());
  proto::Request request;
  request.set_protocol(1);
  request.mutable_watch();
  ASSERT_TRUE(watch.Send(request));
  Ok(bob, {"need", "add", "bob while alice is away"});
  std::optional<proto::Response> event = watch.Read();
  ASSERT_TRUE(event && event->has_event()) << bob.daemon->Log();
  EXPECT_EQ(event->event().kind(), proto::ENTRY_KIND_NEED);

  // With Alice back, the body is repaired from her copy without any command.
  StartAgain(alice);
  ASSERT_TRUE(WaitFor([&] { return DamagedCount(bob) == 0; })) << bob.daemon->Log();
  EXPECT_EQ(Status(bob)["repaired"], "1");
  EXPECT_EQ(Needs(bob), 31u);
  bool repaired_shown = false;
  for (int i = 0; i < 20 && !repaired_shown; ++i) {  // the repaired need, then the repair
    event = watch.Read();
    if (!event) break;
    repaired_shown =
        event->event().kind() == proto::ENTRY_KIND_REPAIRED && event->event().id() == victim;
  }
  EXPECT_TRUE(repaired_shown);
  CommandResult clean = bob.daemon->Accord({"--json", "log", "--verify"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;

  // Both directions keep syncing.
  Ok(alice, {"need", "add", "after the repair, from alice"});
  Ok(bob, {"need", "add", "after the repair, from bob"});
  ASSERT_TRUE(WaitFor([&] { return Needs(bob) == 33 && Needs(alice) == 33; }))
      << alice.daemon->Log() << bob.daemon->Log();
  EXPECT_EQ(Digest(alice), Digest(bob));
}

TEST_F(RepairTest, AnEntryDamagedBeforeItWasSentGoesHeaderOnlyAndTheRestOfTheFeedFollows) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Pair2(alice, bob);
  ASSERT_EQ(bob.daemon->Stop(), 0);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(
        Json(alice, {"need", "add", "written alone " + std::to_string(i)})["written"]["id"]);
  }
  ASSERT_EQ(alice.daemon->Stop(), 0);
  const std::string& victim = ids[4];  // Bob never received it; nobody holds a good copy
  ASSERT_TRUE(FlipStoredByte(Database(alice), victim, "sealed_body", 30));
  StartAgain(alice);
  StartAgain(bob);

  // Everything after the damaged entry arrives; the damaged one comes as its signed header.
  const std::string alice_entries = Status(alice)["entries"];
  ASSERT_TRUE(WaitFor([&] { return Status(bob)["entries"] == alice_entries; }))
      << bob.daemon->Log() << alice.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Needs(bob) == 19; })) << bob.daemon->Log();
  nlohmann::json on_alice = Status(alice)["damaged"];
  ASSERT_EQ(on_alice.size(), 1u);
  EXPECT_EQ(on_alice[0]["damage"], "DAMAGE_BODY");
  nlohmann::json on_bob = Status(bob)["damaged"];
  ASSERT_EQ(on_bob.size(), 1u);
  EXPECT_EQ(on_bob[0]["id"], victim);
  EXPECT_EQ(on_bob[0]["damage"], "DAMAGE_MISSING_BODY");
  EXPECT_NE(bob.daemon->Accord({"log", "--verify"}).exit_code, 0);

  // And the other direction, and new entries after it, still flow.
  Ok(bob, {"need", "add", "bob writes after the damage"});
  Ok(alice, {"need", "add", "alice writes after the damage"});
  ASSERT_TRUE(WaitFor([&] { return Needs(alice) == 21 && Needs(bob) == 21; }))
      << alice.daemon->Log() << bob.daemon->Log();
  EXPECT_EQ(Digest(alice), Digest(bob));
}

// Nobody ran --verify: the partner refuses the batch once, which makes the sender check what
// it had sent and find the damage. A signature of one's own entry is simply made again
// (Ed25519 is deterministic), so the whole feed then arrives.
TEST_F(RepairTest, AnOwnDamagedSignatureIsFoundWhenThePartnerRefusesItAndIsSignedAgain) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Pair2(alice, bob);
  ASSERT_EQ(bob.daemon->Stop(), 0);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Json(alice, {"need", "add", "signed " + std::to_string(i)})["written"]["id"]);
  }
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(FlipStoredByte(Database(alice), ids[2], "signature", 5));
  StartAgain(alice);
  CommandResult verify = alice.daemon->Accord({"log", "--verify"});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_NE(verify.err.find(ids[2].substr(0, 8)), std::string::npos) << verify.err;
  EXPECT_NE(verify.err.find("header"), std::string::npos) << verify.err;
  ASSERT_TRUE(WaitFor([&] { return Status(alice)["repaired"] == "1"; })) << alice.daemon->Log();
  EXPECT_EQ(alice.daemon->Accord({"log", "--verify"}).exit_code, 0);

  // Damaged again, and this time found only when Bob refuses it.
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(FlipStoredByte(Database(alice), ids[3], "signature", 7));
  StartAgain(alice);
  StartAgain(bob);
  ASSERT_TRUE(WaitFor([&] { return Needs(bob) == 5; })) << bob.daemon->Log();
  EXPECT_EQ(DamagedCount(alice), 0u);
  EXPECT_EQ(Status(alice)["repaired"], "1");
  Ok(bob, {"need", "add", "bob still syncs"});
  ASSERT_TRUE(WaitFor([&] { return Needs(alice) == 6; })) << alice.daemon->Log();
  EXPECT_EQ(Digest(alice), Digest(bob));
}

// Someone else's entry with a damaged signature, held by nobody else: never sent (it would
// be refused), and the rest of the pact keeps syncing.
TEST_F(RepairTest, AnothersDamagedSignatureIsNeverSentAndOtherFeedsKeepSyncing) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  Pair2(alice, bob);
  ASSERT_EQ(Pair(alice, carol, nullptr, /*share_history=*/true).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] {
    return Digest(alice) == Digest(carol) && Digest(bob) == Digest(alice);
  })) << carol.daemon->Log();
  // Carol is away; Bob writes to Alice only; Alice's copy of one of them is then damaged.
  ASSERT_EQ(carol.daemon->Stop(), 0);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(Json(bob, {"need", "add", "from bob " + std::to_string(i)})["written"]["id"]);
  }
  ASSERT_TRUE(WaitFor([&] { return Needs(alice) == 3; }));
  ASSERT_EQ(bob.daemon->Stop(), 0);
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(FlipStoredByte(Database(alice), ids[1], "signature", 9));
  StartAgain(alice);
  ASSERT_NE(alice.daemon->Accord({"log", "--verify"}).exit_code, 0);
  StartAgain(carol);
  ASSERT_TRUE(WaitFor([&] { return Needs(carol) == 1; })) << carol.daemon->Log();
  Ok(alice, {"need", "add", "alice after the damage"});
  ASSERT_TRUE(WaitFor([&] { return Needs(carol) == 2; })) << carol.daemon->Log();
  EXPECT_EQ(carol.daemon->Log().find("rejected a batch"), std::string::npos) << carol.daemon->Log();
  // Bob, back, repairs Alice's copy from his own, and Carol then gets the rest.
  StartAgain(bob);
  ASSERT_TRUE(WaitFor([&] { return DamagedCount(alice) == 0; })) << alice.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Needs(carol) == 4; })) << carol.daemon->Log();
}

}  // namespace
}  // namespace accord::testing
