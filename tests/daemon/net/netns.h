// Network namespaces of the `lan` tests' own: created with `ip netns add`, removed by the
// guard whatever happens, and entered only by a forked child, so that the test process itself
// never changes namespace. Test thread only; every wait is bounded and ends what it started.
#ifndef ACCORD_TESTS_DAEMON_NET_NETNS_H_
#define ACCORD_TESTS_DAEMON_NET_NETNS_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace accord::daemon::lan {

constexpr std::chrono::seconds kCommandLimit{10};  // s for one `ip` run, then it is killed
constexpr std::chrono::seconds kChildLimit{60};    // s for a test body in its namespace
constexpr std::chrono::seconds kWaitLimit{5};      // s for an expected event to happen

// Runs argv (PATH lookup), stdout and stderr captured (into `output` if given); fails with
// them on a nonzero exit.
::testing::AssertionResult Run(const std::vector<std::string>& argv, std::string* output = nullptr,
                               std::chrono::seconds limit = kCommandLimit);
// Run({"ip", words of `args`...}): Ip("link set va up").
::testing::AssertionResult Ip(const std::string& args);

// "accord-t-<pid>-<n>", n counting up within this process.
std::string NextNamespaceName();

// Creates the namespace (ok() says whether that worked) and deletes it when it goes.
class NetnsGuard {
 public:
  NetnsGuard();
  ~NetnsGuard();
  NetnsGuard(const NetnsGuard&) = delete;
  NetnsGuard& operator=(const NetnsGuard&) = delete;
  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool ok_ = false;
};

// Moves the calling process into the named namespace. Only for a forked child.
::testing::AssertionResult EnterNetns(const std::string& name);

// Forks; the child enters `name`, runs `body` (gtest assertions there print as usual and
// fail the child) and exits. Fails if the child fails, crashes or outlives `limit` (then it
// is killed).
::testing::AssertionResult RunInNetns(const std::string& name, const std::function<void()>& body,
                                      std::chrono::seconds limit = kChildLimit);

// One end of a veth pair: its name and addresses ("10.99.0.1/24", "fe80::1/64"; empty for
// none).
struct VethEnd {
  std::string name;
  std::string ipv4;
  std::string ipv6;
};
// In the current namespace: a veth pair with both ends up and addressed (IPv4 with its
// broadcast address, IPv6 without duplicate detection, no automatic link-local address).
// With `b_netns`, end b goes to that namespace first. Returns once both ends are
// operationally up (before that, the kernel drops what is sent on them).
::testing::AssertionResult AddVethPair(const VethEnd& a, const VethEnd& b,
                                       const std::string& b_netns = "");

// Runs `io` in short turns until `done` holds (true) or `limit` passes (false).
bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds limit = kWaitLimit);
// Runs `io` for `span` (to show that something does NOT happen in that time).
void RunFor(asio::io_context& io, std::chrono::milliseconds span);

// Skips the test unless it runs as root (namespaces and veth pairs need it).
#define ACCORD_REQUIRE_ROOT()                                                                 \
  do {                                                                                        \
    if (::geteuid() != 0)                                                                     \
      GTEST_SKIP() << "needs root: creates network namespaces (ip netns add) and veth pairs"; \
  } while (0)

}  // namespace accord::daemon::lan

#endif  // ACCORD_TESTS_DAEMON_NET_NETNS_H_
