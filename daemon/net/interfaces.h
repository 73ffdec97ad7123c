// This host's up, non-loopback interface addresses (getifaddrs), for the beacons' way out and
// the addresses `status` shows. Any thread: each call reads the kernel's tables afresh.
// What the addresses are used for (beacons, listening, dialing) belongs to the callers.
#ifndef ACCORD_DAEMON_NET_INTERFACES_H_
#define ACCORD_DAEMON_NET_INTERFACES_H_

#include <asio.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accord::daemon {

struct InterfaceAddress {
  std::string interface;      // the device's name ("eth0"; an IPv4 label "eth0:1" is cut to it)
  unsigned index = 0;         // the device's interface index (a link-local address's scope)
  asio::ip::address address;  // a link-local IPv6 address carries scope_id() == index
  std::optional<asio::ip::address_v4> broadcast;  // IPv4 on a broadcast-capable link only
  bool link_local = false;                        // IPv6 fe80::/10, IPv4 169.254.0.0/16
};

// The IPv4 addresses and the IPv6 global (ULA included) and link-local addresses of the
// interfaces that are up and not loopback, in the kernel's order. Empty if getifaddrs fails.
std::vector<InterfaceAddress> UpInterfaceAddresses();

// "10.0.0.2:4100", "[2001:db8::2]:4100" or "[fe80::1%eth0]:4100" (the scope by the
// interface's name): what ParseHostPort and Resolve (address.h) read back to this address.
std::string AddressText(const InterfaceAddress& address, uint16_t port);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_INTERFACES_H_
