// Two real daemons, paired: a partner's decline note and acknowledgement note reach the other
// side's `show`, `space`, `watch` and exports (SPEC §6).
#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

class PartnerNotesTest : public PactTest {
 protected:
  void SetUp() override {
    alice_ = &Start("alice");
    bob_ = &Start("bob");
    PairResult pair = Pair(*alice_, *bob_);
    ASSERT_EQ(pair.join_exit, 0) << pair.join_err << alice_->daemon->Log();
    ASSERT_TRUE(WaitFor([&] { return Json(*bob_, {"status"})["status"]["members"].size() == 2; }));
  }

  // Starts `accord --json watch` for `p` with stdout in `out`; returns its pid.
  pid_t Watch(const Person& p, const std::filesystem::path& out) {
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      int devnull = ::open("/dev/null", O_RDWR);
      ::dup2(devnull, 0);
      ::dup2(devnull, 2);
      ::execl(AccordBinary().c_str(), "accord", "--home", p.daemon->home().c_str(), "--json",
              "watch", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  }
  static void StopWatch(pid_t pid) {
    ::kill(pid, SIGTERM);  // our own child, by pid
    int status = 0;
    if (!WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 5)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
  }
  static std::string Read(const std::filesystem::path& file) {
    std::ifstream f(file);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  // The watch event of `kind` in `file` (one JSON object per line), or null.
  static nlohmann::json EventOf(const std::filesystem::path& file, const std::string& kind) {
    std::istringstream lines(Read(file));
    std::string line;
    while (std::getline(lines, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.contains("event") && j["event"]["kind"] == kind) return j;
    }
    return nullptr;
  }

  Person* alice_ = nullptr;
  Person* bob_ = nullptr;
};

TEST_F(PartnerNotesTest, BobsDeclineNoteIsShownToAliceInShowWatchAndExports) {
  const std::string id = Json(*alice_, {"propose", "Tuesday evenings are mine"})["written"]["id"];
  const std::string prefix = id.substr(0, 8);
  ASSERT_TRUE(WaitFor([&] {
    return bob_->daemon->Accord({"show", prefix}).exit_code == 0;
  })) << bob_->daemon->Log();
  // Alice's watch is registered before Bob declines: she gets the event live.
  const std::filesystem::path watch = dir_.path() / "alice-watch.out";
  const pid_t watcher = Watch(*alice_, watch);
  ASSERT_TRUE(WaitFor(
      [&] {
        Ok(*alice_, {"need", "add", "I need a quiet hour"});
        return Read(watch).find("ENTRY_KIND_NEED") != std::string::npos;
      },
      20));

  const std::string note = "not Tuesdays; I have choir. Thursdays?";
  Ok(*bob_, {"decline", prefix, "--note", note});
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json v = Json(*alice_, {"show", prefix})["show"]["agreement"]["history"][0];
    return v.contains("declines") && v["declines"].size() == 1;
  })) << alice_->daemon->Log();

  nlohmann::json decline =
      Json(*alice_, {"show", prefix})["show"]["agreement"]["history"][0]["declines"][0];
  EXPECT_EQ(decline["name"], "bob");
  EXPECT_EQ(decline["note"], note);
  EXPECT_GT(std::stoll(decline["time_ms"].get<std::string>()), 0);  // int64: a JSON string
  const std::string shown = Ok(*alice_, {"show", prefix});
  const size_t line = shown.find("declined by bob, ");
  ASSERT_NE(line, std::string::npos) << shown;
  EXPECT_NE(shown.find(": " + note + "\n", line), std::string::npos) << shown;

  ASSERT_TRUE(WaitFor([&] { return !EventOf(watch, "ENTRY_KIND_DECLINE").is_null(); }, 20))
      << Read(watch);
  StopWatch(watcher);
  nlohmann::json event = EventOf(watch, "ENTRY_KIND_DECLINE")["event"];
  EXPECT_EQ(event["author_name"], "bob");
  EXPECT_EQ(event["note"], note);
  EXPECT_EQ(event["summary"], "declined " + prefix + ": " + note);

  nlohmann::json exported = nlohmann::json::parse(Ok(*alice_, {"export", "--format", "json"}));
  EXPECT_EQ(exported["agreements"][0]["history"][0]["declines"][0]["note"], note);
  const std::string md = Ok(*alice_, {"export", "--format", "md"});
  EXPECT_NE(md.find("  - declined by bob, "), std::string::npos) << md;
  EXPECT_NE(md.find(note), std::string::npos) << md;
}

TEST_F(PartnerNotesTest, BobsAcknowledgementNoteIsShownToAliceInSpaceAndExports) {
  const std::string id = Json(*alice_, {"ask", "2h", "a long walk"})["written"]["id"];
  const std::string prefix = id.substr(0, 8);
  ASSERT_TRUE(WaitFor([&] { return Json(*bob_, {"space"})["space"]["in_space"].size() == 1; }))
      << bob_->daemon->Log();
  // Until Bob acknowledges it, Bob's status asks him to, in words first; never Alice's own.
  nlohmann::json waiting = Json(*bob_, {"status"})["status"]["to_acknowledge"];
  ASSERT_EQ(waiting.size(), 1u) << waiting.dump();
  EXPECT_EQ(waiting[0]["id"], id);
  EXPECT_NE(Ok(*bob_, {"status"}).find("accord ack " + prefix), std::string::npos);
  EXPECT_TRUE(Json(*alice_, {"status"})["status"]["to_acknowledge"].empty());
  const std::string note = "enjoy it, I'll cook tonight";
  Ok(*bob_, {"ack", prefix, "--note", note});
  EXPECT_TRUE(Json(*bob_, {"status"})["status"]["to_acknowledge"].empty());
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json s = Json(*alice_, {"space"})["space"]["in_space"];
    return s.size() == 1 && s[0].contains("acks") && s[0]["acks"].size() == 1;
  })) << alice_->daemon->Log();

  nlohmann::json ack = Json(*alice_, {"space"})["space"]["in_space"][0]["acks"][0];
  EXPECT_EQ(ack["name"], "bob");
  EXPECT_EQ(ack["note"], note);
  const std::string shown = Ok(*alice_, {"space"});
  EXPECT_NE(shown.find("(acknowledged by bob)\n          bob: " + note + "\n"), std::string::npos)
      << shown;

  nlohmann::json exported = nlohmann::json::parse(Ok(*alice_, {"export", "--format", "json"}));
  EXPECT_EQ(exported["space_requests"][0]["acks"][0]["note"], note);
  const std::string md = Ok(*alice_, {"export", "--format", "md"});
  const size_t space = md.find("## Space requests");
  ASSERT_NE(space, std::string::npos) << md;
  EXPECT_NE(md.find("  - acknowledged by bob, ", space), std::string::npos) << md;
  EXPECT_NE(md.find(note, space), std::string::npos) << md;
}

}  // namespace
}  // namespace accord::testing
