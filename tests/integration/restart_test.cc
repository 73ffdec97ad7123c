// The daemon's life: data survives a clean restart and a kill -9; one daemon per home.
#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

TEST_F(CliTest, DataSurvivesACleanRestart) {
  Init();
  Ok({"need", "add", "I need Sunday afternoons"});
  std::string id =
      Wrote({"propose", "Sunday afternoons are free", "--schedule", "sun 14:00-18:00"});
  std::string digest = Json({"status"})["status"]["state_digest"];
  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Log();
  ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  EXPECT_EQ(Json({"status"})["status"]["state_digest"], digest);
  EXPECT_EQ(Json({"needs"})["notes"]["notes"][0]["text"], "I need Sunday afternoons");
  EXPECT_EQ(Json({"show", id.substr(0, 8)})["show"]["agreement"]["status"],
            "AGREEMENT_STATUS_ACTIVE");
  // And writing continues the same feed: no reused sequence numbers.
  Ok({"appreciate", "thanks"});
  nlohmann::json log = Json({"log", "--verify"});
  ASSERT_EQ(log["log"]["entries"].size(), 4u);
  EXPECT_EQ(log["log"]["entries"][3]["seq"], "4");
  EXPECT_EQ(log["log"]["failed"], "0");
}

TEST_F(CliTest, DataSurvivesKillNine) {
  Init();
  for (int i = 0; i < 20; ++i) Ok({"need", "add", "need number " + std::to_string(i)});
  std::string digest = Json({"status"})["status"]["state_digest"];
  daemon_->Kill9();
  ASSERT_TRUE(daemon_->Start()) << daemon_->Log();  // a stale socket file is replaced
  EXPECT_EQ(Json({"status"})["status"]["state_digest"], digest);
  EXPECT_EQ(Json({"needs"})["notes"]["notes"].size(), 20u);
  EXPECT_EQ(Json({"log", "--verify"})["log"]["failed"], "0");
  Ok({"need", "add", "after the crash"});
  EXPECT_EQ(Json({"needs", "--all"})["notes"]["notes"].size(), 21u);
}

TEST_F(CliTest, ASecondDaemonForTheSameHomeRefusesToStart) {
  CommandResult second =
      RunProcess({AccorddBinary(), "--home", daemon_->home().string()}, "", /*timeout_s=*/20);
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("already"), std::string::npos) << second.err;
  EXPECT_EQ(Run({"status"}).exit_code, 5) << "the first daemon still serves";
}

TEST_F(CliTest, TheSocketIsPrivateToTheUser) {
  namespace fs = std::filesystem;
  fs::perms socket = fs::status(daemon_->socket()).permissions();
  fs::perms dir = fs::status(daemon_->socket().parent_path()).permissions();
  EXPECT_EQ(socket & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(dir & fs::perms::all, fs::perms::owner_all);
}

}  // namespace
}  // namespace accord::testing
