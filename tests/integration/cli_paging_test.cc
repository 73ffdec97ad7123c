// Long lists through the real client and daemon (SPEC §6 `--limit`): a screenful by default,
// newest first, `--limit N`, `--all` across the daemon's pages, `log --limit`, and bad
// cursors and limits refused without harm.
#include <set>

#include "tests/integration/cli_fixture.h"
#include "tests/integration/ipc_pipe.h"

namespace accord::testing {
namespace {

std::vector<std::string> Texts(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& n : list) out.push_back(n["text"].get<std::string>());
  return out;
}

std::string Numbered(size_t i) { return "need " + std::to_string(i); }

TEST_F(CliTest, AListShowsTheNewestScreenfulAndSaysWhatItLeftOut) {
  Init();
  ASSERT_EQ(WriteNeeds(daemon_->socket(), 25, 16, Numbered), 25u);
  nlohmann::json j = Json({"needs"});
  const auto texts = Texts(j["notes"]["notes"]);
  ASSERT_EQ(texts.size(), 20u);
  EXPECT_EQ(texts.front(), "need 24");
  EXPECT_EQ(texts.back(), "need 5");
  EXPECT_EQ(j["notes"]["page"]["total"].get<std::string>(), "25");  // proto3 JSON: u64 text
  EXPECT_EQ(j["notes"]["page"]["older"].get<std::string>().size(), 64u);
  EXPECT_NE(Ok({"needs"}).find("(5 older not shown: --limit N or --all)"), std::string::npos);

  const auto three = Texts(Json({"needs", "--limit", "3"})["notes"]["notes"]);
  EXPECT_EQ(three, (std::vector<std::string>{"need 24", "need 23", "need 22"}));
  nlohmann::json all = Json({"needs", "--all"});
  EXPECT_EQ(Texts(all["notes"]["notes"]).size(), 25u);
  EXPECT_EQ(all["notes"]["page"]["older"], "");
  EXPECT_EQ(Ok({"needs", "--all"}).find("older not shown"), std::string::npos);
}

TEST_F(CliTest, AllFollowsTheDaemonsPagesToTheOldest) {
  constexpr size_t kNeeds = 1234;  // more than one daemon page (1,000)
  Init();
  ASSERT_EQ(WriteNeeds(daemon_->socket(), kNeeds, 256, Numbered), kNeeds);
  const auto texts = Texts(Json({"needs", "--all"})["notes"]["notes"]);
  ASSERT_EQ(texts.size(), kNeeds);
  EXPECT_EQ(std::set<std::string>(texts.begin(), texts.end()).size(), kNeeds);
  EXPECT_EQ(texts.front(), Numbered(kNeeds - 1));
  EXPECT_EQ(texts.back(), Numbered(0));
}

TEST_F(CliTest, CheckInsPageTooAndTheFilterCountsOnlyWhatItKeeps) {
  Init();
  for (int i = 1; i <= 4; ++i) Ok({"checkin", "--feeling", std::to_string(i)});
  nlohmann::json j = Json({"checkins", "--limit", "2"});
  ASSERT_EQ(j["check_ins"]["check_ins"].size(), 2u);
  EXPECT_EQ(j["check_ins"]["check_ins"][0]["feeling"], 4);
  EXPECT_EQ(j["check_ins"]["page"]["total"].get<std::string>(), "4");
}

TEST_F(CliTest, LogLimitShowsTheNewestEntriesNewestFirst) {
  Init();
  ASSERT_EQ(WriteNeeds(daemon_->socket(), 5, 5, Numbered), 5u);
  nlohmann::json j = Json({"log", "--limit", "3"});
  const auto& entries = j["log"]["entries"];
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0]["seq"].get<std::string>(), "6");  // MemberCreated is seq 1
  EXPECT_EQ(entries[2]["seq"].get<std::string>(), "4");
  EXPECT_EQ(Json({"log"})["log"]["entries"].size(), 6u);  // without it: every entry
}

TEST_F(CliTest, BadLimitsAreUsageErrors) {
  Init();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"needs", "--limit", "0"},
                                               {"needs", "--limit", "-3"},
                                               {"needs", "--limit", "x"},
                                               {"needs", "--limit", "3", "--all"},
                                               {"log", "--limit", "0"}}) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << Describe(args, r);
  }
}

TEST_F(CliTest, BadCursorsAreRefusedAndChangeNothing) {
  Init();
  ASSERT_EQ(WriteNeeds(daemon_->socket(), 3, 3, Numbered), 3u);
  RawIpc ipc(daemon_->socket());
  ASSERT_TRUE(ipc.connected());
  auto ask = [&](const std::string& before) {
    proto::Request q;
    q.set_protocol(1);
    q.mutable_list_notes()->set_kind(proto::ListNotesRequest::NEEDS);
    q.mutable_list_notes()->mutable_page()->set_before(before);
    return ipc.Call(q);
  };
  std::optional<proto::Response> not_hex = ask("zz");
  ASSERT_TRUE(not_hex);
  EXPECT_EQ(not_hex->error().code(), proto::INVALID_ARGUMENT) << not_hex->DebugString();
  std::optional<proto::Response> gone = ask(std::string(64, 'a'));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->error().code(), proto::NOT_FOUND) << gone->DebugString();
  EXPECT_EQ(Texts(Json({"needs"})["notes"]["notes"]).size(), 3u);
}

}  // namespace
}  // namespace accord::testing
