// Leaving a pact (SPEC §4 "Leaving", §6 `leave`, `device remove`): two real daemons on
// loopback, paired with the real client. Alice leaves while Bob's daemon is down; Bob learns
// of it when he comes back, rotates the pact key, and nothing he writes afterwards reaches
// Alice's device.
#include <iostream>
#include <set>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

std::string MemberField(const nlohmann::json& status, const std::string& name, const char* field) {
  for (const nlohmann::json& m : status["status"]["members"])
    if (m["name"] == name) return m.contains(field) ? m[field].dump() : "";
  return "";
}

TEST_F(PactTest, ALeaverKeepsAReadOnlyCopyAndReceivesNothingWrittenAfterItsLeave) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Ok(alice, {"need", "add", "alice's need from before"});
  PairResult paired = Pair(alice, bob);
  ASSERT_EQ(paired.join_exit, 0) << paired.join_err;
  ASSERT_TRUE(WaitFor([&] {
    return Json(bob, {"needs"}).dump().find("alice's need from before") != std::string::npos;
  })) << bob.daemon->Log();
  const std::string bob_key = Json(bob, {"status"})["status"]["device_key"];
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"status"})["status"]["members"].size() == 2; }));

  // Another person's device is not Alice's to remove.
  CommandResult removed = alice.daemon->Accord({"device", "remove", bob_key.substr(0, 8)});
  EXPECT_EQ(removed.exit_code, 5) << removed.err;
  EXPECT_NE(removed.err.find("your own devices"), std::string::npos) << removed.err;

  ASSERT_EQ(bob.daemon->Stop(), 0) << bob.daemon->Log();

  // Not a terminal and no --yes: nothing is written.
  CommandResult unasked = alice.daemon->Accord({"leave"});
  EXPECT_EQ(unasked.exit_code, 2) << unasked.err;
  EXPECT_NE(unasked.err.find("--yes"), std::string::npos) << unasked.err;
  CommandResult left = alice.daemon->Accord({"leave", "--yes"});
  ASSERT_EQ(left.exit_code, 0) << left.err << alice.daemon->Log();

  CommandResult refused = alice.daemon->Accord({"need", "add", "after leaving"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_NE(refused.err.find("you left this pact on"), std::string::npos) << refused.err;
  EXPECT_NE(Json(alice, {"status"})["status"]["writes_refused"].get<std::string>().find("left"),
            std::string::npos);
  CommandResult exported = alice.daemon->Accord({"export", "--format", "json"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("alice's need from before"), std::string::npos) << exported.out;

  // Bob comes back: he learns of the leave from Alice's device, which still syncs.
  ASSERT_TRUE(bob.daemon->Start()) << bob.daemon->Log();
  ASSERT_TRUE(WaitFor([&] {
    return MemberField(Json(bob, {"status"}), "alice", "left") == "true";
  })) << bob.daemon->Log()
      << alice.daemon->Log();
  const std::string need = Json(bob, {"need", "add", "bob's need after she left"})["written"]["id"];

  // His write rotated the key first: an EpochStart by Bob, then the need.
  nlohmann::json bob_log = Json(bob, {"log"});
  int start_seq = -1;
  int need_seq = -1;
  for (const nlohmann::json& e : bob_log["log"]["entries"]) {
    if (e["author"] != bob_key) continue;
    if (e["kind"] == "ENTRY_KIND_EPOCH_START") start_seq = std::stoi(e["seq"].get<std::string>());
    if (e["id"] == need) need_seq = std::stoi(e["seq"].get<std::string>());
  }
  ASSERT_GT(start_seq, 0) << bob_log.dump();
  EXPECT_EQ(need_seq, start_seq + 1) << bob_log.dump();
  bool sees_leave = false;
  for (const nlohmann::json& e : bob_log["log"]["entries"])
    sees_leave = sees_leave || e["kind"] == "ENTRY_KIND_MEMBER_LEFT";
  EXPECT_TRUE(sees_leave);

  // Connected, Bob's session pushes what he writes at once; give it a few rounds.
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json peers = Json(bob, {"peers"});
    for (const nlohmann::json& p : peers["peers"]["peers"])
      if (p["state"] == "PEER_STATE_CONNECTED") return true;
    return false;
  })) << bob.daemon->Log();
  std::this_thread::sleep_for(std::chrono::seconds(3));

  nlohmann::json alice_log = Json(alice, {"log"});
  for (const nlohmann::json& e : alice_log["log"]["entries"]) {
    EXPECT_NE(e["id"], need);
    if (e["author"] == bob_key) {
      EXPECT_LT(std::stoi(e["seq"].get<std::string>()), start_seq) << e.dump();
    }
  }
  EXPECT_EQ(Json(alice, {"needs"}).dump().find("bob's need after she left"), std::string::npos);
}

}  // namespace
}  // namespace accord::testing
