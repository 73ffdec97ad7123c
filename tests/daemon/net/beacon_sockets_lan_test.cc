// BeaconSockets between namespaces of the test's own, joined by veth pairs: SendAll leaves by
// every interface (limited and directed broadcast, the IPv6 group) and the receiver sees the
// sender's addresses; failures are counted per destination; oversize datagrams are dropped;
// a flood of garbage and receive errors leave the loop running; group memberships follow
// the interfaces; a port held by another program is a clear kIo.
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <compare>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "daemon/net/beacon_sockets.h"
#include "tests/daemon/net/netns.h"

namespace accord::daemon {
namespace {

using lan::Ip;
using std::chrono::milliseconds;
using Endpoint = asio::ip::udp::endpoint;

constexpr uint16_t kPort = 41643;
constexpr const char* kGroup = "ff12::a2ab";
constexpr int kFloodDatagrams = 3000;  // garbage datagrams sent at one receiver
constexpr int kFloodBatch = 100;       // sent before the receiver is let catch up

// What a BeaconSockets hands on.
struct Heard {
  std::vector<Endpoint> from;
  std::vector<Bytes> payloads;
  BeaconSockets::OnDatagramFn Recorder() {
    return [this](ByteView payload, const Endpoint& sender) {
      from.push_back(sender);
      payloads.emplace_back(payload.begin(), payload.end());
    };
  }
};

asio::ip::address V6(const char* text, unsigned scope) {
  asio::ip::address_v6 a = asio::ip::make_address_v6(text);
  a.scope_id(scope);
  return a;
}

std::multiset<asio::ip::address> Addresses(const std::vector<Endpoint>& endpoints) {
  std::multiset<asio::ip::address> out;
  for (const Endpoint& e : endpoints) out.insert(e.address());
  return out;
}

// A plain IPv4 socket on the beacon port that also reports each datagram's destination and
// arrival interface (IP_PKTINFO), to see which broadcast came in where.
class PktinfoProbe {
 public:
  struct Arrival {
    std::string destination;
    unsigned index;
    std::string source;
    auto operator<=>(const Arrival&) const = default;
  };

  explicit PktinfoProbe(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int on = 1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(port);
    ok_ = fd_ >= 0 && ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
          ::setsockopt(fd_, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) == 0 &&
          ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0;
  }
  ~PktinfoProbe() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return ok_; }

  std::multiset<Arrival> Drain() {
    std::multiset<Arrival> out;
    for (int i = 0; i < 1000; ++i) {
      uint8_t data[kMaxBeaconDatagramBytes];
      sockaddr_in from{};
      iovec iov{data, sizeof data};
      alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in_pktinfo))];
      msghdr m{};
      m.msg_name = &from;
      m.msg_namelen = sizeof from;
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      if (::recvmsg(fd_, &m, 0) < 0) break;
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) continue;
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        out.insert({asio::ip::address_v4(ntohl(info.ipi_addr.s_addr)).to_string(),
                    static_cast<unsigned>(info.ipi_ifindex),
                    asio::ip::address_v4(ntohl(from.sin_addr.s_addr)).to_string()});
      }
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

// Sender namespace: va 10.99.0.1 fe80::1 and vc 10.99.1.1 fe80::3; receiver namespace: their
// peers vb 10.99.0.2 fe80::2 and vd 10.99.1.2 fe80::4. Run in the sender's namespace.
void MakeTwoLinks(const std::string& receiver_ns, bool second_link = true) {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(Ip("-n " + receiver_ns + " link set lo up"));
  ASSERT_TRUE(lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"},
                               {"vb", "10.99.0.2/24", "fe80::2/64"}, receiver_ns));
  if (!second_link) return;
  ASSERT_TRUE(lan::AddVethPair({"vc", "10.99.1.1/24", "fe80::3/64"},
                               {"vd", "10.99.1.2/24", "fe80::4/64"}, receiver_ns));
}

// One namespace: va 10.99.0.1 fe80::1 and its peer vb 10.99.0.2 fe80::2.
void MakeOneLink() {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(
      lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"}, {"vb", "10.99.0.2/24", "fe80::2/64"}));
}

TEST(BeaconSocketsLan, SendAllLeavesByEveryInterfaceAndTheReceiverSeesTheSender) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard sender_ns;
  lan::NetnsGuard receiver_ns;
  ASSERT_TRUE(sender_ns.ok() && receiver_ns.ok());
  const auto body = [&] {
    MakeTwoLinks(receiver_ns.name());
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    // Sockets stay in the namespace they were made in: the receiver's first.
    ASSERT_TRUE(lan::EnterNetns(receiver_ns.name()));
    const unsigned vb = ::if_nametoindex("vb");
    const unsigned vd = ::if_nametoindex("vd");
    BeaconSockets receiver(io, kPort, kGroup);
    Heard heard;
    receiver.OnDatagram(heard.Recorder());
    ASSERT_TRUE(receiver.Open().ok());
    EXPECT_EQ(receiver.groups_joined(), 2u);  // vb and vd, not lo
    PktinfoProbe probe(kPort);
    ASSERT_TRUE(probe.ok());

    ASSERT_TRUE(lan::EnterNetns(sender_ns.name()));
    const unsigned va = ::if_nametoindex("va");
    const unsigned vc = ::if_nametoindex("vc");
    BeaconSockets sender(io, kPort, kGroup);
    Heard own;
    sender.OnDatagram(own.Recorder());
    ASSERT_TRUE(sender.Open().ok());
    const Bytes beacon = {0xa1, 0x1c, 0xe5, 0x00, 0xff};
    sender.SendAll(beacon);
    EXPECT_EQ(sender.sent(), 6u);  // per link: limited broadcast, directed broadcast, group
    EXPECT_EQ(sender.send_errors(), 0u);

    EXPECT_TRUE(lan::RunUntil(io, [&] { return heard.from.size() >= 6; }));
    lan::RunFor(io, milliseconds(200));  // a duplicate would have come by now
    const std::multiset<asio::ip::address> expected = {asio::ip::make_address("10.99.0.1"),
                                                       asio::ip::make_address("10.99.0.1"),
                                                       asio::ip::make_address("10.99.1.1"),
                                                       asio::ip::make_address("10.99.1.1"),
                                                       V6("fe80::1", vb),
                                                       V6("fe80::3", vd)};
    EXPECT_EQ(Addresses(heard.from), expected);
    for (const Endpoint& e : heard.from) EXPECT_EQ(e.port(), kPort);
    for (const Bytes& p : heard.payloads) EXPECT_EQ(p, beacon);
    EXPECT_EQ(receiver.received(), heard.from.size());

    // Each broadcast came in by the interface it was sent out of, from that link's address.
    const std::multiset<PktinfoProbe::Arrival> arrivals = probe.Drain();
    const std::multiset<PktinfoProbe::Arrival> wanted = {{"255.255.255.255", vb, "10.99.0.1"},
                                                         {"10.99.0.255", vb, "10.99.0.1"},
                                                         {"255.255.255.255", vd, "10.99.1.1"},
                                                         {"10.99.1.255", vd, "10.99.1.1"}};
    EXPECT_TRUE(arrivals == wanted) << arrivals.size() << " arrivals";

    // The sender hears its own datagrams too (the caller filters them by content).
    EXPECT_FALSE(own.from.empty());
    const std::set<asio::ip::address> mine = {asio::ip::make_address("10.99.0.1"),
                                              asio::ip::make_address("10.99.1.1"),
                                              V6("fe80::1", va), V6("fe80::3", vc)};
    for (const Endpoint& e : own.from) EXPECT_TRUE(mine.count(e.address())) << e;
  };
  EXPECT_TRUE(lan::RunInNetns(sender_ns.name(), body));
}

TEST(BeaconSocketsLan, AFailingDestinationIsCountedAndTheOthersStillGo) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard sender_ns;
  lan::NetnsGuard receiver_ns;
  ASSERT_TRUE(sender_ns.ok() && receiver_ns.ok());
  const auto body = [&] {
    MakeTwoLinks(receiver_ns.name(), /*second_link=*/false);
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    ASSERT_TRUE(lan::EnterNetns(receiver_ns.name()));
    BeaconSockets receiver(io, kPort, kGroup);
    Heard heard;
    receiver.OnDatagram(heard.Recorder());
    ASSERT_TRUE(receiver.Open().ok());
    ASSERT_TRUE(lan::EnterNetns(sender_ns.name()));
    BeaconSockets sender(io, kPort, kGroup);
    ASSERT_TRUE(sender.Open().ok());

    // An interface that went away after it was listed, ahead of the real one.
    InterfaceAddress gone4{"gone", 9999, asio::ip::make_address("10.99.7.1"),
                           asio::ip::make_address_v4("10.99.7.255"), false};
    InterfaceAddress gone6{"gone", 9999, V6("fe80::9", 9999), std::nullopt, true};
    std::vector<InterfaceAddress> out_of = {gone4, gone6};
    for (const InterfaceAddress& a : UpInterfaceAddresses()) out_of.push_back(a);
    int made = 0;
    sender.SendAll(out_of, [&] {
      ++made;
      return Bytes{static_cast<uint8_t>(made)};
    });
    EXPECT_EQ(made, 6);  // a payload made afresh for each datagram
    EXPECT_EQ(sender.send_errors(), 3u);
    EXPECT_EQ(sender.sent(), 3u);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return heard.from.size() >= 3; }));
    std::set<Bytes> distinct(heard.payloads.begin(), heard.payloads.end());
    EXPECT_EQ(distinct.size(), heard.payloads.size());

    // Payloads longer than any receiver takes are not sent at all.
    sender.SendAll(Bytes(kMaxBeaconDatagramBytes + 1, 0x55));
    EXPECT_EQ(sender.sent(), 3u);
    EXPECT_EQ(sender.send_errors(), 6u);
  };
  EXPECT_TRUE(lan::RunInNetns(sender_ns.name(), body));
}

TEST(BeaconSocketsLan, OversizeDatagramsAreDroppedAndTheRestHandedOn) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeOneLink();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    BeaconSockets receiver(io, kPort, kGroup);
    Heard heard;
    receiver.OnDatagram(heard.Recorder());
    ASSERT_TRUE(receiver.Open().ok());
    asio::ip::udp::socket v4(io, asio::ip::udp::v4());
    asio::ip::udp::socket v6(io, asio::ip::udp::v6());
    const Endpoint to4(asio::ip::make_address("10.99.0.2"), kPort);
    const Endpoint to6(V6("fe80::2", ::if_nametoindex("vb")), kPort);
    const std::vector<size_t> sizes = {
        1, 100, kMaxBeaconDatagramBytes, kMaxBeaconDatagramBytes + 1, 1400, 9000};
    for (size_t n : sizes) {
      Bytes payload(n);
      for (size_t i = 0; i < n; ++i) payload[i] = static_cast<uint8_t>(n + i);
      v4.send_to(asio::buffer(payload), to4);
      v6.send_to(asio::buffer(payload), to6);
    }
    EXPECT_TRUE(lan::RunUntil(
        io, [&] { return receiver.received() + receiver.dropped_oversize() == 2 * sizes.size(); }));
    EXPECT_EQ(receiver.received(), 6u);
    EXPECT_EQ(receiver.dropped_oversize(), 6u);
    std::multiset<size_t> lengths;
    for (const Bytes& p : heard.payloads) {
      lengths.insert(p.size());
      for (size_t i = 0; i < p.size(); ++i)
        ASSERT_EQ(p[i], static_cast<uint8_t>(p.size() + i)) << "byte " << i << " of " << p.size();
    }
    EXPECT_EQ(lengths, (std::multiset<size_t>{1, 1, 100, 100, 512, 512}));
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

// The receiver's own IPv4 socket, found by its bound port: the only way to make the kernel
// report a receive error to it (IP_RECVERR) without a hook in the class.
int FindIpv4SocketOn(uint16_t port) {
  for (int fd = 3; fd < 1024; ++fd) {
    sockaddr_in local{};
    socklen_t length = sizeof local;
    int type = 0;
    socklen_t type_length = sizeof type;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) continue;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0) continue;
    if (local.sin_family == AF_INET && type == SOCK_DGRAM && ntohs(local.sin_port) == port)
      return fd;
  }
  return -1;
}

TEST(BeaconSocketsLan, AFloodOfGarbageAndReceiveErrorsLeaveTheLoopRunning) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeOneLink();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    BeaconSockets receiver(io, kPort, kGroup);
    uint64_t bytes_heard = 0;
    size_t datagrams_heard = 0;
    receiver.OnDatagram([&](ByteView payload, const Endpoint&) {
      ++datagrams_heard;
      for (uint8_t b : payload) bytes_heard += b;
    });
    ASSERT_TRUE(receiver.Open().ok());
    const Endpoint to4(asio::ip::make_address("10.99.0.2"), kPort);
    const Endpoint to6(V6("fe80::2", ::if_nametoindex("vb")), kPort);
    std::mt19937 rng(41643);
    uint64_t bytes_sent = 0;
    size_t small_sent = 0;
    size_t large_sent = 0;
    for (int batch = 0; batch < kFloodDatagrams / kFloodBatch; ++batch) {
      // A new source port for each batch, both families.
      asio::ip::udp::socket v4(io, asio::ip::udp::v4());
      asio::ip::udp::socket v6(io, asio::ip::udp::v6());
      for (int i = 0; i < kFloodBatch; ++i) {
        Bytes junk(rng() % 1500);  // empty ones too
        for (uint8_t& b : junk) b = static_cast<uint8_t>(rng());
        std::error_code ec;
        (i % 2 ? v4 : v6).send_to(asio::buffer(junk), i % 2 ? to4 : to6, 0, ec);
        ASSERT_FALSE(ec) << ec.message();
        if (junk.size() <= kMaxBeaconDatagramBytes) {
          ++small_sent;
          for (uint8_t b : junk) bytes_sent += b;
        } else {
          ++large_sent;
        }
      }
      ASSERT_TRUE(lan::RunUntil(io,
                                [&] {
                                  return receiver.received() + receiver.dropped_oversize() ==
                                         small_sent + large_sent;
                                }))
          << "batch " << batch;
    }
    EXPECT_EQ(receiver.received(), small_sent);
    EXPECT_EQ(receiver.dropped_oversize(), large_sent);
    EXPECT_EQ(datagrams_heard, small_sent);
    EXPECT_EQ(bytes_heard, bytes_sent);  // every small one whole
    EXPECT_EQ(receiver.receive_errors(), 0u);

    // A port-unreachable error surfaces on the receiving socket's next read: counted, and
    // the loop goes on reading.
    const int fd = FindIpv4SocketOn(kPort);
    ASSERT_GE(fd, 0);
    const int on = 1;
    ASSERT_EQ(::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on), 0);
    sockaddr_in closed{};
    closed.sin_family = AF_INET;
    closed.sin_port = htons(9);  // nothing listens there
    closed.sin_addr.s_addr = htonl(asio::ip::make_address_v4("10.99.0.2").to_uint());
    ASSERT_EQ(::sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&closed), sizeof closed), 1);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return receiver.receive_errors() >= 1; }));
    asio::ip::udp::socket last(io, asio::ip::udp::v4());
    const Bytes still = {'s', 't', 'i', 'l', 'l'};
    last.send_to(asio::buffer(still), to4);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return datagrams_heard == small_sent + 1; }));
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(BeaconSocketsLan, RejoinFollowsInterfacesThatComeAndGo) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard sender_ns;
  lan::NetnsGuard receiver_ns;
  ASSERT_TRUE(sender_ns.ok() && receiver_ns.ok());
  const auto body = [&] {
    MakeTwoLinks(receiver_ns.name(), /*second_link=*/false);
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    ASSERT_TRUE(lan::EnterNetns(receiver_ns.name()));
    BeaconSockets receiver(io, kPort, kGroup);
    Heard heard;
    receiver.OnDatagram(heard.Recorder());
    ASSERT_TRUE(receiver.Open().ok());
    EXPECT_EQ(receiver.groups_joined(), 1u);
    ASSERT_TRUE(lan::EnterNetns(sender_ns.name()));
    BeaconSockets sender(io, kPort, kGroup);
    ASSERT_TRUE(sender.Open().ok());

    // A second link appears; until Rejoin the receiver is not in the group there.
    ASSERT_TRUE(lan::AddVethPair({"vc", "10.99.1.1/24", "fe80::3/64"},
                                 {"vd", "10.99.1.2/24", "fe80::4/64"}, receiver_ns.name()));
    auto multicast_from = [&](const char* address) {
      return std::count_if(heard.from.begin(), heard.from.end(), [&](const Endpoint& e) {
        return e.address().is_v6() &&
               e.address().to_v6().to_bytes() == asio::ip::make_address_v6(address).to_bytes();
      });
    };
    sender.SendAll(Bytes{1});
    EXPECT_TRUE(lan::RunUntil(io, [&] { return multicast_from("fe80::1") == 1; }));
    lan::RunFor(io, milliseconds(200));
    EXPECT_EQ(multicast_from("fe80::3"), 0);

    ASSERT_TRUE(lan::EnterNetns(receiver_ns.name()));
    receiver.Rejoin();
    EXPECT_EQ(receiver.groups_joined(), 2u);
    receiver.Rejoin();  // nothing new: nothing changes
    EXPECT_EQ(receiver.groups_joined(), 2u);
    ASSERT_TRUE(lan::EnterNetns(sender_ns.name()));
    sender.SendAll(Bytes{2});
    EXPECT_TRUE(lan::RunUntil(io, [&] { return multicast_from("fe80::3") == 1; }));

    ASSERT_TRUE(Ip("link del vc"));  // vd goes with it
    ASSERT_TRUE(lan::EnterNetns(receiver_ns.name()));
    receiver.Rejoin();
    EXPECT_EQ(receiver.groups_joined(), 1u);
  };
  EXPECT_TRUE(lan::RunInNetns(sender_ns.name(), body));
}

TEST(BeaconSocketsLan, WithoutIpv6OnTheLinksOnlyIpv4Goes) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    {
      std::ofstream all("/proc/sys/net/ipv6/conf/all/disable_ipv6");
      std::ofstream defaults("/proc/sys/net/ipv6/conf/default/disable_ipv6");
      all << "1\n";
      defaults << "1\n";
      ASSERT_TRUE(all.good() && defaults.good());
    }
    ASSERT_TRUE(Ip("link set lo up"));
    ASSERT_TRUE(lan::AddVethPair({"va", "10.99.0.1/24", ""}, {"vb", "10.99.0.2/24", ""}));
    asio::io_context io;
    BeaconSockets sockets(io, kPort, kGroup);
    Heard heard;
    sockets.OnDatagram(heard.Recorder());
    ASSERT_TRUE(sockets.Open().ok());
    EXPECT_EQ(sockets.groups_joined(), 0u);
    sockets.SendAll(Bytes{7});
    EXPECT_EQ(sockets.sent(), 4u);  // va and vb: limited and directed broadcast each
    EXPECT_EQ(sockets.send_errors(), 0u);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return !heard.from.empty(); }));
    for (const Endpoint& e : heard.from) EXPECT_TRUE(e.address().is_v4()) << e;
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(BeaconSocketsLan, APortHeldByAnotherProgramIsAClearError) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeOneLink();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    {
      asio::ip::udp::socket holder(io, Endpoint(asio::ip::address_v4::any(), kPort));
      BeaconSockets sockets(io, kPort, kGroup);
      Status s = sockets.Open();
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.code(), ErrorCode::kIo);
      EXPECT_NE(s.error().message.find("UDP port 41643"), std::string::npos) << s.error().message;
      EXPECT_NE(s.error().message.find("IPv4"), std::string::npos) << s.error().message;
      EXPECT_FALSE(sockets.is_open());
    }
    {
      asio::ip::udp::socket holder(io, asio::ip::udp::v6());
      holder.set_option(asio::ip::v6_only(true));
      holder.bind(Endpoint(asio::ip::address_v6::any(), kPort));
      BeaconSockets sockets(io, kPort, kGroup);
      Status s = sockets.Open();
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.error().message.find("IPv6"), std::string::npos) << s.error().message;
      EXPECT_FALSE(sockets.is_open());  // the IPv4 socket it did bind is closed again
    }
    // Two instances on one host share the port, and each hears the other.
    BeaconSockets first(io, kPort, kGroup);
    BeaconSockets second(io, kPort, kGroup);
    Heard heard;
    second.OnDatagram(heard.Recorder());
    ASSERT_TRUE(first.Open().ok());
    ASSERT_TRUE(second.Open().ok());
    first.SendAll(Bytes{3});
    EXPECT_TRUE(lan::RunUntil(io, [&] { return !heard.from.empty(); }));
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(BeaconSocketsLan, AGroupThatIsNotLinkLocalMulticastIsRefusedBeforeAnySocket) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    asio::io_context io;
    for (const char* group :
         {"", "ff12::zz", "2001:db8::1", "ff05::a2ab", "ff02::1%lo", "239.255.0.1"}) {
      BeaconSockets sockets(io, kPort, group);
      Status s = sockets.Open();
      ASSERT_FALSE(s.ok()) << group;
      EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << group;
      EXPECT_FALSE(sockets.is_open()) << group;
      sockets.SendAll(Bytes{1, 2, 3});  // closed: nothing goes, nothing is counted
      EXPECT_EQ(sockets.sent() + sockets.send_errors(), 0u);
    }
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(BeaconSocketsLan, CloseEndsDeliveryAndOpenStartsItAgain) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeOneLink();
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    const Endpoint to(asio::ip::make_address("10.99.0.2"), kPort);
    asio::ip::udp::socket client(io, asio::ip::udp::v4());
    auto sockets = std::make_unique<BeaconSockets>(io, kPort, kGroup);
    int heard = 0;
    sockets->OnDatagram([&](ByteView, const Endpoint&) { ++heard; });
    ASSERT_TRUE(sockets->Open().ok());
    client.send_to(asio::buffer("a", 1), to);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return heard == 1; }));

    sockets->Close();
    EXPECT_FALSE(sockets->is_open());
    std::error_code ignored;
    client.send_to(asio::buffer("b", 1), to, 0, ignored);
    lan::RunFor(io, milliseconds(200));
    EXPECT_EQ(heard, 1);

    ASSERT_TRUE(sockets->Open().ok());
    client.send_to(asio::buffer("c", 1), to);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return heard == 2; }));
    lan::RunFor(io, milliseconds(100));
    EXPECT_EQ(heard, 2);  // one loop per socket, not one per Open

    // A receiver that closes itself from its own callback, then goes with reads pending.
    sockets->OnDatagram([&](ByteView, const Endpoint&) {
      ++heard;
      sockets->Close();
    });
    client.send_to(asio::buffer("d", 1), to);
    client.send_to(asio::buffer("e", 1), to);
    EXPECT_TRUE(lan::RunUntil(io, [&] { return heard == 3; }));
    lan::RunFor(io, milliseconds(100));
    EXPECT_EQ(heard, 3);
    ASSERT_TRUE(sockets->Open().ok());
    sockets.reset();
    lan::RunFor(io, milliseconds(100));  // the loops of a gone object end without touching it
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

}  // namespace
}  // namespace accord::daemon
