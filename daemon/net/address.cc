#include "daemon/net/address.h"

#include <charconv>

namespace accord::daemon {

std::string HostPort::ToString() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HostPort> ParseHostPort(std::string_view text) {
  auto bad = [&](const char* why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bad address '" + std::string(text) + "': " + why +
                         " (use HOST:PORT, e.g. 192.168.1.20:7070 or [::1]:7070)");
  };
  HostPort hp;
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("unclosed [ or missing port");
    }
    hp.host = std::string(text.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("missing port");
    hp.host = std::string(text.substr(0, colon));
    if (hp.host.find(':') != std::string::npos) return bad("put IPv6 addresses in brackets");
  }
  if (hp.host.empty()) return bad("missing host");
  std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535)
    return bad("bad port");
  hp.port = static_cast<uint16_t>(value);
  return hp;
}

Result<std::vector<asio::ip::tcp::endpoint>> Resolve(asio::io_context& io, const HostPort& hp) {
  std::error_code ec;
  if (size_t percent = hp.host.find('%'); percent != std::string::npos) {
    // A scoped link-local address ("fe80::1%eth0", as AddressText prints it): the scope must
    // name an interface of this host, or the address means nothing here. Asio would take an
    // unknown name for scope 0 without a word.
    const asio::ip::address address = asio::ip::make_address(hp.host, ec);
    if (ec || !address.is_v6() || !address.to_v6().is_link_local() ||
        address.to_v6().scope_id() == 0) {
      return MakeError(ErrorCode::kUnavailable, "cannot resolve " + hp.host + ": no interface '" +
                                                    hp.host.substr(percent + 1) +
                                                    "' for a link-local address");
    }
    return std::vector<asio::ip::tcp::endpoint>{{address, hp.port}};
  }
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(hp.host, std::to_string(hp.port), ec);
  if (ec)
    return MakeError(ErrorCode::kUnavailable, "cannot resolve " + hp.host + ": " + ec.message());
  std::vector<asio::ip::tcp::endpoint> out;
  for (const auto& r : results) out.push_back(r.endpoint());
  if (out.empty()) return MakeError(ErrorCode::kUnavailable, "no address for " + hp.host);
  return out;
}

asio::ip::address Unmapped(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  return address;
}

std::string EndpointString(const asio::ip::tcp::endpoint& e) {
  HostPort hp{Unmapped(e.address()).to_string(), e.port()};
  return hp.ToString();
}

}  // namespace accord::daemon
