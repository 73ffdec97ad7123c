// Two and three real daemons on loopback: pairing with a code, then live end-to-end
// encrypted sync, relay through a daemon in the middle, and the failures that must store
// nothing.
#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

size_t Count(const nlohmann::json& j, const char* a, const char* b) {
  return j.contains(a) && j[a].contains(b) ? j[a][b].size() : 0;
}

TEST_F(PactTest, PairingSharesTheInvitersLogButNotReflectionsAndShowsOneSafetyNumber) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Ok(alice, {"need", "add", "I need an evening a week to myself"});
  Ok(alice, {"reflect", "alice's private thought"});

  PairResult pair = Pair(alice, bob);
  ASSERT_EQ(pair.join_exit, 0) << pair.join_err << alice.daemon->Log() << bob.daemon->Log();
  ASSERT_EQ(pair.invite_exit, 0);
  ASSERT_FALSE(pair.invite_lines.empty());
  const nlohmann::json& paired = pair.invite_lines.back()["invite"];
  EXPECT_EQ(paired["state"], "INVITE_STATE_PAIRED");
  EXPECT_EQ(paired["partner_name"], "bob");
  std::string safety = pair.join["join"]["safety_number"];
  EXPECT_EQ(paired["safety_number"], safety);
  std::string digits;
  for (char c : safety)
    if (c >= '0' && c <= '9') digits += c;
  EXPECT_EQ(digits.size(), 60u) << safety;
  EXPECT_EQ(pair.join["join"]["partner_name"], "alice");

  // Bob receives what Alice wrote before pairing, and both see two members.
  ASSERT_TRUE(WaitFor([&] { return Count(Json(bob, {"needs"}), "notes", "notes") == 1; }))
      << bob.daemon->Log();
  EXPECT_EQ(Json(bob, {"needs"})["notes"]["notes"][0]["author_name"], "alice");
  EXPECT_EQ(Count(Json(bob, {"reflections"}), "notes", "notes"), 0u);
  EXPECT_EQ(Json(bob, {"export", "--format", "json"}).dump().find("private thought"),
            std::string::npos);
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"status"})["status"]["members"].size() == 2; }));
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); })) << alice.daemon->Log();
}

TEST_F(PactTest, AProposalOnOneSideAcceptedOnTheOtherIsActiveOnBoth) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }));

  std::string id = Json(alice, {"propose", "Tuesday evenings are mine", "--schedule",
                                "tue 19:00-21:00"})["written"]["id"];
  ASSERT_TRUE(WaitFor([&] {
    return Count(Json(bob, {"agreements", "--pending"}), "agreements", "agreements") == 1;
  }));
  // Alice cannot accept her own proposal.
  EXPECT_EQ(alice.daemon->Accord({"accept", id.substr(0, 8)}).exit_code, 5);
  EXPECT_EQ(Json(bob, {"status"})["status"]["waiting_for_me"].size(), 1u);
  Ok(bob, {"accept", id.substr(0, 8)});
  ASSERT_TRUE(WaitFor([&] {
    return Json(alice, {"show", id.substr(0, 8)})["show"]["agreement"]["status"] ==
           "AGREEMENT_STATUS_ACTIVE";
  })) << alice.daemon->Log();
  EXPECT_EQ(Json(bob, {"show", id.substr(0, 8)})["show"]["agreement"]["status"],
            "AGREEMENT_STATUS_ACTIVE");
  ASSERT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }));
  nlohmann::json peers = Json(alice, {"peers"});
  ASSERT_EQ(peers["peers"]["peers"].size(), 1u);
  EXPECT_EQ(peers["peers"]["peers"][0]["state"], "PEER_STATE_CONNECTED");
  EXPECT_EQ(peers["peers"]["peers"][0]["name"], "bob");
}

TEST_F(PactTest, AThirdMemberConvergesThroughRelayWithADaemonItNeverMeets) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  PairResult ab = Pair(alice, bob);
  ASSERT_EQ(ab.join_exit, 0) << ab.join_err;
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"status"})["status"]["members"].size() == 2; }));
  PairResult ac = Pair(alice, carol, nullptr, /*share_history=*/true);
  ASSERT_EQ(ac.join_exit, 0) << ac.join_err << alice.daemon->Log();
  // Bob and Carol only know Alice's address; what Bob writes reaches Carol through Alice.
  Ok(bob, {"need", "add", "I need a walk after work"});
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json needs = Json(carol, {"needs"});
    return Count(needs, "notes", "notes") == 1 &&
           needs["notes"]["notes"][0]["author_name"] == "bob";
  })) << carol.daemon->Log();
  Ok(carol, {"appreciate", "thanks for the quiet"});
  ASSERT_TRUE(
      WaitFor([&] { return Digest(alice) == Digest(bob) && Digest(bob) == Digest(carol); }));
  const nlohmann::json peers = Json(carol, {"peers"});
  for (const auto& p : peers["peers"]["peers"]) {
    if (p["name"] == "bob") EXPECT_NE(p["state"], "PEER_STATE_CONNECTED");
  }
}

TEST_F(PactTest, AWrongCodeAbortsBothSidesBurnsTheCodeAndStoresNothing) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  const std::string alice_digest = Digest(alice);
  const std::string bob_log = Json(bob, {"log"}).dump();

  // The right nameplate and valid words, one of them wrong: one guess, and the code is gone.
  std::string real_code;
  PairResult wrong = Pair(alice, bob, [&](const std::string& code) {
    real_code = code;
    size_t first = code.find('-'), last = code.rfind('-');
    std::string w1 = code.substr(first + 1, code.find('-', first + 1) - first - 1);
    std::string w3 = code.substr(last + 1);
    return code.substr(0, last + 1) +
           (w3 != w1
                ? w1
                : code.substr(code.find('-', first + 1) + 1, last - code.find('-', first + 1) - 1));
  });
  EXPECT_NE(wrong.join_exit, 0);
  EXPECT_NE(wrong.invite_exit, 0);
  EXPECT_EQ(Digest(alice), alice_digest);
  EXPECT_EQ(Json(bob, {"log"}).dump(), bob_log);
  EXPECT_EQ(Json(alice, {"status"})["status"]["members"].size(), 1u);
  EXPECT_EQ(Json(bob, {"status"})["status"]["members"].size(), 1u);
  EXPECT_EQ(Count(Json(alice, {"peers"}), "peers", "peers"), 0u);

  // The burned code does not work even when typed right.
  CommandResult again = carol.daemon->Accord({"join", real_code, "--peer", alice.address});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_EQ(Json(carol, {"status"})["status"]["members"].size(), 1u);

  // A new invitation still works.
  PairResult ok = Pair(alice, carol);
  ASSERT_EQ(ok.join_exit, 0) << ok.join_err << alice.daemon->Log();
}

}  // namespace
}  // namespace accord::testing

namespace accord::testing {
namespace {

TEST_F(PactTest, WatchShowsThePartnersEventsAsTheyArrive) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }));
  std::filesystem::path out = dir_.path() / "bob-watch.out";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::execl(AccordBinary().c_str(), "accord", "--home", bob.daemon->home().c_str(), "--json",
            "watch", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The watch registers asynchronously: write until Alice's event shows up on Bob's side.
  std::string seen;
  bool found = WaitFor(
      [&] {
        Ok(alice, {"appreciate", "thank you for the quiet evening"});
        std::ifstream f(out);
        std::stringstream s;
        s << f.rdbuf();
        seen = s.str();
        return seen.find("thank you for the quiet evening") != std::string::npos;
      },
      15);
  ::kill(pid, SIGTERM);  // our own child
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(found) << seen;
  nlohmann::json event = nlohmann::json::parse(seen.substr(0, seen.find('\n')));
  EXPECT_EQ(event["event"]["kind"], "ENTRY_KIND_APPRECIATION");
  EXPECT_EQ(event["event"]["author_name"], "alice");
}

}  // namespace
}  // namespace accord::testing
