// BeaconSockets: the UDP side of discovery on one port: an IPv4 socket for limited and
// directed broadcast and an IPv6 one for a link-local multicast group, sending out of every
// up interface and hearing everyone's. Daemon thread only. What the bytes mean is not here.
#ifndef ACCORD_DAEMON_NET_BEACON_SOCKETS_H_
#define ACCORD_DAEMON_NET_BEACON_SOCKETS_H_

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "daemon/net/interfaces.h"

namespace accord::daemon {

constexpr size_t kMaxBeaconDatagramBytes = 512;  // bytes; longer ones are dropped, unread
constexpr std::chrono::milliseconds kBeaconReceiveErrorPause{100};  // ms before reading again

// Used twice: sealed beacons and pairing beacons, each on its own port. Every datagram that
// reaches the port is handed on, the ones this very process sent included (broadcast and
// multicast loop back to the sender's own sockets): the caller tells its own by content.
class BeaconSockets {
 public:
  using OnDatagramFn = std::function<void(ByteView payload, const asio::ip::udp::endpoint& from)>;

  // `ipv6_group` is a link-local multicast address such as "ff12::a2ab".
  BeaconSockets(asio::io_context& io, uint16_t port, std::string ipv6_group);
  ~BeaconSockets();
  BeaconSockets(const BeaconSockets&) = delete;
  BeaconSockets& operator=(const BeaconSockets&) = delete;

  // Binds 0.0.0.0:port (SO_REUSEADDR, SO_BROADCAST) and [::]:port (IPV6_V6ONLY,
  // SO_REUSEADDR), joins the group on every up non-loopback interface and starts receiving.
  // A family the host lacks is skipped; kIo naming the port if a socket cannot be bound
  // (another program holds it) or neither family exists; kInvalidArgument for a bad group.
  // REQUIRES: not open (Close() first to open again).
  Status Open();
  // Joins the group on interfaces that appeared since (call after an address or link
  // change) and leaves it on those that are gone.
  void Rejoin();
  // Stops receiving and closes both sockets; no OnDatagram call after this.
  void Close();
  bool is_open() const { return v4_.is_open() || v6_.is_open(); }
  bool has_ipv4() const { return v4_.is_open(); }
  bool has_ipv6() const { return v6_.is_open(); }
  size_t groups_joined() const { return joined_.size(); }  // interfaces in the IPv6 group

  // Out of every up non-loopback interface (UpInterfaceAddresses): IPv4 limited broadcast
  // pinned to that interface and its directed broadcast (on broadcast-capable links only, not
  // into a point-to-point tunnel), and the IPv6 group with that interface as scope. A failure
  // counts in send_errors() and the other destinations still go; so does a payload longer
  // than kMaxBeaconDatagramBytes, which is not sent.
  void SendAll(ByteView payload);
  // The same, with a payload made afresh for each datagram (so that sealed beacons on the
  // wire never share bytes).
  void SendAll(const std::function<Bytes()>& make_payload);
  // The same, out of these interfaces (tests pass a list of their own).
  void SendAll(const std::vector<InterfaceAddress>& out_of,
               const std::function<Bytes()>& make_payload);

  void OnDatagram(OnDatagramFn fn) { on_datagram_ = std::move(fn); }

  // For `accord doctor`.
  uint64_t sent() const { return sent_; }                      // datagrams handed to the kernel
  uint64_t send_errors() const { return send_errors_; }        // destinations that failed
  uint64_t received() const { return received_; }              // datagrams handed on
  uint64_t dropped_oversize() const { return oversize_; }      // longer than the maximum
  uint64_t receive_errors() const { return receive_errors_; }  // failed reads (then a pause)

 private:
  Status OpenV4();
  Status OpenV6();
  void SendV4(const asio::ip::address_v4& to, unsigned index, ByteView payload);
  void SendV6(unsigned index, ByteView payload);
  void Count(bool ok) { ok ? ++sent_ : ++send_errors_; }
  // `alive` comes in as an argument: the body first runs later, maybe after this is gone.
  asio::awaitable<void> ReceiveLoop(asio::ip::udp::socket& socket, uint64_t generation,
                                    std::shared_ptr<bool> alive);

  asio::io_context& io_;
  uint16_t port_;
  std::string group_text_;
  asio::ip::address_v6 group_;
  asio::ip::udp::socket v4_;
  asio::ip::udp::socket v6_;
  std::set<unsigned> joined_;  // interface indexes where v6_ is in the group
  OnDatagramFn on_datagram_;
  uint64_t generation_ = 0;  // each Open and Close ends the receive loops of the one before
  uint64_t sent_ = 0;
  uint64_t send_errors_ = 0;
  uint64_t received_ = 0;
  uint64_t oversize_ = 0;
  uint64_t receive_errors_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_BEACON_SOCKETS_H_
