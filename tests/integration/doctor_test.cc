// `accord doctor` and the peer lines of `watch`, with real daemons paired on loopback (with
// --no-discovery, as every loopback test runs: the beacon checks are the LAN tests' part).
#include <gtest/gtest.h>

#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

class DoctorTest : public PactTest {
 protected:
  // The doctor's checks by name (JSON), and its exit code.
  std::pair<int, nlohmann::json> Doctor(const Person& p) {
    CommandResult r = p.daemon->Accord({"--json", "doctor"});
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return {r.exit_code, j.is_discarded() ? nlohmann::json() : j["doctor"]["checks"]};
  }
  static const nlohmann::json* Check(const nlohmann::json& checks, const std::string& prefix) {
    for (const auto& c : checks)
      if (c["name"].get<std::string>().rfind(prefix, 0) == 0) return &c;
    return nullptr;
  }
  bool Connected(const Person& p) {
    const nlohmann::json status = Json(p, {"status"});  // kept: the loop reads into it
    for (const auto& peer : status["status"]["peers"])
      if (peer["state"] == "PEER_STATE_CONNECTED") return true;
    return false;
  }
};

TEST_F(DoctorTest, APairedConnectedDeviceHasNoFailedCheckAndTheWarningsSayWhy) {
  Person& alice = Start("Alice");
  Person& bob = Start("Bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] { return Connected(alice) && Connected(bob); }));
  auto [exit_code, checks] = Doctor(bob);
  EXPECT_EQ(exit_code, 0) << checks.dump(2);
  const nlohmann::json* listening = Check(checks, "listening");
  ASSERT_NE(listening, nullptr);
  EXPECT_EQ((*listening)["result"], "CHECK_RESULT_WARNING");  // loopback only
  EXPECT_NE((*listening)["fix"].get<std::string>().find("--listen"), std::string::npos);
  const nlohmann::json* beacons = Check(checks, "beacons");
  ASSERT_NE(beacons, nullptr);
  EXPECT_NE((*beacons)["detail"].get<std::string>().find("--no-discovery"), std::string::npos);
  const nlohmann::json* addresses = Check(checks, "addresses of Alice's device");
  ASSERT_NE(addresses, nullptr) << checks.dump(2);
  EXPECT_EQ((*addresses)["result"], "CHECK_RESULT_OK");
  EXPECT_NE(Check(checks, "lingering"), nullptr);
  EXPECT_NE(Check(checks, "systemd"), nullptr);
  for (const auto& c : checks) {
    EXPECT_NE(c["result"], "CHECK_RESULT_FAILED") << c.dump();
    if (c["result"] == "CHECK_RESULT_WARNING")
      EXPECT_FALSE(c["fix"].get<std::string>().empty()) << c;
  }
}

TEST_F(DoctorTest, APartnerWhoseRememberedAddressesDoNotAnswerFailsTheDoctor) {
  Person& alice = Start("Alice");
  Person& bob = Start("Bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] { return Connected(bob); }));
  // The check is named for Alice once Bob holds the entry that made her a member.
  ASSERT_TRUE(WaitFor([&] { return Json(bob, {"status"})["status"]["members"].size() == 2; }));
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(WaitFor([&] { return !Connected(bob); }));
  auto [exit_code, checks] = Doctor(bob);
  EXPECT_EQ(exit_code, 1) << checks.dump(2);
  const nlohmann::json* addresses = Check(checks, "addresses of Alice's device");
  ASSERT_NE(addresses, nullptr) << checks.dump(2);
  EXPECT_EQ((*addresses)["result"], "CHECK_RESULT_FAILED");
  EXPECT_NE((*addresses)["detail"].get<std::string>().find(alice.address), std::string::npos);
  EXPECT_FALSE((*addresses)["fix"].get<std::string>().empty());
  // The text form says the same, one line per check and the fix under it.
  CommandResult text = bob.daemon->Accord({"doctor"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("FAILED  addresses of Alice's device"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("        fix: "), std::string::npos);
  EXPECT_NE(text.err.find("accord: error: 1 check failed"), std::string::npos) << text.err;
}

TEST_F(DoctorTest, WithoutADaemonTheDoctorSaysSoAndExitsThree) {
  Person& alice = Start("Alice");
  ASSERT_EQ(alice.daemon->Stop(), 0);
  CommandResult r = alice.daemon->Accord({"doctor"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("FAILED  daemon: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("systemctl --user start accordd"), std::string::npos);
}

TEST_F(DoctorTest, WatchShowsAPeerConnectingAndDisconnectingWithTheReason) {
  Person& alice = Start("Alice");
  Person& bob = Start("Bob");
  ASSERT_EQ(Pair(alice, bob).join_exit, 0);
  ASSERT_TRUE(WaitFor([&] { return Connected(bob); }));
  std::filesystem::path out = dir_.path() / "watch.out";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::execl(AccordBinary().c_str(), "accord", "--home", bob.daemon->home().c_str(), "--json",
            "watch", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto seen = [&] {
    std::ifstream f(out);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  // The watch registers asynchronously: write a need until it shows, then restart Alice.
  ASSERT_TRUE(WaitFor(
      [&] {
        Ok(bob, {"need", "add", "I need a quiet evening"});
        return seen().find("quiet evening") != std::string::npos;
      },
      10));
  ASSERT_EQ(alice.daemon->Stop(), 0);
  ASSERT_TRUE(alice.daemon->Start());
  const bool both = WaitFor(
      [&] {
        std::string s = seen();
        return s.find("PEER_STATE_OFFLINE") != std::string::npos &&
               s.find("PEER_STATE_CONNECTED") != std::string::npos;
      },
      20);
  ::kill(pid, SIGTERM);  // our own child
  ::waitpid(pid, nullptr, 0);
  ASSERT_TRUE(both) << seen();
  std::istringstream lines(seen());
  std::string line;
  bool offline_has_reason = false;
  bool connected_has_reason = false;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j["event"].contains("peer")) continue;
    const nlohmann::json& p = j["event"]["peer"];
    EXPECT_EQ(p["name"], "Alice");
    if (p["state"] == "PEER_STATE_OFFLINE")
      offline_has_reason = !p["reason"].get<std::string>().empty();
    if (p["state"] == "PEER_STATE_CONNECTED")
      connected_has_reason = !p["reason"].get<std::string>().empty();
  }
  EXPECT_TRUE(offline_has_reason) << seen();
  EXPECT_TRUE(connected_has_reason) << seen();
}

}  // namespace
}  // namespace accord::testing
