// Single-device commands through the real client and daemon: identity, needs, boundaries,
// appreciations, reflections, check-ins, log, exit codes.
#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

TEST_F(CliTest, CommandsBeforeInitAreRefusedWithAdvice) {
  CommandResult r = Run({"status"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err.rfind("accord: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("accord init"), std::string::npos) << r.err;
}

TEST_F(CliTest, InitCreatesAnIdentityOnlyOnce) {
  nlohmann::json j = Json({"init", "--name", "Alice"});
  EXPECT_EQ(j["init"]["device_key"].get<std::string>().size(), 64u);
  CommandResult again = Run({"init", "--name", "Alice"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already has an identity"), std::string::npos) << again.err;
  nlohmann::json status = Json({"status"});
  ASSERT_EQ(status["status"]["members"].size(), 1u);
  EXPECT_EQ(status["status"]["members"][0]["name"], "Alice");
  EXPECT_TRUE(status["status"]["members"][0]["is_me"].get<bool>());
  EXPECT_EQ(status["status"]["state_digest"].get<std::string>().size(), 64u);
}

TEST_F(CliTest, InitWithoutNameIsAUsageError) {
  CommandResult r = Run({"init"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("accord: error: ", 0), 0u) << r.err;
}

TEST_F(CliTest, NeedsAndBoundariesAreRecordedAndListed) {
  Init();
  std::string need = Wrote({"need", "add", "I need an evening a week to myself"});
  Ok({"boundary", "add", "No phone calls during space time", "--during-space"});
  nlohmann::json needs = Json({"needs"});
  ASSERT_EQ(needs["notes"]["notes"].size(), 1u);
  EXPECT_EQ(needs["notes"]["notes"][0]["id"], need);
  EXPECT_EQ(needs["notes"]["notes"][0]["text"], "I need an evening a week to myself");
  EXPECT_EQ(needs["notes"]["notes"][0]["author_name"], "Alice");
  nlohmann::json boundaries = Json({"boundaries"});
  ASSERT_EQ(boundaries["notes"]["notes"].size(), 1u);
  EXPECT_TRUE(boundaries["notes"]["notes"][0]["during_space"].get<bool>());
  EXPECT_NE(Ok({"needs"}).find("I need an evening a week to myself"), std::string::npos);
}

TEST_F(CliTest, AYouStatementGetsAGentleHintButIsStillRecorded) {
  Init();
  CommandResult you = Run({"need", "add", "You never leave me alone"});
  EXPECT_EQ(you.exit_code, 0);
  EXPECT_NE(you.out.find("hint:"), std::string::npos) << you.out;
  CommandResult i = Run({"need", "add", "I need quiet mornings"});
  EXPECT_EQ(i.out.find("hint:"), std::string::npos) << i.out;
  EXPECT_EQ(Json({"needs"})["notes"]["notes"].size(), 2u);
}

TEST_F(CliTest, EmptyTextIsAUsageError) {
  Init();
  EXPECT_EQ(Run({"need", "add", ""}).exit_code, 2);
  EXPECT_EQ(Json({"needs"})["notes"]["notes"].size(), 0u);
}

TEST_F(CliTest, ReflectionsAndAppreciationsAreKept) {
  Init();
  Ok({"reflect", "I was tense today, not because of her"});
  Ok({"appreciate", "Thank you for the quiet evening"});
  nlohmann::json r = Json({"reflections"});
  ASSERT_EQ(r["notes"]["notes"].size(), 1u);
  EXPECT_EQ(r["notes"]["notes"][0]["text"], "I was tense today, not because of her");
  EXPECT_NE(Ok({"export", "--format", "md"}).find("Thank you for the quiet evening"),
            std::string::npos);
}

TEST_F(CliTest, CheckInFeelingOutsideOneToFiveIsAUsageError) {
  Init();
  EXPECT_EQ(Run({"checkin", "--feeling", "9"}).exit_code, 2);
  EXPECT_EQ(Run({"checkin", "--feeling", "0"}).exit_code, 2);
  EXPECT_EQ(Run({"checkin", "--feeling", "three"}).exit_code, 2);
  // Not a terminal and no flags: no questions can be asked, so the feeling is required.
  EXPECT_EQ(Run({"checkin"}).exit_code, 2);
  EXPECT_EQ(Json({"checkins"})["check_ins"]["check_ins"].size(), 0u);
}

TEST_F(CliTest, CheckInsAreListedAndFilteredByAgreement) {
  Init();
  std::string a = Wrote({"propose", "Saturday mornings are slow"});
  Ok({"checkin", "--feeling", "4", "--note", "good week"});
  Ok({"checkin", "--feeling", "2", "--agreement", a.substr(0, 8), "--note", "too rushed"});
  EXPECT_EQ(Json({"checkins"})["check_ins"]["check_ins"].size(), 2u);
  nlohmann::json about = Json({"checkins", "--agreement", a.substr(0, 6)});
  ASSERT_EQ(about["check_ins"]["check_ins"].size(), 1u);
  EXPECT_EQ(about["check_ins"]["check_ins"][0]["feeling"], 2);
  EXPECT_EQ(about["check_ins"]["check_ins"][0]["agreement_id"], a);
}

TEST_F(CliTest, LogShowsEveryEntryAndVerifiesSignatures) {
  Init();
  Ok({"need", "add", "I need a walk alone"});
  Ok({"reflect", "private"});
  nlohmann::json log = Json({"log", "--verify"});
  // The reflection opens this device's private chain: its start, then the reflection.
  ASSERT_EQ(log["log"]["entries"].size(), 4u);
  EXPECT_EQ(log["log"]["verified"], "4");  // uint64: a JSON string
  EXPECT_EQ(log["log"]["failed"], "0");
  EXPECT_EQ(log["log"]["entries"][0]["kind"], "ENTRY_KIND_MEMBER_CREATED");
  EXPECT_EQ(log["log"]["entries"][1]["kind"], "ENTRY_KIND_NEED");
  EXPECT_EQ(log["log"]["entries"][2]["kind"], "ENTRY_KIND_PRIVATE_CHAIN_START");
  EXPECT_EQ(log["log"]["entries"][3]["kind"], "ENTRY_KIND_REFLECTION");
  EXPECT_EQ(log["log"]["entries"][3]["scope"], "SCOPE_PRIVATE");
  EXPECT_EQ(log["log"]["entries"][3]["seq"], "2");  // seq 2 of the chain, not of the feed
  EXPECT_NE(log["log"]["entries"][3]["author"], log["log"]["entries"][1]["author"]);
  for (const auto& e : log["log"]["entries"]) EXPECT_EQ(e["signature"], "SIGNATURE_VERIFIED");
  EXPECT_EQ(Json({"status"})["status"]["entries"], "4");
}

TEST_F(CliTest, UnknownCommandSuggestsTheClosestOne) {
  CommandResult r = Run({"stauts"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean 'status'"), std::string::npos) << r.err;
}

TEST_F(CliTest, HelpListsEveryCommand) {
  CommandResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"init", "status", "need", "propose", "accept", "counter", "retire", "ask",
                        "back", "space", "checkin", "due", "reflect", "log", "export", "watch"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
}

TEST_F(CliTest, AStoppedDaemonIsReportedAsUnreachable) {
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Log();
  CommandResult r = Run({"status"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not running"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(daemon_->socket())) << "clean shutdown removes the socket";
}

}  // namespace
}  // namespace accord::testing

namespace accord::testing {
namespace {

// `checkin` without flags on a terminal asks its questions. script(1) gives the client a
// pseudo-terminal as stdin and passes our answers through it.
TEST_F(CliTest, CheckInWithoutFlagsOnATerminalAsksTheQuestions) {
  if (!std::filesystem::exists("/usr/bin/script")) GTEST_SKIP() << "script(1) is not installed";
  Init();
  std::string command = AccordBinary() + " --home " + daemon_->home().string() + " checkin";
  CommandResult r =
      RunProcess({"/usr/bin/script", "-qec", command, "/dev/null"}, "4\nit was a calm week\n");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 (hard) to 5 (great)"), std::string::npos) << r.out;
  nlohmann::json list = Json({"checkins"});
  ASSERT_EQ(list["check_ins"]["check_ins"].size(), 1u) << list.dump();
  EXPECT_EQ(list["check_ins"]["check_ins"][0]["feeling"], 4);
  EXPECT_EQ(list["check_ins"]["check_ins"][0]["note"], "it was a calm week");
}

}  // namespace
}  // namespace accord::testing
