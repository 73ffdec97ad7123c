// BeaconSockets receiving on a veth pair in a namespace of the test's own: oversize datagrams
// are dropped and the rest handed on; a flood of garbage and receive errors leave the loop
// running; a port held by another program is a clear kIo; Close ends delivery and Open
// starts it again.
#include "tests/daemon/net/beacon_lan_fixture.h"

namespace accord::daemon {
namespace {

using namespace beacon_lan;  // NOLINT: the fixture's helpers, test file only
using lan::Ip;
using std::chrono::milliseconds;

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
