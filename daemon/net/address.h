// HOST:PORT as users type it ("192.168.1.20:7070", "[::1]:7070", "localhost:7070"), resolved
// on the daemon thread. The edge only.
#ifndef ACCORD_DAEMON_NET_ADDRESS_H_
#define ACCORD_DAEMON_NET_ADDRESS_H_

#include <asio.hpp>
#include <string>
#include <vector>

#include "base/result.h"

namespace accord::daemon {

struct HostPort {
  std::string host;
  uint16_t port = 0;
  std::string ToString() const;
};

// kInvalidArgument with the accepted forms for anything else.
Result<HostPort> ParseHostPort(std::string_view text);
// Resolves (numeric addresses without DNS; the %scope of a link-local one, "fe80::1%eth0",
// must name an interface). kUnavailable if nothing resolves.
Result<std::vector<asio::ip::tcp::endpoint>> Resolve(asio::io_context& io, const HostPort& hp);
std::string EndpointString(const asio::ip::tcp::endpoint& endpoint);
// ::ffff:a.b.c.d (how a dual-stack socket sees an IPv4 peer) as the IPv4 address it is;
// any other address unchanged.
asio::ip::address Unmapped(const asio::ip::address& address);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_ADDRESS_H_
