#include "daemon/net/interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstring>

namespace accord::daemon {

std::vector<InterfaceAddress> UpInterfaceAddresses() {
  std::vector<InterfaceAddress> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
      continue;
    InterfaceAddress a;
    a.interface = i->ifa_name;
    a.index = ::if_nametoindex(i->ifa_name);
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      asio::ip::address_v4::bytes_type b;
      std::memcpy(b.data(), &in->sin_addr, b.size());
      a.address = asio::ip::address_v4(b);
      a.link_local = b[0] == 169 && b[1] == 254;
      if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr != nullptr &&
          i->ifa_broadaddr->sa_family == AF_INET) {
        const auto* bc = reinterpret_cast<const sockaddr_in*>(i->ifa_broadaddr);
        std::memcpy(b.data(), &bc->sin_addr, b.size());
        a.broadcast = asio::ip::address_v4(b);
      }
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      asio::ip::address_v6::bytes_type b;
      std::memcpy(b.data(), &in6->sin6_addr, b.size());
      asio::ip::address_v6 v6(b);
      a.link_local = v6.is_link_local();
      if (a.link_local) v6.scope_id(a.index);
      a.address = v6;
    } else {
      continue;
    }
    out.push_back(std::move(a));
  }
  ::freeifaddrs(list);
  return out;
}

std::string AddressText(const InterfaceAddress& a, uint16_t port) {
  if (a.address.is_v4()) return a.address.to_string() + ":" + std::to_string(port);
  std::string host = a.address.to_v6().to_string();
  // Asio writes the scope as a number; the name is what people read and type.
  if (a.link_local) host = host.substr(0, host.find('%')) + "%" + a.interface;
  return "[" + host + "]:" + std::to_string(port);
}

}  // namespace accord::daemon
