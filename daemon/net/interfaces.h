// The host's up, non-loopback interface addresses (getifaddrs), for the addresses `status`
// shows and beacons go out of. Any thread; reads the kernel's tables each call.
#ifndef ACCORD_DAEMON_NET_INTERFACES_H_
#define ACCORD_DAEMON_NET_INTERFACES_H_

#include <asio.hpp>
#include <optional>
#include <string>
#include <vector>

namespace accord::daemon {

struct InterfaceAddress {
  std::string interface;  // "eth0"
  unsigned index = 0;     // its interface index (the IPv6 scope of a link-local address)
  asio::ip::address address;
  std::optional<asio::ip::address_v4> broadcast;  // IPv4 on a broadcast-capable link
  bool link_local = false;                        // IPv6 fe80::/10 (or IPv4 169.254/16)
};

// IPv4 and IPv6 (global and link-local) addresses of interfaces that are up and not
// loopback; link-local IPv6 addresses carry their scope.
std::vector<InterfaceAddress> UpInterfaceAddresses();

// "10.0.0.2:4100" or "[fe80::1%eth0]:4100", as ParseHostPort reads it back.
std::string AddressText(const InterfaceAddress& address, uint16_t port);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_INTERFACES_H_
