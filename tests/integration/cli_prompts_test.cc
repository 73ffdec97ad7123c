// The client's questions on a real terminal (a pseudo-terminal the test holds): a check-in
// without flags offers what is due, and leave asks before it does anything.
#include <chrono>
#include <thread>

#include "tests/integration/cli_fixture.h"
#include "tests/support/terminal.h"

namespace accord::testing {
namespace {

class PromptTest : public CliTest {
 protected:
  TerminalRun OnTerminal(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& answers) {
    std::vector<std::string> argv = {AccordBinary(), "--home", daemon_->home().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunOnTerminal(argv, answers);
  }
  nlohmann::json CheckIns() { return Json({"checkins"})["check_ins"]["check_ins"]; }
};

TEST_F(PromptTest, ACheckInOnATerminalOffersTheAgreementThatIsDue) {
  Init();
  std::string id = Wrote({"propose", "Sunday walks together", "--review-every", "1s"});
  nlohmann::json due;
  for (int i = 0; i < 100; ++i) {  // the cadence is one second; bounded wait
    due = Json({"due"});
    if (due["due"].contains("due") && !due["due"]["due"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(due["due"]["due"].size(), 1u);

  TerminalRun run = OnTerminal({"checkin"}, {{"(1-1, enter for none)? ", "1"},
                                             {"1 (hard) to 5 (great)? ", "4"},
                                             {"(enter to skip)? ", "we walked twice"}});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.answered, 3u) << run.output;
  EXPECT_NE(run.output.find("1) " + id.substr(0, 8) + "  Sunday walks together"), std::string::npos)
      << run.output;
  nlohmann::json c = CheckIns();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["agreement_id"], id);
  EXPECT_EQ(c[0]["feeling"], 4);
  EXPECT_EQ(c[0]["note"], "we walked twice");
  nlohmann::json after = Json({"due"});
  EXPECT_TRUE(!after["due"].contains("due") || after["due"]["due"].empty()) << after.dump();
}

TEST_F(PromptTest, WithNothingDueTheCheckInAsksOnlyTheFeeling) {
  Init();
  TerminalRun run =
      OnTerminal({"checkin"}, {{"1 (hard) to 5 (great)? ", "3"}, {"(enter to skip)? ", ""}});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("Due now"), std::string::npos) << run.output;
  nlohmann::json c = CheckIns();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["feeling"], 3);
  EXPECT_EQ(c[0]["agreement_id"], "");
}

TEST_F(PromptTest, AnAnswerNotOfferedIsAUsageErrorAndStoresNothing) {
  Init();
  Wrote({"propose", "Review me often", "--review-every", "1s"});
  for (int i = 0; i < 100 && Json({"due"})["due"]["due"].empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  TerminalRun run = OnTerminal({"checkin"}, {{"enter for none)? ", "7"}});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("a number from the list"), std::string::npos) << run.output;
  run = OnTerminal({"checkin"}, {{"enter for none)? ", ""}, {"5 (great)? ", "9"}});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(CheckIns().empty());
}

TEST_F(PromptTest, LeaveOnATerminalAsksAndANoChangesNothing) {
  Init();
  TerminalRun run = OnTerminal({"leave"}, {{"[y/N] ", "n"}});
  EXPECT_EQ(run.exit_code, 5) << run.output;
  EXPECT_NE(run.output.find("not leaving"), std::string::npos) << run.output;
  nlohmann::json status = Json({"status"})["status"];
  EXPECT_EQ(status["members"].size(), 1u);
  EXPECT_FALSE(status["members"][0].value("left", false));
  EXPECT_EQ(status.value("writes_refused", ""), "");
  // Not on a terminal and without --yes: a usage error before anything is asked.
  EXPECT_EQ(Run({"leave"}).exit_code, 2);
}

}  // namespace
}  // namespace accord::testing
