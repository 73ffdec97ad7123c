// `accord watch` against real daemons on loopback (SPEC §6): a large catch-up shows as
// progress lines, not a line per entry, and a partner device connecting and disconnecting
// shows as a line each.
#include "tests/integration/pact_fixture.h"

namespace accord::testing {
namespace {

// `accord --json watch` on `home`, its output in `out`, until destroyed.
class Watch {
 public:
  Watch(const std::filesystem::path& home, std::filesystem::path out) : out_(std::move(out)) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::execl(AccordBinary().c_str(), "accord", "--home", home.c_str(), "--json", "watch",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Watch() {
    ::kill(pid_, SIGTERM);  // our own child
    ::waitpid(pid_, nullptr, 0);
  }
  std::vector<nlohmann::json> Events() const {
    std::vector<nlohmann::json> events;
    std::ifstream f(out_);
    std::string line;
    while (std::getline(f, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.contains("event")) events.push_back(j["event"]);
    }
    return events;
  }
  std::string Dump() const {
    std::string all;
    for (const nlohmann::json& e : Events()) all += e.dump() + "\n";
    return all;
  }
  bool Saw(const std::string& text) const {
    for (const nlohmann::json& e : Events())
      if (e.value("summary", "").find(text) != std::string::npos) return true;
    return false;
  }

 private:
  std::filesystem::path out_;
  pid_t pid_ = -1;
};

TEST_F(PactTest, AnInitialSyncIsProgressLinesAndConnectionsAreShown) {
  constexpr int kEntries = 150;  // well above kQuietCatchUpEntries
  Person& alice = Start("alice");
  for (int i = 0; i < kEntries; ++i)
    Ok(alice, {"appreciate", "thanks number " + std::to_string(i)});
  Person& bob = Start("bob");
  Watch watch(bob.daemon->home(), dir_.path() / "bob-watch.out");
  // The watch registers asynchronously: Bob writes until his own entry shows in it.
  ASSERT_TRUE(WaitFor(
      [&] {
        Ok(bob, {"need", "add", "I need a quiet start to the day"});
        return watch.Saw("quiet start");
      },
      15));

  ASSERT_EQ(Pair(alice, bob).join_exit, 0) << alice.daemon->Log() << bob.daemon->Log();
  ASSERT_TRUE(WaitFor([&] { return watch.Saw("caught up with alice's device"); }))
      << bob.daemon->Log();
  std::vector<nlohmann::json> events = watch.Events();
  size_t singly = 0, progress = 0;
  for (const nlohmann::json& e : events) {
    if (e.value("summary", "").find("thanks number") != std::string::npos) ++singly;
    if (e.contains("progress")) ++progress;
  }
  EXPECT_EQ(singly, 0u) << "the catch-up's entries were shown one by one";
  EXPECT_GE(progress, 2u);  // the first line and the last
  EXPECT_LT(events.size(), 30u);
  EXPECT_TRUE(watch.Saw("connected")) << bob.daemon->Log();

  // Live again after the catch-up: one entry, one line.
  Ok(alice, {"appreciate", "a live one"});
  EXPECT_TRUE(WaitFor([&] { return watch.Saw("a live one"); })) << watch.Dump();

  // Alice's daemon goes away and comes back: Bob's watch says so each time.
  ASSERT_EQ(alice.daemon->Stop(), 0);
  EXPECT_TRUE(WaitFor([&] { return watch.Saw("disconnected"); })) << bob.daemon->Log();
  ASSERT_TRUE(alice.daemon->Start()) << alice.daemon->Log();
  EXPECT_TRUE(WaitFor([&] {
    size_t connected = 0;
    for (const nlohmann::json& e : watch.Events())
      if (e.contains("peer") && e["peer"].value("state", "") == "PEER_STATE_CONNECTED") ++connected;
    return connected >= 2;
  })) << bob.daemon->Log();
}

}  // namespace
}  // namespace accord::testing
