// A third person joins a pact of two (SPEC §6 "invite into a pact of two or more",
// docs/pairing.md "Newcomers without history"): without --share-history they start at a new
// epoch and see who is in the pact and what is written from then on, never an earlier
// entry's body; with it they see everything; and both sides say which it is. Real daemons
// on loopback, the real client (on a pseudo-terminal for the joiner's prompt).
#include "tests/integration/pact_fixture.h"
#include "tests/support/terminal.h"

namespace accord::testing {
namespace {

class NewcomerTest : public PactTest {
 protected:
  // Alice and Bob paired, each with a need written before anyone else came.
  void PactOfTwo(Person& alice, Person& bob) {
    Ok(alice, {"need", "add", "alice wrote this before"});
    PairResult ab = Pair(alice, bob);
    ASSERT_EQ(ab.join_exit, 0) << ab.join_err;
    ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }));
    Ok(bob, {"need", "add", "bob wrote this before"});
    ASSERT_TRUE(WaitFor([&] { return NeedCount(alice) == 2; })) << alice.daemon->Log();
  }

  // PactOfTwo, then Carol let in by Bob without the history, once she knows all three.
  void PactOfThree(Person& alice, Person& bob, Person& carol) {
    PactOfTwo(alice, bob);
    ASSERT_EQ(Pair(bob, carol).join_exit, 0);
    ASSERT_TRUE(WaitFor([&] { return Members(carol) == 3; })) << carol.daemon->Log();
  }

  size_t NeedCount(Person& p) {
    nlohmann::json j = Json(p, {"needs"});
    return j.contains("notes") && j["notes"].contains("notes") ? j["notes"]["notes"].size() : 0;
  }
  bool Lists(Person& p, const std::string& text) {
    return Json(p, {"needs"}).dump().find(text) != std::string::npos;
  }
  size_t Members(Person& p) { return Json(p, {"status"})["status"]["members"].size(); }

  TerminalRun JoinOnTerminal(Person& joiner, const std::string& code, const Person& inviter) {
    return RunOnTerminal({AccordBinary(), "--home", joiner.daemon->home().string(), "join", code,
                          "--peer", inviter.address},
                         {{"Join " + inviter.name + "'s pact? [y/N] ", "y"}}, 60);
  }
};

TEST_F(NewcomerTest, WithoutSharedHistoryTheNewcomerSeesWhoIsInAndWhatComesNextOnly) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  PactOfTwo(alice, bob);

  const nlohmann::json invite = Json(bob, {"invite", "--no-wait"});
  const std::string said = invite["invite"]["message"];
  EXPECT_NE(said.find("not the pact's earlier entries"), std::string::npos) << said;
  TerminalRun run = JoinOnTerminal(carol, invite["invite"]["code"], bob);
  ASSERT_EQ(run.exit_code, 0) << run.output << bob.daemon->Log() << carol.daemon->Log();
  EXPECT_NE(run.output.find("You will see what is written from now on, not what the pact wrote "
                            "before."),
            std::string::npos)
      << run.output;

  // Carol knows the whole membership, though every entry that made it came header-only.
  ASSERT_TRUE(WaitFor([&] { return Members(carol) == 3; }))
      << Json(carol, {"status"}).dump() << carol.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Members(alice) == 3; })) << alice.daemon->Log();
  Ok(alice, {"need", "add", "alice wrote this after"});
  Ok(bob, {"need", "add", "bob wrote this after"});
  ASSERT_TRUE(WaitFor([&] { return NeedCount(carol) == 2; }))
      << Json(carol, {"needs"}).dump() << carol.daemon->Log();
  EXPECT_TRUE(Lists(carol, "alice wrote this after"));
  EXPECT_TRUE(Lists(carol, "bob wrote this after"));
  EXPECT_FALSE(Lists(carol, "wrote this before")) << Json(carol, {"needs"}).dump();

  // Her own entries reach both others, and theirs still hold everything.
  Ok(carol, {"need", "add", "carol's first need"});
  ASSERT_TRUE(WaitFor([&] { return NeedCount(alice) == 5 && NeedCount(bob) == 5; }))
      << alice.daemon->Log() << bob.daemon->Log();

  // No header-only entry of the earlier epochs is taken for damage (nothing to repair), and
  // nothing she could not read was folded from a guess.
  EXPECT_EQ(carol.daemon->Log().find("missing their body"), std::string::npos)
      << carol.daemon->Log();
  EXPECT_EQ(carol.daemon->Log().find("does not match what the inviter restated"), std::string::npos)
      << carol.daemon->Log();

  // What she knows of the pact survives a restart.
  ASSERT_EQ(carol.daemon->Stop(), 0);
  ASSERT_TRUE(carol.daemon->Start()) << carol.daemon->Log();
  EXPECT_EQ(Members(carol), 3u);
  EXPECT_EQ(NeedCount(carol), 3u);
  EXPECT_FALSE(Lists(carol, "wrote this before"));
}

TEST_F(NewcomerTest, ANewcomersSecondDeviceKnowsThePactAndNoMoreOfItsHistory) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  Person& laptop = StartFresh("laptop");
  PactOfThree(alice, bob, carol);
  Ok(alice, {"need", "add", "alice wrote this for carol"});
  ASSERT_TRUE(WaitFor([&] { return Lists(carol, "alice wrote this for carol"); }));

  const std::string code = Json(carol, {"invite", "--device", "--no-wait"})["invite"]["code"];
  CommandResult joined =
      laptop.daemon->Accord({"join", code, "--peer", carol.address, "--name", "carol's laptop"});
  ASSERT_EQ(joined.exit_code, 0) << joined.err << carol.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Members(laptop) == 3; }))
      << Json(laptop, {"status"}).dump() << laptop.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Lists(laptop, "alice wrote this for carol"); }))
      << laptop.daemon->Log();
  EXPECT_FALSE(Lists(laptop, "wrote this before")) << Json(laptop, {"needs"}).dump();
  EXPECT_EQ(laptop.daemon->Log().find("missing their body"), std::string::npos)
      << laptop.daemon->Log();
}

TEST_F(NewcomerTest, ANewcomerLetsTheNextOneInWithTheMembershipItWasGiven) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  Person& dave = Start("dave");
  PactOfThree(alice, bob, carol);
  Ok(carol, {"need", "add", "carol wrote this before dave"});

  // Carol never read the entries that made Alice and Bob members; she restates to Dave what
  // Bob restated to her, and Dave knows all four.
  PairResult cd = Pair(carol, dave);
  ASSERT_EQ(cd.join_exit, 0) << cd.join_err << carol.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Members(dave) == 4; }))
      << Json(dave, {"status"}).dump() << dave.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return Members(alice) == 4 && Members(bob) == 4; }));
  Ok(alice, {"need", "add", "alice wrote this for dave"});
  ASSERT_TRUE(WaitFor([&] { return Lists(dave, "alice wrote this for dave"); }))
      << dave.daemon->Log();
  EXPECT_FALSE(Lists(dave, "wrote this before")) << Json(dave, {"needs"}).dump();
}

TEST_F(NewcomerTest, WithSharedHistoryTheNewcomerSeesEverythingAndBothSidesSaySo) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  Person& carol = Start("carol");
  PactOfTwo(alice, bob);

  const nlohmann::json invite = Json(bob, {"invite", "--no-wait", "--share-history"});
  const std::string said = invite["invite"]["message"];
  EXPECT_NE(said.find("they will see everything the pact has written"), std::string::npos) << said;
  TerminalRun run = JoinOnTerminal(carol, invite["invite"]["code"], bob);
  ASSERT_EQ(run.exit_code, 0) << run.output << bob.daemon->Log();
  EXPECT_NE(run.output.find("shares the pact's history with you"), std::string::npos) << run.output;
  ASSERT_TRUE(WaitFor([&] { return NeedCount(carol) == 2; })) << carol.daemon->Log();
  EXPECT_TRUE(Lists(carol, "alice wrote this before"));
  EXPECT_TRUE(Lists(carol, "bob wrote this before"));
  ASSERT_TRUE(WaitFor([&] { return Members(carol) == 3; }));
}

}  // namespace
}  // namespace accord::testing
