#include "daemon/net/interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>

namespace accord::daemon {

namespace {

asio::ip::address_v4 V4(const sockaddr* sa) {
  asio::ip::address_v4::bytes_type bytes;
  std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, bytes.size());
  return asio::ip::address_v4(bytes);
}

// Addresses a beacon or a peer could use: not loopback, unspecified, multicast, an IPv4
// address in IPv6 clothing, or the deprecated site-local fec0::/10.
bool Usable(const asio::ip::address_v6& a) {
  const bool site_local = a.to_bytes()[0] == 0xfe && (a.to_bytes()[1] & 0xc0) == 0xc0;
  return !a.is_loopback() && !a.is_unspecified() && !a.is_multicast() && !a.is_v4_mapped() &&
         !site_local;
}

}  // namespace

std::vector<InterfaceAddress> UpInterfaceAddresses() {
  std::vector<InterfaceAddress> out;
  ifaddrs* raw = nullptr;
  if (::getifaddrs(&raw) != 0) return out;
  std::unique_ptr<ifaddrs, decltype(&::freeifaddrs)> list(raw, &::freeifaddrs);
  for (const ifaddrs* i = list.get(); i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_name == nullptr) continue;
    if (!(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK)) continue;
    const int family = i->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    InterfaceAddress a;
    a.interface = i->ifa_name;
    a.interface = a.interface.substr(0, a.interface.find(':'));  // "eth0:1" is eth0's label
    a.index = ::if_nametoindex(a.interface.c_str());
    if (a.index == 0) continue;  // gone since the list was read
    if (family == AF_INET) {
      const asio::ip::address_v4 v4 = V4(i->ifa_addr);
      if (v4.is_unspecified() || v4.is_loopback()) continue;
      a.address = v4;
      a.link_local = (v4.to_uint() >> 16) == 0xa9fe;  // 169.254.0.0/16
      if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr != nullptr &&
          i->ifa_broadaddr->sa_family == AF_INET && !V4(i->ifa_broadaddr).is_unspecified()) {
        a.broadcast = V4(i->ifa_broadaddr);
      }
    } else {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), &in6->sin6_addr, bytes.size());
      asio::ip::address_v6 v6(bytes);
      if (!Usable(v6)) continue;
      a.link_local = v6.is_link_local();
      if (a.link_local) v6.scope_id(a.index);
      a.address = v6;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string AddressText(const InterfaceAddress& a, uint16_t port) {
  const std::string port_text = ":" + std::to_string(port);
  if (a.address.is_v4()) return a.address.to_string() + port_text;
  // Without its scope, Asio would print the number or nothing; the name is what people read
  // and type, and what getaddrinfo turns back into the index.
  asio::ip::address_v6 bare = a.address.to_v6();
  bare.scope_id(0);
  std::string host = bare.to_string();
  if (bare.is_link_local()) host += "%" + a.interface;
  return "[" + host + "]" + port_text;
}

}  // namespace accord::daemon
