// UpInterfaceAddresses on a veth pair in a namespace of the test's own: up, non-loopback
// interfaces with their IPv4 broadcast and IPv6 global and link-local addresses; lo, a
// down pair and site-local addresses are left out; every address's text resolves back to it.
#include <gtest/gtest.h>
#include <net/if.h>

#include "daemon/net/address.h"
#include "daemon/net/interfaces.h"
#include "tests/daemon/net/netns.h"

namespace accord::daemon {
namespace {

using lan::Ip;

// The entry for `text` (the scope is not compared), or nullptr.
const InterfaceAddress* Find(const std::vector<InterfaceAddress>& all, const std::string& text) {
  const asio::ip::address wanted = asio::ip::make_address(text);
  for (const InterfaceAddress& a : all) {
    if (a.address.is_v4() && wanted.is_v4() && a.address == wanted) return &a;
    if (a.address.is_v6() && wanted.is_v6() &&
        a.address.to_v6().to_bytes() == wanted.to_v6().to_bytes()) {
      return &a;
    }
  }
  return nullptr;
}

// lo up; va-vb up with IPv4 and link-local IPv6; va also has a labelled second IPv4 address
// and a global IPv6 one, vb a site-local one; vc-vd exists but stays down.
void MakeInterfacesNetwork() {
  ASSERT_TRUE(Ip("link set lo up"));
  ASSERT_TRUE(
      lan::AddVethPair({"va", "10.99.0.1/24", "fe80::1/64"}, {"vb", "10.99.0.2/24", "fe80::2/64"}));
  ASSERT_TRUE(Ip("addr add 10.99.0.5/24 brd + dev va label va:5"));
  ASSERT_TRUE(Ip("addr add 2001:db8:99::1/64 dev va nodad"));
  ASSERT_TRUE(Ip("addr add fec0::2/64 dev vb nodad"));
  ASSERT_TRUE(Ip("link add vc type veth peer name vd"));
  ASSERT_TRUE(Ip("addr add 10.99.1.1/24 brd + dev vc"));
}

TEST(InterfacesLan, UpNonLoopbackAddressesAreListedWithBroadcastAndScope) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeInterfacesNetwork();
    if (::testing::Test::HasFatalFailure()) return;
    const unsigned va = ::if_nametoindex("va");
    const unsigned vb = ::if_nametoindex("vb");
    ASSERT_NE(va, 0u);
    ASSERT_NE(vb, 0u);
    const std::vector<InterfaceAddress> all = UpInterfaceAddresses();

    for (const InterfaceAddress& a : all) {
      EXPECT_TRUE(a.interface == "va" || a.interface == "vb") << a.interface;
      EXPECT_FALSE(a.address.is_loopback()) << a.address.to_string();
    }
    EXPECT_EQ(all.size(), 6u);  // 10.99.0.1, 10.99.0.5, 2001:db8:99::1, fe80::1, 10.99.0.2, fe80::2

    const InterfaceAddress* a4 = Find(all, "10.99.0.1");
    ASSERT_NE(a4, nullptr);
    EXPECT_EQ(a4->interface, "va");
    EXPECT_EQ(a4->index, va);
    EXPECT_FALSE(a4->link_local);
    ASSERT_TRUE(a4->broadcast.has_value());
    EXPECT_EQ(a4->broadcast->to_string(), "10.99.0.255");

    const InterfaceAddress* b4 = Find(all, "10.99.0.2");
    ASSERT_NE(b4, nullptr);
    EXPECT_EQ(b4->interface, "vb");
    EXPECT_EQ(b4->index, vb);
    ASSERT_TRUE(b4->broadcast.has_value());
    EXPECT_EQ(b4->broadcast->to_string(), "10.99.0.255");

    const InterfaceAddress* labelled = Find(all, "10.99.0.5");
    ASSERT_NE(labelled, nullptr);
    EXPECT_EQ(labelled->interface, "va");  // the device, not the label "va:5"
    EXPECT_EQ(labelled->index, va);

    const InterfaceAddress* a6 = Find(all, "fe80::1");
    ASSERT_NE(a6, nullptr);
    EXPECT_EQ(a6->interface, "va");
    EXPECT_TRUE(a6->link_local);
    EXPECT_EQ(a6->address.to_v6().scope_id(), va);
    EXPECT_FALSE(a6->broadcast.has_value());

    const InterfaceAddress* b6 = Find(all, "fe80::2");
    ASSERT_NE(b6, nullptr);
    EXPECT_EQ(b6->interface, "vb");
    EXPECT_TRUE(b6->link_local);
    EXPECT_EQ(b6->address.to_v6().scope_id(), vb);

    const InterfaceAddress* global = Find(all, "2001:db8:99::1");
    ASSERT_NE(global, nullptr);
    EXPECT_FALSE(global->link_local);
    EXPECT_EQ(global->address.to_v6().scope_id(), 0u);
    EXPECT_EQ(global->index, va);

    EXPECT_EQ(Find(all, "fec0::2"), nullptr);    // site-local: deprecated
    EXPECT_EQ(Find(all, "10.99.1.1"), nullptr);  // vc is down
    EXPECT_EQ(Find(all, "127.0.0.1"), nullptr);
    EXPECT_EQ(Find(all, "::1"), nullptr);
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

TEST(InterfacesLan, EachAddressTextResolvesBackToItsAddress) {
  ACCORD_REQUIRE_ROOT();
  lan::NetnsGuard ns;
  ASSERT_TRUE(ns.ok());
  const auto body = [] {
    MakeInterfacesNetwork();
    if (::testing::Test::HasFatalFailure()) return;
    const std::vector<InterfaceAddress> all = UpInterfaceAddresses();
    ASSERT_FALSE(all.empty());
    asio::io_context io;
    for (const InterfaceAddress& a : all) {
      const std::string text = AddressText(a, 4100);
      Result<HostPort> hp = ParseHostPort(text);
      ASSERT_TRUE(hp.ok()) << text << ": " << hp.error().message;
      Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io, *hp);
      ASSERT_TRUE(endpoints.ok()) << text << ": " << endpoints.error().message;
      ASSERT_FALSE(endpoints->empty()) << text;
      EXPECT_EQ(endpoints->front().address(), a.address) << text;  // the scope included
      EXPECT_EQ(endpoints->front().port(), 4100) << text;
    }
    EXPECT_EQ(AddressText(*Find(all, "10.99.0.1"), 4100), "10.99.0.1:4100");
    EXPECT_EQ(AddressText(*Find(all, "fe80::1"), 4100), "[fe80::1%va]:4100");
    EXPECT_EQ(AddressText(*Find(all, "2001:db8:99::1"), 4100), "[2001:db8:99::1]:4100");
  };
  EXPECT_TRUE(lan::RunInNetns(ns.name(), body));
}

}  // namespace
}  // namespace accord::daemon
