// Who may join a pact, judged from its signed membership, and what a joiner learns of it:
// three real daemons on loopback, paired with the real client.
#include <signal.h>

#include <iostream>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

size_t Count(const nlohmann::json& j, const char* a, const char* b) {
  return j.contains(a) && j[a].contains(b) ? j[a][b].size() : 0;
}

// SIGSTOPs a daemon we started, and always lets it go on again.
class Frozen {
 public:
  explicit Frozen(pid_t pid) : pid_(pid) { ::kill(pid_, SIGSTOP); }
  ~Frozen() { Thaw(); }
  void Thaw() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

TEST_F(PactTest, AJoinerBeforeItsFirstSyncCannotLetAThirdPersonIn) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Ok(alice, {"need", "add", "written before anyone joined"});
  const std::string code = Json(alice, {"invite", "--no-wait"})["invite"]["code"];
  CommandResult joined = bob.daemon->Accord({"join", code, "--peer", alice.address});
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  {
    // Alice cannot answer: whatever Bob holds now is all he has. Right after joining (his
    // first sync is at most one dial tick away) he holds none of the pact's entries, so he
    // cannot know who is in it, nor what a newcomer may read.
    Frozen hold(alice.daemon->pid());
    const size_t bob_knows = Json(bob, {"status"})["status"]["members"].size();
    CommandResult early = bob.daemon->Accord({"--json", "invite", "--no-wait"});
    if (bob_knows < 2) {
      EXPECT_EQ(early.exit_code, 5) << early.out << early.err;
      EXPECT_NE(early.err.find("membership"), std::string::npos) << early.err;
    } else {
      std::cout << "bob synced before alice was frozen: the early window was missed\n";
      EXPECT_EQ(early.exit_code, 0) << early.err;
    }
  }
  // Once synced, a pact of two lets a newcomer in without its history (newcomer_test.cc).
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }))
      << bob.daemon->Log();
  const std::string said = Json(bob, {"invite", "--no-wait"})["invite"]["message"];
  EXPECT_NE(said.find("not the pact's earlier entries"), std::string::npos) << said;
}

TEST_F(PactTest, AThirdPersonInvitedByTheSecondMemberReceivesEveryonesEntries) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  Ok(alice, {"need", "add", "alice's need from before"});
  PairResult ab = Pair(alice, bob);
  ASSERT_EQ(ab.join_exit, 0) << ab.join_err;
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }));
  Ok(bob, {"need", "add", "bob's need from before"});

  const nlohmann::json invite = Json(bob, {"invite", "--no-wait", "--share-history"});
  const std::string code = invite["invite"]["code"].get<std::string>();
  CommandResult join = carol.daemon->Accord({"join", code, "--peer", bob.address});
  ASSERT_EQ(join.exit_code, 0) << join.err << bob.daemon->Log();

  // Carol receives Alice's entries (relayed by Bob) as well as Bob's.
  ASSERT_TRUE(WaitFor([&] { return Count(Json(carol, {"needs"}), "notes", "notes") == 2; }))
      << carol.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Json(carol, {"status"})["status"]["members"].size() == 3; }));
  Ok(carol, {"need", "add", "carol's first need"});
  ASSERT_TRUE(WaitFor([&] { return Count(Json(alice, {"needs"}), "notes", "notes") == 3; }))
      << alice.daemon->Log() << bob.daemon->Log();
  ASSERT_TRUE(
      WaitFor([&] { return Digest(alice) == Digest(bob) && Digest(bob) == Digest(carol); }));
  EXPECT_EQ(carol.daemon->Log().find("not a device of this pact"), std::string::npos)
      << carol.daemon->Log();

  // What Carol learned of the pact survives a restart before anything else happens.
  ASSERT_EQ(carol.daemon->Stop(), 0);
  ASSERT_TRUE(carol.daemon->Start()) << carol.daemon->Log();
  EXPECT_EQ(Digest(carol), Digest(alice));
}

}  // namespace
}  // namespace accord::testing
