// BeaconSockets: the UDP side of discovery on one port: an IPv4 socket for limited and
// directed broadcast and an IPv6 one for the link-local multicast group, sending out of every
// up interface and hearing everyone's. Daemon thread only. What the datagrams mean is
// Discovery's; this process's own datagrams come back too (the caller tells them apart).
#ifndef ACCORD_DAEMON_NET_BEACON_SOCKETS_H_
#define ACCORD_DAEMON_NET_BEACON_SOCKETS_H_

#include <array>
#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::daemon {

constexpr size_t kMaxBeaconDatagramBytes = 512;  // bytes; larger datagrams are dropped unread

class BeaconSockets {
 public:
  using OnDatagramFn = std::function<void(ByteView payload, const asio::ip::udp::endpoint& from)>;

  BeaconSockets(asio::io_context& io, uint16_t port, std::string ipv6_group);
  ~BeaconSockets();

  // Binds 0.0.0.0:port and [::]:port (either alone will do) and joins the group on every up
  // interface. kIo naming the port if neither can be bound.
  Status Open();
  // Joins the group on interfaces that appeared since (after an address or link change).
  void Rejoin();
  void Close();

  // Out of every up non-loopback interface: 255.255.255.255, the interface's broadcast
  // address, and the IPv6 group, each datagram made by `payload` (sealed beacons are sealed
  // afresh for each: no two datagrams on the wire share bytes). Failures are counted.
  void SendAll(const std::function<Bytes()>& payload);
  void OnDatagram(OnDatagramFn fn) { on_datagram_ = std::move(fn); }

  uint64_t sent() const { return sent_; }
  uint64_t send_errors() const { return send_errors_; }
  uint64_t received() const { return received_; }

 private:
  void Receive(asio::ip::udp::socket& socket);

  uint16_t port_;
  asio::ip::address_v6 group_;
  asio::ip::udp::socket v4_;
  asio::ip::udp::socket v6_;
  std::set<unsigned> joined_;  // interface indexes in the group
  OnDatagramFn on_datagram_;
  std::array<uint8_t, kMaxBeaconDatagramBytes + 1> buffer4_{};
  std::array<uint8_t, kMaxBeaconDatagramBytes + 1> buffer6_{};
  asio::ip::udp::endpoint from4_;
  asio::ip::udp::endpoint from6_;
  uint64_t sent_ = 0;
  uint64_t send_errors_ = 0;
  uint64_t received_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_BEACON_SOCKETS_H_
