// An idle daemon sleeps (issue 14): with nothing due it is not woken at all, and with a
// connected peer only by keepalives. Wake-ups are counted as the context switches of every
// thread of the real accordd (/proc/PID/task/*/status) over a quiet window: a thread blocked
// in epoll_wait gains none until something wakes it. The window is a span of sleep, not a
// limit on how fast anything must be. Sessions' liveness over real minutes is in
// sync_idle_test.cc (label "slow").
#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "daemon/net/sync_connection.h"
#include "tests/integration/peer_attack_fixture.h"

namespace accord::testing {
namespace {

using IdleWakeupsTest = PeerAttackTest;

// Long enough that the old 200 ms dial tick would show 20 times over, short beside a test run.
constexpr std::chrono::seconds kQuietWindow{4};
// What a sleeping process can still be charged with that is not ours: Asio's reactor re-arms
// its timerfd at least every 5 minutes even with no timer due (one wake, if that moment falls
// in the window), and one switch for the kernel's own doing (a page fault on a page it
// reclaimed, say). Anything periodic of ours shows kQuietWindow / period times over.
constexpr uint64_t kNoiseWakeups = 2;
// A keepalive costs its sender one wake (the heartbeat timer) and its receiver one or two
// (the frame's header and body may arrive as separate reads).
constexpr uint64_t kWakeupsPerKeepalive = 2;

// Voluntary plus involuntary context switches of each thread of `pid`, by thread id.
std::map<std::string, uint64_t> ContextSwitches(pid_t pid) {
  std::map<std::string, uint64_t> out;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream status(task.path() / "status");
    std::string line;
    uint64_t switches = 0;
    for (int lines = 0; lines < 200 && std::getline(status, line); ++lines) {
      for (const std::string key : {"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"}) {
        if (line.rfind(key, 0) == 0) switches += std::stoull(line.substr(key.size()));
      }
    }
    out[task.path().filename().string()] = switches;
  }
  return out;
}

// How many times `pid`'s threads were switched in over `window` of our sleep. A thread that
// appeared meanwhile counts in full; one that ended is not counted (it was woken to end,
// which a check of the thread count would show).
uint64_t WakeupsOver(pid_t pid, std::chrono::seconds window) {
  const std::map<std::string, uint64_t> before = ContextSwitches(pid);
  std::this_thread::sleep_for(window);
  uint64_t woken = 0;
  for (const auto& [tid, switches] : ContextSwitches(pid)) {
    auto was = before.find(tid);
    woken += switches - (was == before.end() ? 0 : std::min(was->second, switches));
  }
  return woken;
}

// What is left of a start or a client's request (a closing socket, a posted handler) has run.
void Settle() { std::this_thread::sleep_for(std::chrono::seconds(1)); }

// When the kernel will next wake `pid` for a timer: the soonest `it_value` of its armed
// timerfds (/proc/PID/fdinfo), nullopt if none is armed. Asio keeps one per reactor.
std::optional<std::chrono::seconds> NextTimerWake(pid_t pid) {
  std::optional<std::chrono::seconds> soonest;
  std::error_code ec;
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  for (const auto& fd : std::filesystem::directory_iterator(proc / "fd", ec)) {
    std::error_code link_error;
    if (std::filesystem::read_symlink(fd.path(), link_error).string() != "anon_inode:[timerfd]")
      continue;
    std::ifstream info(proc / "fdinfo" / fd.path().filename());
    std::string line;
    for (int lines = 0; lines < 50 && std::getline(info, line); ++lines) {
      long long sec = 0, nsec = 0;
      if (std::sscanf(line.c_str(), "it_value: (%lld, %lld)", &sec, &nsec) != 2) continue;
      if (sec == 0 && nsec == 0) break;  // disarmed
      const std::chrono::seconds at{sec};
      if (!soonest || at < *soonest) soonest = at;
    }
  }
  return soonest;
}

TEST_F(IdleWakeupsTest, ADaemonWithNoPeersIsNotWokenWhileNothingIsDue) {
  Person& alice = Start("alice");  // --no-discovery (tests/support/process.cc): no beacons
  ASSERT_EQ(Json(alice, {"status"})["status"]["device_key"].get<std::string>().size(), 64u);
  Settle();
  const size_t threads_before = ContextSwitches(alice.daemon->pid()).size();
  const uint64_t woken = WakeupsOver(alice.daemon->pid(), kQuietWindow);
  RecordProperty("wakeups", std::to_string(woken));
  EXPECT_LE(woken, kNoiseWakeups) << "an idle daemon woke " << woken << " times in "
                                  << kQuietWindow.count() << " s";
  EXPECT_EQ(ContextSwitches(alice.daemon->pid()).size(), threads_before);
  // Asleep, not stuck: it still answers at once.
  EXPECT_EQ(Json(alice, {"status"})["status"]["device_key"].get<std::string>().size(), 64u);
}

// The local socket's deadline for a half-sent request is cancelled once the request is whole;
// a cancelled Asio timer must not leave the kernel's timer set for it (one wake a minute
// after every command). What stays is Asio's own cap on an idle sleep, 5 minutes.
TEST_F(IdleWakeupsTest, AnAnsweredRequestLeavesNoDeadlineToWakeFor) {
  Person& alice = Start("alice");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Json(alice, {"status"})["status"]["device_key"].get<std::string>().size(), 64u);
  }
  Settle();
  const std::optional<std::chrono::seconds> next = NextTimerWake(alice.daemon->pid());
  if (next) {
    EXPECT_GT(*next, std::chrono::seconds(120))
        << "the daemon will be woken in " << next->count() << " s with nothing due";
  }
}

TEST_F(IdleWakeupsTest, PairedDaemonsAreWokenOnlyByKeepalives) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  PairAndSync(alice, bob);
  ASSERT_TRUE(WaitFor([&] { return PeerState(bob, alice.name) == "PEER_STATE_CONNECTED"; }));
  Settle();
  // Each side sends a keepalive after kKeepaliveInterval of quiet and hears the other's:
  // over the window at most this many of each, so this many wakes.
  const uint64_t keepalives_per_side =
      (kQuietWindow + daemon::kKeepaliveInterval - std::chrono::seconds(1)) /
      daemon::kKeepaliveInterval;
  const uint64_t allowed = 2 * keepalives_per_side * kWakeupsPerKeepalive + kNoiseWakeups;
  const pid_t alice_pid = alice.daemon->pid();
  const pid_t bob_pid = bob.daemon->pid();
  uint64_t alice_woken = 0;
  std::thread measure_alice([&] { alice_woken = WakeupsOver(alice_pid, kQuietWindow); });
  const uint64_t bob_woken = WakeupsOver(bob_pid, kQuietWindow);
  measure_alice.join();
  RecordProperty("alice_wakeups", std::to_string(alice_woken));
  RecordProperty("bob_wakeups", std::to_string(bob_woken));
  EXPECT_LE(alice_woken, allowed) << "alice woke " << alice_woken << " times";
  EXPECT_LE(bob_woken, allowed) << "bob woke " << bob_woken << " times";
  // The session held through the quiet and still carries what is written.
  EXPECT_EQ(PeerState(alice, bob.name), "PEER_STATE_CONNECTED");
  Ok(bob, {"need", "add", "a slow morning"});
  EXPECT_TRUE(WaitFor(
      [&] { return Json(alice, {"needs"}).dump().find("slow morning") != std::string::npos; }));
}

}  // namespace
}  // namespace accord::testing
