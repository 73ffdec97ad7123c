// BeaconSockets sending between namespaces of the test's own, joined by veth pairs: SendAll
// leaves by every interface (limited and directed broadcast, the IPv6 group) and the receiver
// sees the sender's addresses; failures are counted per destination; group memberships
// follow the interfaces; only IPv4 goes where links have no IPv6; a group that is not
// link-local multicast is refused.
#include "tests/daemon/net/beacon_lan_fixture.h"

namespace accord::daemon {
namespace {

using namespace beacon_lan;  // NOLINT: the fixture's helpers, test file only
using lan::Ip;
using std::chrono::milliseconds;

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
    BeaconSockets receiver(io, kPort, kGroup);
    BeaconSockets sender(io, kPort, kGroup);
    Heard heard;
    OpenPair(receiver, heard, sender, receiver_ns.name(), sender_ns.name());
    if (::testing::Test::HasFatalFailure()) return;

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

TEST(BeaconSocketsLan, RejoinFollowsInterfacesThatComeAndGo) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard sender_ns;
  lan::NetnsGuard receiver_ns;
  ASSERT_TRUE(sender_ns.ok() && receiver_ns.ok());
  const auto body = [&] {
    MakeTwoLinks(receiver_ns.name(), /*second_link=*/false);
    if (::testing::Test::HasFatalFailure()) return;
    asio::io_context io;
    BeaconSockets receiver(io, kPort, kGroup);
    BeaconSockets sender(io, kPort, kGroup);
    Heard heard;
    OpenPair(receiver, heard, sender, receiver_ns.name(), sender_ns.name());
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_EQ(receiver.groups_joined(), 1u);

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

}  // namespace
}  // namespace accord::daemon
