// Desktop notifications (SPEC §7) between two real daemons: Bob's accordd talks to a private
// session bus on which a fake notification server records every Notify; Alice's has no bus.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "tests/integration/fake_notification_server.h"
#include "tests/integration/pact_fixture.h"
#include "tests/integration/private_session_bus.h"

namespace accord::testing {
namespace {

// Sets (or, with nullptr, unsets) one variable of this test process, which the daemons it
// starts inherit; puts it back when it goes.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

constexpr const char* kSecret = "walking to the lighthouse";  // Alice's words, never in quiet

class NotifyTest : public PactTest {
 protected:
  // A private bus with a fake server, Alice with no bus at all, Bob on the private bus with
  // `bob_args`, and the two paired.
  // (tests/support's Daemon passes --notify none unless told a mode.)
  void SetUpPact(std::vector<std::string> bob_args = {"--notify", "quiet"}, bool hang = false) {
    bus_ = std::make_unique<PrivateSessionBus>(dir_.path() / "bus");
    ASSERT_FALSE(bus_->address().empty())
        << "dbus-daemon did not start (package dbus-daemon; scripts/install-deps.sh)";
    server_ = std::make_unique<FakeNotificationServer>(bus_->address(), hang);
    ASSERT_TRUE(server_->ok()) << "the fake notification server could not take its name";
    {
      std::filesystem::create_directories(dir_.path() / "alice-runtime");  // holds no bus
      ScopedEnv no_bus("DBUS_SESSION_BUS_ADDRESS", nullptr);
      ScopedEnv runtime("XDG_RUNTIME_DIR", (dir_.path() / "alice-runtime").c_str());
      alice_ = &Start("Alice", {"--notify", "quiet"});
    }
    {
      ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", bus_->address().c_str());
      bob_ = &Start("Bob", bob_args);
    }
    PairResult paired = Pair(*alice_, *bob_);
    ASSERT_EQ(paired.join_exit, 0) << paired.join_err;
  }

  // Alice asks for space; returns once Bob holds the request (or the bound passed).
  void AliceAsks(const std::string& message, size_t bob_should_hold) {
    Ok(*alice_, {"ask", "30m", message});
    EXPECT_TRUE(WaitFor([&] {
      return Json(*bob_, {"space"})["space"]["in_space"].size() >= bob_should_hold;
    })) << "Bob never received Alice's request";
  }

  // Waits until `pred` holds for the recorded calls (bounded).
  bool WaitForCalls(
      const std::function<bool(const std::vector<FakeNotificationServer::Call>&)>& pred,
      int seconds = 20) {
    return WaitFor([&] { return pred(server_->Calls()); }, seconds);
  }

  static void ExpectNoSecret(const FakeNotificationServer::Call& c) {
    EXPECT_EQ(c.summary.find("lighthouse"), std::string::npos) << c.summary;
    EXPECT_EQ(c.body.find("lighthouse"), std::string::npos) << c.body;
  }

  std::unique_ptr<PrivateSessionBus> bus_;
  std::unique_ptr<FakeNotificationServer> server_;
  Person* alice_ = nullptr;
  Person* bob_ = nullptr;
};

TEST_F(NotifyTest, APartnersSpaceRequestIsOneQuietNotification) {
  SetUpPact();
  AliceAsks(kSecret, 1);
  ASSERT_TRUE(WaitForCalls([](const auto& calls) { return !calls.empty(); }))
      << bob_->daemon->Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // nothing else follows
  std::vector<FakeNotificationServer::Call> calls = server_->Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].app_name, "accord");
  EXPECT_EQ(calls[0].replaces_id, 0u);
  EXPECT_EQ(calls[0].summary, "Alice asked for space");
  EXPECT_EQ(calls[0].body, "");
  ExpectNoSecret(calls[0]);
  // Alice's own daemon: no bus, so one info line about it, and no error at all.
  std::string log = alice_->daemon->Log();
  size_t bus_lines = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.rfind("<3>", 0), 0u) << line;
    if (line.find("session bus") != std::string::npos) {
      ++bus_lines;
      EXPECT_EQ(line.rfind("<6>", 0), 0u) << line;
    }
  }
  EXPECT_EQ(bus_lines, 1u) << log;
  // Bob's daemon reached its bus: it says nothing about one.
  EXPECT_EQ(bob_->daemon->Log().find("session bus"), std::string::npos) << bob_->daemon->Log();
}

TEST_F(NotifyTest, TenRequestsInAMinuteAreOneNotificationUpdatedInPlace) {
  SetUpPact();
  for (int i = 1; i <= 10; ++i) AliceAsks(std::string(kSecret) + " " + std::to_string(i), i);
  ASSERT_TRUE(WaitForCalls([](const auto& calls) {
    return !calls.empty() && calls.back().summary == "Alice asked for space (10)";
  })) << bob_->daemon->Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  std::vector<FakeNotificationServer::Call> calls = server_->Calls();
  // One notification: the first call creates it, every later one replaces it by its id.
  ASSERT_GE(calls.size(), 1u);
  EXPECT_LE(calls.size(), 10u);
  EXPECT_EQ(calls[0].replaces_id, 0u);
  EXPECT_EQ(calls[0].summary, "Alice asked for space");
  for (size_t i = 1; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].replaces_id, calls[0].id) << "call " << i << ": " << calls[i].summary;
  }
  EXPECT_EQ(calls.back().summary, "Alice asked for space (10)");
  for (const auto& c : calls) ExpectNoSecret(c);
}

TEST_F(NotifyTest, FullModeShowsTheWordsEscapedForMarkup) {
  SetUpPact({"--notify", "full"});
  AliceAsks("a walk <b>now</b> & back", 1);
  ASSERT_TRUE(WaitForCalls([](const auto& calls) { return !calls.empty(); }))
      << bob_->daemon->Log();
  std::vector<FakeNotificationServer::Call> calls = server_->Calls();
  EXPECT_EQ(calls[0].summary, "Alice asked for space");
  // The fake server reads bodies as markup (GetCapabilities), so the words are escaped.
  EXPECT_EQ(calls[0].body, "a walk &lt;b&gt;now&lt;/b&gt; &amp; back");
}

TEST_F(NotifyTest, NoneModeSendsNothing) {
  SetUpPact({"--notify", "none"});
  AliceAsks(kSecret, 1);
  Ok(*alice_, {"propose", "Tuesday evenings are mine"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(server_->Calls().empty());
}

TEST_F(NotifyTest, AProposalAndOwnWritesOnlyTheProposalNotifies) {
  SetUpPact();
  Ok(*bob_, {"ask", "30m", "my own request"});  // Bob's own write: never told to Bob
  std::string id = Json(*alice_, {"propose", "Tuesday evenings are mine"})["written"]["id"];
  ASSERT_TRUE(WaitForCalls([](const auto& calls) { return !calls.empty(); }))
      << bob_->daemon->Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  std::vector<FakeNotificationServer::Call> calls = server_->Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].summary, "Alice proposed an agreement");
  EXPECT_EQ(calls[0].body, "");
}

TEST_F(NotifyTest, AReviewThatBecomesDueIsToldOnce) {
  SetUpPact({"--notify", "full"});
  std::string id = Json(
      *alice_, {"propose", "Tuesday evenings are mine", "--review-every", "3s"})["written"]["id"];
  ASSERT_TRUE(WaitFor([&] {
    return Json(*bob_, {"agreements", "--all"}).dump().find(id) != std::string::npos;
  }));
  Ok(*bob_, {"accept", id.substr(0, 12)});  // active from now: due three seconds later
  auto reviews = [](const std::vector<FakeNotificationServer::Call>& calls) {
    return std::count_if(calls.begin(), calls.end(),
                         [](const auto& c) { return c.summary == "An agreement review is due"; });
  };
  ASSERT_TRUE(WaitForCalls([&](const auto& calls) { return reviews(calls) >= 1; }))
      << bob_->daemon->Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  std::vector<FakeNotificationServer::Call> calls = server_->Calls();
  EXPECT_EQ(reviews(calls), 1);
  for (const auto& c : calls) {
    if (c.summary == "An agreement review is due") EXPECT_EQ(c.body, "Tuesday evenings are mine");
  }
}

TEST_F(NotifyTest, AHungNotificationServerDoesNotStallSync) {
  SetUpPact({"--notify", "quiet"}, /*hang=*/true);
  // Every Notify waits out its whole timeout (a second) on the sender's thread: were the
  // daemon thread to wait too, ten requests would take ten seconds or more to arrive.
  const auto before = std::chrono::steady_clock::now();
  for (int i = 1; i <= 10; ++i) AliceAsks("request " + std::to_string(i), i);
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(8));
  EXPECT_TRUE(WaitForCalls([](const auto& calls) { return !calls.empty(); }));
  EXPECT_EQ(bob_->daemon->Stop(), 0) << bob_->daemon->Log();  // and it still shuts down cleanly
  EXPECT_EQ(bob_->daemon->Log().find("<3>"), std::string::npos) << bob_->daemon->Log();
}

// Without --notify the daemon notifies (quiet): run by hand, not through tests/support's
// Daemon, which turns notifications off. A bus address that leads nowhere shows it tried.
TEST_F(NotifyTest, WithoutAModeTheDaemonLooksForTheSessionBus) {
  const std::filesystem::path home = dir_.path() / "home";
  std::filesystem::create_directories(home);
  std::filesystem::permissions(home, std::filesystem::perms::owner_all);
  const std::filesystem::path log = dir_.path() / "accordd.log";
  const std::string nowhere = "unix:path=" + (dir_.path() / "no-bus-here").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 2);
    ::dup2(fd, 1);
    ::setenv("DBUS_SESSION_BUS_ADDRESS", nowhere.c_str(), 1);
    ::execl(AccorddBinary().c_str(), "accordd", "--home", home.c_str(), "--listen", "127.0.0.1:0",
            "--no-discovery", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto log_text = [&] {
    std::ifstream f(log);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  EXPECT_TRUE(WaitFor(
      [&] { return log_text().find("<6>accordd: no session bus") != std::string::npos; }, 20))
      << log_text();
  ::kill(pid, SIGTERM);  // our own child
  int status = 0;
  if (!WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 15)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << log_text();
  EXPECT_EQ(log_text().find("<3>"), std::string::npos) << log_text();
}

}  // namespace
}  // namespace accord::testing
