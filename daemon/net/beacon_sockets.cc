#include "daemon/net/beacon_sockets.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <utility>

#include "daemon/logging.h"

namespace accord::daemon {

namespace {

constexpr int kBeaconHops = 1;  // IPv4 TTL and IPv6 hop limit: beacons never leave the link

// A family the kernel does not have is not an error: the other one carries the beacons.
bool FamilyMissing(const std::error_code& ec) {
  return ec == asio::error::address_family_not_supported ||
         ec == asio::error::operation_not_supported;
}

Error BindError(uint16_t port, const char* family, const std::error_code& ec) {
  return MakeError(ErrorCode::kIo, "cannot bind UDP port " + std::to_string(port) + " (" + family +
                                       ") for beacons: " + ec.message());
}

}  // namespace

BeaconSockets::BeaconSockets(asio::io_context& io, uint16_t port, std::string ipv6_group)
    : io_(io), port_(port), group_text_(std::move(ipv6_group)), v4_(io), v6_(io) {}

BeaconSockets::~BeaconSockets() {
  *alive_ = false;
  Close();
}

Status BeaconSockets::Open() {
  assert(!is_open());
  std::error_code ec;
  group_ = asio::ip::make_address_v6(group_text_, ec);
  if (ec || !group_.is_multicast_link_local() || group_.scope_id() != 0) {  // scope: per send
    return MakeError(ErrorCode::kInvalidArgument,
                     "'" + group_text_ + "' is not a link-local IPv6 multicast group");
  }
  ++generation_;
  if (Status s = OpenV4(); !s.ok()) {
    Close();
    return s;
  }
  if (Status s = OpenV6(); !s.ok()) {
    Close();
    return s;
  }
  if (!is_open()) {
    return MakeError(ErrorCode::kIo, "no IPv4 or IPv6 on this host for beacons on UDP port " +
                                         std::to_string(port_));
  }
  Rejoin();
  for (asio::ip::udp::socket* socket : {&v4_, &v6_}) {
    if (!socket->is_open()) continue;
    asio::co_spawn(io_, ReceiveLoop(*socket, generation_, alive_), [](std::exception_ptr e) {
      if (e) LogError("beacon receive loop ended by an unexpected exception");
    });
  }
  return Status::Ok();
}

Status BeaconSockets::OpenV4() {
  std::error_code ec;
  v4_.open(asio::ip::udp::v4(), ec);
  if (FamilyMissing(ec)) return Status::Ok();
  if (!ec) v4_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) v4_.set_option(asio::socket_base::broadcast(true), ec);
  if (!ec) v4_.set_option(asio::ip::unicast::hops(kBeaconHops), ec);
  if (!ec) v4_.non_blocking(true, ec);  // a full send buffer is a counted error, not a wait
  if (!ec) v4_.bind({asio::ip::address_v4::any(), port_}, ec);
  if (ec) return BindError(port_, "IPv4", ec);
  return Status::Ok();
}

Status BeaconSockets::OpenV6() {
  std::error_code ec;
  v6_.open(asio::ip::udp::v6(), ec);
  if (FamilyMissing(ec)) return Status::Ok();
  if (!ec) v6_.set_option(asio::ip::v6_only(true), ec);
  if (!ec) v6_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) v6_.set_option(asio::ip::multicast::hops(kBeaconHops), ec);
  if (!ec) v6_.non_blocking(true, ec);
  if (!ec) v6_.bind({asio::ip::address_v6::any(), port_}, ec);
  if (ec) return BindError(port_, "IPv6", ec);
  return Status::Ok();
}

void BeaconSockets::Rejoin() {
  if (!v6_.is_open()) return;
  std::set<unsigned> present;
  for (const InterfaceAddress& a : UpInterfaceAddresses()) {
    if (a.address.is_v6()) present.insert(a.index);
  }
  std::set<unsigned> joined;
  for (unsigned index : joined_) {
    if (present.count(index)) {
      joined.insert(index);
    } else {
      // Down or gone: leave, so memberships of vanished interfaces do not pile up on the
      // socket. Coming back up joins again.
      std::error_code ignored;
      v6_.set_option(asio::ip::multicast::leave_group(group_, index), ignored);
    }
  }
  for (unsigned index : present) {
    if (joined.count(index)) continue;
    std::error_code ec;
    v6_.set_option(asio::ip::multicast::join_group(group_, index), ec);
    // "Already joined" is what we want; any other failure is tried again on the next call.
    if (!ec || ec == asio::error::address_in_use) joined.insert(index);
  }
  joined_ = std::move(joined);
}

void BeaconSockets::Close() {
  ++generation_;
  std::error_code ignored;
  if (v4_.is_open()) v4_.close(ignored);
  if (v6_.is_open()) v6_.close(ignored);
  joined_.clear();
}

void BeaconSockets::SendAll(ByteView payload) {
  const Bytes bytes(payload.begin(), payload.end());
  SendAll(UpInterfaceAddresses(), [&bytes] { return bytes; });
}

void BeaconSockets::SendAll(const std::function<Bytes()>& make_payload) {
  SendAll(UpInterfaceAddresses(), make_payload);
}

void BeaconSockets::SendAll(const std::vector<InterfaceAddress>& out_of,
                            const std::function<Bytes()>& make_payload) {
  // An interface with several addresses is listed several times; each destination once.
  std::set<unsigned> limited;
  std::set<std::pair<unsigned, uint32_t>> directed;
  std::set<unsigned> multicast;
  const asio::ip::address_v4 everyone = asio::ip::address_v4::broadcast();
  for (const InterfaceAddress& a : out_of) {
    if (a.address.is_v4()) {
      if (!v4_.is_open() || !a.broadcast) continue;  // no broadcast on point-to-point links
      if (limited.insert(a.index).second) SendV4(everyone, a.index, make_payload());
      if (*a.broadcast != everyone && directed.insert({a.index, a.broadcast->to_uint()}).second)
        SendV4(*a.broadcast, a.index, make_payload());
    } else if (v6_.is_open() && multicast.insert(a.index).second) {
      SendV6(a.index, make_payload());
    }
  }
}

// sendmsg with IP_PKTINFO: the limited broadcast otherwise leaves by whichever interface
// the routing table picks for 255.255.255.255, once, instead of by each one.
void BeaconSockets::SendV4(const asio::ip::address_v4& to, unsigned index, ByteView payload) {
  if (payload.size() > kMaxBeaconDatagramBytes) {
    ++send_errors_;  // every receiver would drop it
    return;
  }
  sockaddr_in destination{};
  destination.sin_family = AF_INET;
  destination.sin_port = htons(port_);
  destination.sin_addr.s_addr = htonl(to.to_uint());
  iovec iov{const_cast<uint8_t*>(payload.data()), payload.size()};
  alignas(cmsghdr) std::array<uint8_t, CMSG_SPACE(sizeof(in_pktinfo))> control{};
  msghdr message{};
  message.msg_name = &destination;
  message.msg_namelen = sizeof destination;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = IPPROTO_IP;
  header->cmsg_type = IP_PKTINFO;
  header->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
  in_pktinfo info{};
  info.ipi_ifindex = static_cast<int>(index);
  std::memcpy(CMSG_DATA(header), &info, sizeof info);
  ssize_t n = -1;
  for (int attempt = 0; attempt < 2; ++attempt) {  // once more if a signal interrupted it
    n = ::sendmsg(v4_.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0 || errno != EINTR) break;
  }
  Count(n == static_cast<ssize_t>(payload.size()));
}

void BeaconSockets::SendV6(unsigned index, ByteView payload) {
  if (payload.size() > kMaxBeaconDatagramBytes) {
    ++send_errors_;
    return;
  }
  asio::ip::address_v6 to = group_;
  to.scope_id(index);  // sin6_scope_id: out of this interface
  std::error_code ec;
  const size_t n = v6_.send_to(asio::buffer(payload.data(), payload.size()), {to, port_}, 0, ec);
  Count(!ec && n == payload.size());
}

asio::awaitable<void> BeaconSockets::ReceiveLoop(asio::ip::udp::socket& socket, uint64_t generation,
                                                 std::shared_ptr<bool> alive) {
  if (!*alive) co_return;  // gone before the loop's first turn
  // In the coroutine's frame, so that a read still pending when this object goes has
  // somewhere to land. One byte more than the maximum tells a longer datagram (cut to it).
  std::array<uint8_t, kMaxBeaconDatagramBytes + 1> buffer;
  asio::ip::udp::endpoint from;
  asio::steady_timer pause(io_);
  std::error_code ec;
  while (true) {
    if (!*alive || generation != generation_ || !socket.is_open()) co_return;
    const size_t n = co_await socket.async_receive_from(
        asio::buffer(buffer), from, asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || generation != generation_) co_return;
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Whatever it was (an ICMP error surfacing, a lack of memory), the next datagram
      // may be fine: pause so that an error that repeats cannot spin the daemon thread.
      ++receive_errors_;
      pause.expires_after(kBeaconReceiveErrorPause);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (n > kMaxBeaconDatagramBytes) {
      ++oversize_;
      continue;
    }
    ++received_;
    if (on_datagram_) on_datagram_(ByteView(buffer.data(), n), from);
  }
}

}  // namespace accord::daemon
