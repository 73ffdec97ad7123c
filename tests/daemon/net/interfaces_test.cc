// AddressText without a network: the text of each kind of address, and that ParseHostPort
// and Resolve read it back to the same address, a link-local one's scope included. The
// interfaces themselves are listed in the `lan` tests (interfaces_lan_test.cc).
#include "daemon/net/interfaces.h"

#include <gtest/gtest.h>
#include <net/if.h>

#include "daemon/net/address.h"

namespace accord::daemon {
namespace {

InterfaceAddress Address(const std::string& interface, const std::string& text) {
  InterfaceAddress a;
  a.interface = interface;
  a.index = ::if_nametoindex(interface.c_str());
  a.address = asio::ip::make_address(text);
  if (a.address.is_v6() && a.address.to_v6().is_link_local()) {
    asio::ip::address_v6 v6 = a.address.to_v6();
    v6.scope_id(a.index);
    a.address = v6;
    a.link_local = true;
  }
  return a;
}

TEST(AddressText, IPv4IsAddressColonPort) {
  EXPECT_EQ(AddressText(Address("eth0", "10.0.0.2"), 4100), "10.0.0.2:4100");
}

TEST(AddressText, IPv6IsBracketedAndALinkLocalOneNamesItsInterface) {
  EXPECT_EQ(AddressText(Address("eth0", "2001:db8::2"), 4100), "[2001:db8::2]:4100");
  // The scope is the name even when the index is unknown here (no eth0 on this host).
  InterfaceAddress scoped = Address("eth0", "fe80::1");
  scoped.index = 7;
  asio::ip::address_v6 v6 = scoped.address.to_v6();
  v6.scope_id(7);
  scoped.address = v6;
  EXPECT_EQ(AddressText(scoped, 4100), "[fe80::1%eth0]:4100");
}

TEST(AddressText, ParseHostPortReadsEveryFormBack) {
  for (const char* text : {"10.0.0.2:4100", "[2001:db8::2]:4100", "[fe80::1%eth0]:4100"}) {
    Result<HostPort> hp = ParseHostPort(text);
    ASSERT_TRUE(hp.ok()) << text << ": " << hp.error().message;
    EXPECT_EQ(hp->port, 4100);
    EXPECT_EQ(hp->ToString(), text);
  }
  EXPECT_EQ(ParseHostPort("[fe80::1%eth0]:4100")->host, "fe80::1%eth0");
}

TEST(AddressText, ResolveTurnsTheScopeNameBackIntoTheInterfaceIndex) {
  // lo exists on every host; Resolve of a numeric address asks no network.
  const InterfaceAddress lo = Address("lo", "fe80::1");
  ASSERT_NE(lo.index, 0u);
  asio::io_context io;
  Result<HostPort> hp = ParseHostPort(AddressText(lo, 4100));
  ASSERT_TRUE(hp.ok());
  Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io, *hp);
  ASSERT_TRUE(endpoints.ok()) << endpoints.error().message;
  ASSERT_EQ(endpoints->size(), 1u);
  EXPECT_EQ(endpoints->front().address(), lo.address);  // scope_id included
  EXPECT_EQ(endpoints->front().address().to_v6().scope_id(), lo.index);
  EXPECT_EQ(endpoints->front().port(), 4100);
}

TEST(AddressText, ResolveRefusesAScopeThatNamesNoInterface) {
  asio::io_context io;
  for (const char* host : {"fe80::1%no-such-if", "fe80::1%", "2001:db8::1%lo", "10.0.0.1%lo"}) {
    Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io, HostPort{host, 4100});
    ASSERT_FALSE(endpoints.ok()) << host;
    EXPECT_EQ(endpoints.code(), ErrorCode::kUnavailable) << host;
  }
}

TEST(AddressTest, AnIpv4MappedPeerIsShownAsTheIpv4ItIsAndOthersAreLeftAlone) {
  const asio::ip::address mapped = asio::ip::make_address("::ffff:10.231.0.11");
  EXPECT_EQ(Unmapped(mapped), asio::ip::make_address("10.231.0.11"));
  EXPECT_EQ(EndpointString({mapped, 41877}), "10.231.0.11:41877");
  for (const char* other : {"10.0.0.2", "::1", "fe80::1", "2001:db8::2", "::"})
    EXPECT_EQ(Unmapped(asio::ip::make_address(other)), asio::ip::make_address(other)) << other;
  EXPECT_EQ(EndpointString({asio::ip::make_address("2001:db8::2"), 7}), "[2001:db8::2]:7");
}

}  // namespace
}  // namespace accord::daemon
