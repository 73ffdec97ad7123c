// The joiner's yes (SPEC §4): on a terminal, `accord join` says what the inviter's signed
// record says the code does — "join NAME's pact" or "become another device of NAME" — with
// the safety number, and nothing is taken or recorded on either side until the answer is yes.
// Real daemons on loopback, the real client on a pseudo-terminal.
#include "tests/integration/pact_fixture.h"
#include "tests/support/terminal.h"

namespace accord::testing {
namespace {

class JoinConsentTest : public PactTest {
 protected:
  std::string DeviceCode(Person& inviter) {
    return Json(inviter, {"invite", "--device", "--no-wait"})["invite"]["code"];
  }

  TerminalRun JoinOnTerminal(const Person& joiner, const std::string& code,
                             const std::string& inviter_address, const std::string& answer,
                             const std::string& prompt) {
    return RunOnTerminal({AccordBinary(), "--home", joiner.daemon->home().string(), "join", code,
                          "--peer", inviter_address, "--name", "the laptop"},
                         {{prompt, answer}}, 60);
  }

  size_t DevicesOfFirstMember(Person& p) {
    nlohmann::json status = Json(p, {"status"});
    if (!status.contains("status") || !status["status"].contains("members")) return 0;
    nlohmann::json& members = status["status"]["members"];
    if (members.empty() || !members[0].contains("device_keys")) return 0;
    return members[0]["device_keys"].size();
  }
};

TEST_F(JoinConsentTest, ADeviceCodeAsksToBecomeAnotherDeviceOfItsMember) {
  Person& alice = Start("alice");
  Person& laptop = StartFresh("laptop");
  TerminalRun run = JoinOnTerminal(laptop, DeviceCode(alice), alice.address, "y",
                                   "Become another device of alice? [y/N] ");
  EXPECT_EQ(run.answered, 1u) << run.output;
  EXPECT_EQ(run.exit_code, 0) << run.output << alice.daemon->Log() << laptop.daemon->Log();
  EXPECT_NE(run.output.find("another device of alice: it will hold alice's keys"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("safety number: "), std::string::npos) << run.output;
  ASSERT_TRUE(WaitFor([&] { return DevicesOfFirstMember(alice) == 2; }))
      << Json(alice, {"status"}).dump();
  ASSERT_TRUE(WaitFor([&] { return DevicesOfFirstMember(laptop) == 2; }))
      << Json(laptop, {"status"}).dump();
}

TEST_F(JoinConsentTest, ANoTakesNothingAndTheInviterRecordsNoDevice) {
  Person& alice = Start("alice");
  Person& laptop = StartFresh("laptop");
  TerminalRun run = JoinOnTerminal(laptop, DeviceCode(alice), alice.address, "n",
                                   "Become another device of alice? [y/N] ");
  EXPECT_EQ(run.answered, 1u) << run.output;
  EXPECT_EQ(run.exit_code, 5) << run.output;
  EXPECT_NE(run.output.find("you declined; nothing was shared"), std::string::npos) << run.output;
  // The laptop holds no pact (no identity was needed to refuse; --name made one), and Alice
  // recorded no device: the bundle was never acknowledged.
  CommandResult status = laptop.daemon->Accord({"--json", "status"});
  EXPECT_EQ(status.out.find("\"alice\""), std::string::npos) << status.out;
  EXPECT_EQ(DevicesOfFirstMember(alice), 1u) << Json(alice, {"status"}).dump();
  EXPECT_EQ(Json(alice, {"devices"})["devices"]["devices"].size(), 1u);
}

TEST_F(JoinConsentTest, APersonCodeAsksToJoinTheInvitersPact) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const std::string code = Json(alice, {"invite", "--no-wait"})["invite"]["code"];
  TerminalRun run = RunOnTerminal({AccordBinary(), "--home", bob.daemon->home().string(), "join",
                                   code, "--peer", alice.address},
                                  {{"Join alice's pact? [y/N] ", "yes"}}, 60);
  EXPECT_EQ(run.answered, 1u) << run.output;
  EXPECT_EQ(run.exit_code, 0) << run.output << alice.daemon->Log() << bob.daemon->Log();
  EXPECT_NE(run.output.find("This code lets you join alice's pact."), std::string::npos)
      << run.output;
  ASSERT_TRUE(WaitFor([&] { return Json(alice, {"status"})["status"]["members"].size() == 2; }));
}

TEST_F(JoinConsentTest, WithYesOrOffATerminalNothingIsAsked) {
  Person& alice = Start("alice");
  Person& laptop = StartFresh("laptop");
  TerminalRun run =
      RunOnTerminal({AccordBinary(), "--home", laptop.daemon->home().string(), "join",
                     DeviceCode(alice), "--peer", alice.address, "--name", "the laptop", "--yes"},
                    {}, 60);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("[y/N]"), std::string::npos) << run.output;
  ASSERT_TRUE(WaitFor([&] { return DevicesOfFirstMember(alice) == 2; }));
}

}  // namespace
}  // namespace accord::testing
