// NetlinkWatch in a namespace of the test's own: `ip addr add`, `ip addr del` and a link going
// down are each noticed, a burst is one call, a burst that goes on is still reported, and
// messages that another process sends to the watch's socket are ignored.
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "daemon/net/netlink_watch.h"
#include "tests/daemon/net/netns.h"

namespace accord::daemon {
namespace {

using lan::Ip;
using std::chrono::milliseconds;

// Long enough that the `ip` runs of one burst are one burst on a slow, shared machine.
constexpr NetlinkDebounce kTestDebounce{milliseconds(1500), milliseconds(10000)};
constexpr milliseconds kBetweenCommands{20};  // ms the watch runs between two `ip` runs

void MakeVethPair() {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(
      lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"}, {"vb", "10.99.0.2/24", "fe80::2/64"}));
}

TEST(NetlinkWatchLan, ABurstOfAddressChangesIsOneCall) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeVethPair();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    int calls = 0;
    NetlinkWatch watch(
        io, [&] { ++calls; }, kTestDebounce);
    ASSERT_TRUE(watch.Start().ok());
    // Three additions, the watch running between them: it wakes for each, and calls once.
    for (const char* add :
         {"10.99.0.3/24 dev va", "10.99.0.4/24 dev va", "fd00:99::1/64 dev va nodad"}) {
      ASSERT_TRUE(Ip(std::string("addr add ") + add));
      lan::RunFor(io, kBetweenCommands);
    }
    EXPECT_EQ(calls, 0);  // still inside the burst's quiet time
    EXPECT_TRUE(lan::RunUntil(
        io, [&] { return calls > 0; }, kTestDebounce.quiet * 4));
    lan::RunFor(io, kTestDebounce.quiet * 2);  // a second call would come in this time
    EXPECT_EQ(calls, 1);
    EXPECT_GE(watch.changes_seen(), 2u);  // the burst did arrive in several wake-ups
    EXPECT_EQ(watch.calls(), 1u);
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(NetlinkWatchLan, RemovingAnAddressAndALinkGoingDownAreEachNoticed) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeVethPair();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    int calls = 0;
    NetlinkWatch watch(io, [&] { ++calls; });  // the daemon's timing
    ASSERT_TRUE(watch.Start().ok());
    for (const char* change : {"addr add 10.99.0.3/24 dev va", "addr del 10.99.0.3/24 dev va",
                               "link set vb down", "link del va" /* both ends go */}) {
      const int before = calls;
      ASSERT_TRUE(Ip(change));
      EXPECT_TRUE(lan::RunUntil(io, [&] { return calls > before; })) << change;
    }
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(NetlinkWatchLan, ABurstThatGoesOnIsStillReported) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeVethPair();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    int calls = 0;
    // Quiet time never reached while changes keep coming; the maximum delay is.
    const NetlinkDebounce debounce{milliseconds(1000), milliseconds(1500)};
    NetlinkWatch watch(
        io, [&] { ++calls; }, debounce);
    ASSERT_TRUE(watch.Start().ok());
    const auto end = std::chrono::steady_clock::now() + debounce.max_delay * 3;
    for (int i = 0; i < 200 && std::chrono::steady_clock::now() < end; ++i) {
      ASSERT_TRUE(Ip(std::string(i % 2 ? "addr del" : "addr add") + " 10.99.0.7/24 dev va"));
      lan::RunFor(io, milliseconds(100));
    }
    EXPECT_GE(calls, 1);  // during the burst, not after it
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(NetlinkWatchLan, MessagesFromAnotherProcessAreIgnored) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeVethPair();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    int calls = 0;
    NetlinkWatch watch(io, [&] { ++calls; });
    // The first netlink socket of a process gets the process id as its port: the watch's.
    ASSERT_TRUE(watch.Start().ok());
    const int sender = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    ASSERT_GE(sender, 0);
    sockaddr_nl to{};
    to.nl_family = AF_NETLINK;
    to.nl_pid = static_cast<uint32_t>(::getpid());
    // A well-formed RTM_NEWADDR, and garbage, as if from the kernel but not from it.
    uint8_t forged[NLMSG_SPACE(sizeof(ifaddrmsg))] = {};
    nlmsghdr header{};
    header.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
    header.nlmsg_type = RTM_NEWADDR;
    std::memcpy(forged, &header, sizeof header);
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(
          ::sendto(sender, forged, sizeof forged, 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
          static_cast<ssize_t>(sizeof forged))
          << std::strerror(errno);  // delivered: the watch's socket is there to receive it
      uint8_t garbage[97];
      for (size_t j = 0; j < sizeof garbage; ++j) garbage[j] = static_cast<uint8_t>(i * 31 + j);
      ASSERT_GE(
          ::sendto(sender, garbage, sizeof garbage, 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
          0);
    }
    ::close(sender);
    lan::RunFor(io, kNetlinkQuiet * 4);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(watch.changes_seen(), 0u);
    // And the kernel is still heard.
    ASSERT_TRUE(Ip("addr add 10.99.0.3/24 dev va"));
    EXPECT_TRUE(lan::RunUntil(io, [&] { return calls == 1; }));
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(NetlinkWatchLan, StopOrDestructionEndsWatchingAndAPendingCallIsNotMade) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeVethPair();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    int calls = 0;
    auto watch = std::make_unique<NetlinkWatch>(io, [&] { ++calls; });
    ASSERT_TRUE(watch->Start().ok());
    ASSERT_TRUE(Ip("addr add 10.99.0.3/24 dev va"));
    EXPECT_TRUE(lan::RunUntil(io, [&] { return watch->changes_seen() == 1; }));
    watch->Stop();  // inside the quiet time
    ASSERT_TRUE(Ip("addr add 10.99.0.4/24 dev va"));
    lan::RunFor(io, kNetlinkQuiet * 4);
    EXPECT_EQ(calls, 0);
    // Destroyed with a change pending: nothing runs on a gone watch.
    auto second = std::make_unique<NetlinkWatch>(io, [&] { ++calls; });
    ASSERT_TRUE(second->Start().ok());
    ASSERT_TRUE(Ip("addr del 10.99.0.4/24 dev va"));
    EXPECT_TRUE(lan::RunUntil(io, [&] { return second->changes_seen() == 1; }));
    second.reset();
    lan::RunFor(io, kNetlinkQuiet * 4);
    EXPECT_EQ(calls, 0);
    // Destroyed before its loop's first turn.
    auto third = std::make_unique<NetlinkWatch>(io, [&] { ++calls; });
    ASSERT_TRUE(third->Start().ok());
    third.reset();
    ASSERT_TRUE(Ip("addr add 10.99.0.5/24 dev va"));
    lan::RunFor(io, kNetlinkQuiet * 4);
    EXPECT_EQ(calls, 0);
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

}  // namespace
}  // namespace accord::daemon
