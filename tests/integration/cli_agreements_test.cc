// Agreements on one device through the real client and daemon: propose, counter, accept,
// decline, retire, list, show, id prefixes and the exit codes they produce.
#include <chrono>
#include <map>
#include <thread>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

TEST_F(CliTest, AProposalOfTheOnlyMemberIsActiveAndShownWithItsHistory) {
  Init();
  std::string id = Wrote({"propose", "Tuesday evenings are my own time", "--schedule",
                          "tue 19:00-21:00", "--review-every", "2w"});
  nlohmann::json active = Json({"agreements", "--active"});
  ASSERT_EQ(active["agreements"]["agreements"].size(), 1u);
  const auto& a = active["agreements"]["agreements"][0];
  EXPECT_EQ(a["id"], id);
  EXPECT_EQ(a["status"], "AGREEMENT_STATUS_ACTIVE");
  EXPECT_EQ(a["active"]["schedule"]["spec"], "tue 19:00-21:00");
  EXPECT_EQ(a["active"]["review_every_s"], std::to_string(14 * 86400));  // int64: a JSON string
  EXPECT_EQ(Json({"agreements", "--pending"})["agreements"]["agreements"].size(), 0u);
  nlohmann::json show = Json({"show", id.substr(0, 6)});
  EXPECT_EQ(show["show"]["agreement"]["history"].size(), 1u);
  EXPECT_EQ(show["show"]["agreement"]["history"][0]["accepted_by"][0], "Alice");
}

TEST_F(CliTest, ACounterBecomesTheNewVersionAndKeepsUnsaidTerms) {
  Init();
  std::string id = Wrote({"propose", "One evening a week", "--schedule", "tue 19:00-21:00"});
  std::string v2 = Wrote({"counter", id.substr(0, 8), "Two evenings a week"});
  nlohmann::json show = Json({"show", id.substr(0, 8)});
  const auto& history = show["show"]["agreement"]["history"];
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1]["id"], v2);
  EXPECT_EQ(history[1]["counters"], id);
  EXPECT_EQ(history[1]["schedule"]["spec"], "tue 19:00-21:00");
  EXPECT_EQ(show["show"]["agreement"]["active"]["text"], "Two evenings a week");
  EXPECT_EQ(history[0]["status"], "VERSION_STATUS_SUPERSEDED");
}

TEST_F(CliTest, AcceptingWithNothingPendingIsRefused) {
  Init();
  std::string id = Wrote({"propose", "Sunday walks alone"});
  CommandResult r = Run({"accept", id.substr(0, 8)});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err.rfind("accord: error: ", 0), 0u);
  CommandResult d = Run({"decline", id.substr(0, 8)});
  EXPECT_EQ(d.exit_code, 5) << d.err;
}

TEST_F(CliTest, ARetiredAgreementRefusesEveryAction) {
  Init();
  std::string id = Wrote({"propose", "Phones off at dinner"});
  Ok({"retire", id.substr(0, 8), "--note", "we tried, it did not fit"});
  nlohmann::json show = Json({"show", id.substr(0, 8)});
  EXPECT_EQ(show["show"]["agreement"]["status"], "AGREEMENT_STATUS_RETIRED");
  EXPECT_EQ(show["show"]["agreement"]["retire_note"], "we tried, it did not fit");
  for (std::vector<std::string> cmd :
       std::vector<std::vector<std::string>>{{"accept", id.substr(0, 8)},
                                             {"decline", id.substr(0, 8)},
                                             {"retire", id.substr(0, 8)},
                                             {"counter", id.substr(0, 8), "try again"}}) {
    CommandResult r = Run(cmd);
    EXPECT_EQ(r.exit_code, 5) << Describe(cmd, r);
    EXPECT_NE(r.err.find("retired"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Json({"agreements", "--active"})["agreements"]["agreements"].size(), 0u);
  // A retired agreement leaves the default list, which says so; --all still shows it.
  const nlohmann::json current = Json({"agreements"});
  EXPECT_EQ(current["agreements"]["agreements"].size(), 0u);
  EXPECT_EQ(current["agreements"]["retired_not_shown"], "1");
  EXPECT_NE(Ok({"agreements"}).find("(1 retired not shown: --all)"), std::string::npos);
  EXPECT_EQ(Json({"agreements", "--all"})["agreements"]["agreements"].size(), 1u);
}

TEST_F(CliTest, AnUnknownIdIsNotFoundAndAMalformedOneIsAUsageError) {
  Init();
  Wrote({"propose", "Quiet hour after work"});
  CommandResult unknown = Run({"show", "00000000"});
  // A random id starting with eight zeros is possible but not in this life.
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  EXPECT_EQ(Run({"accept", "abc"}).exit_code, 2);    // shorter than 4 digits
  EXPECT_EQ(Run({"accept", "xyzw"}).exit_code, 2);   // not hex
  EXPECT_EQ(Run({"ack", "00000000"}).exit_code, 4);  // no such space request
}

TEST_F(CliTest, AnAmbiguousPrefixListsTheCandidates) {
  Init();
  // Propose until two agreement ids share their first four hex digits (birthday bound:
  // expected after about 320; the loop is capped).
  std::map<std::string, std::string> by_prefix;
  std::string prefix;
  for (int i = 0; i < 3000 && prefix.empty(); ++i) {
    CommandResult r = Run({"propose", "agreement " + std::to_string(i)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string id = r.out.substr(0, 4);
    if (by_prefix.count(id)) prefix = id;
    by_prefix[id] = r.out.substr(0, 8);
  }
  ASSERT_FALSE(prefix.empty());
  CommandResult r = Run({"show", prefix});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("ambiguous"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(by_prefix[prefix]), std::string::npos) << r.err;
}

TEST_F(CliTest, ABadDurationOrScheduleIsAUsageErrorAndWritesNothing) {
  Init();
  EXPECT_EQ(Run({"propose", "x", "--review-every", "2x"}).exit_code, 2);
  EXPECT_EQ(Run({"propose", "x", "--schedule", "tue 19-21"}).exit_code, 2);
  EXPECT_EQ(Run({"propose", "x", "--schedule", "someday 19:00-21:00"}).exit_code, 2);
  EXPECT_EQ(Json({"agreements"})["agreements"]["agreements"].size(), 0u);
}

TEST_F(CliTest, DueListsAReviewPastItsCadenceUntilACheckInAboutIt) {
  Init();
  std::string id = Wrote({"propose", "Review me often", "--review-every", "1s"});
  // The cadence is one second; wait it out (bounded) instead of faking the daemon's clock.
  nlohmann::json due;
  for (int i = 0; i < 100; ++i) {
    due = Json({"due"});
    if (due["due"].contains("due") && !due["due"]["due"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(due["due"]["due"].size(), 1u);
  EXPECT_EQ(due["due"]["due"][0]["agreement_id"], id);
  EXPECT_NE(Ok({"status"}).find("a review is due"), std::string::npos);
  Ok({"checkin", "--agreement", id.substr(0, 8), "--feeling", "5"});
  nlohmann::json after = Json({"due"});
  EXPECT_TRUE(!after["due"].contains("due") || after["due"]["due"].empty()) << after.dump();
}

}  // namespace
}  // namespace accord::testing
