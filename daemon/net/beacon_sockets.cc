#include "daemon/net/beacon_sockets.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "daemon/net/interfaces.h"

namespace accord::daemon {

BeaconSockets::BeaconSockets(asio::io_context& io, uint16_t port, std::string ipv6_group)
    : port_(port), group_(asio::ip::make_address_v6(ipv6_group)), v4_(io), v6_(io) {}

BeaconSockets::~BeaconSockets() {
  *alive_ = false;
  Close();
}

Status BeaconSockets::Open() {
  std::error_code e4;
  v4_.open(asio::ip::udp::v4(), e4);
  if (!e4) v4_.set_option(asio::socket_base::reuse_address(true), e4);
  if (!e4) v4_.set_option(asio::socket_base::broadcast(true), e4);
  if (!e4) v4_.bind({asio::ip::address_v4::any(), port_}, e4);
  if (e4) {
    std::error_code ignored;
    v4_.close(ignored);
  }
  std::error_code e6;
  v6_.open(asio::ip::udp::v6(), e6);
  if (!e6) v6_.set_option(asio::ip::v6_only(true), e6);
  if (!e6) v6_.set_option(asio::socket_base::reuse_address(true), e6);
  if (!e6) v6_.bind({asio::ip::address_v6::any(), port_}, e6);
  if (e6) {
    std::error_code ignored;
    v6_.close(ignored);
  }
  if (!v4_.is_open() && !v6_.is_open()) {
    return MakeError(ErrorCode::kIo,
                     "cannot bind UDP port " + std::to_string(port_) + ": " + e4.message());
  }
  Rejoin();
  if (v4_.is_open()) Receive(v4_);
  if (v6_.is_open()) Receive(v6_);
  return Status::Ok();
}

void BeaconSockets::Rejoin() {
  if (!v6_.is_open()) return;
  for (const InterfaceAddress& a : UpInterfaceAddresses()) {
    if (!a.address.is_v6() || !a.link_local || joined_.count(a.index)) continue;
    std::error_code ec;
    v6_.set_option(asio::ip::multicast::join_group(group_, a.index), ec);
    // "Already a member" after the interface went down and up: it still is.
    if (!ec || ec == asio::error::address_in_use) joined_.insert(a.index);
  }
}

void BeaconSockets::Close() {
  std::error_code ignored;
  if (v4_.is_open()) v4_.close(ignored);
  if (v6_.is_open()) v6_.close(ignored);
  joined_.clear();
}

void BeaconSockets::SendAll(const std::function<Bytes()>& make) {
  std::set<unsigned> v6_sent;
  for (const InterfaceAddress& a : UpInterfaceAddresses()) {
    std::error_code ec;
    if (a.address.is_v4() && v4_.is_open()) {
      // The limited broadcast leaves by the route's interface unless told otherwise: name
      // the interface (IP_PKTINFO), so that it goes out of each one.
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_port = htons(port_);
      to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
      Bytes payload = make();
      iovec iov{payload.data(), payload.size()};
      alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in_pktinfo))] = {};
      msghdr msg{};
      msg.msg_name = &to;
      msg.msg_namelen = sizeof to;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      cmsghdr* c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
      in_pktinfo info{};
      info.ipi_ifindex = static_cast<int>(a.index);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      if (::sendmsg(v4_.native_handle(), &msg, MSG_DONTWAIT) < 0) {
        ++send_errors_;
      } else {
        ++sent_;
      }
      if (a.broadcast) {
        v4_.send_to(asio::buffer(make()), {*a.broadcast, port_}, 0, ec);
        ec ? ++send_errors_ : ++sent_;
      }
    } else if (a.address.is_v6() && a.link_local && v6_.is_open() && !v6_sent.count(a.index)) {
      v6_sent.insert(a.index);
      asio::ip::address_v6 to = group_;
      to.scope_id(a.index);
      v6_.send_to(asio::buffer(make()), {to, port_}, 0, ec);
      ec ? ++send_errors_ : ++sent_;
    }
  }
}

void BeaconSockets::Receive(asio::ip::udp::socket& socket) {
  const bool v4 = &socket == &v4_;
  auto& buffer = v4 ? buffer4_ : buffer6_;
  auto& from = v4 ? from4_ : from6_;
  socket.async_receive_from(
      asio::buffer(buffer), from,
      [this, &socket, &buffer, &from, alive = alive_](std::error_code ec, size_t n) {
        if (!*alive || !socket.is_open() || ec == asio::error::operation_aborted) return;
        if (!ec && n <= kMaxBeaconDatagramBytes) {
          ++received_;
          if (on_datagram_) on_datagram_(ByteView(buffer.data(), n), from);
        }
        Receive(socket);  // errors (an ICMP error reported late, a truncation) do not stop it
      });
}

}  // namespace accord::daemon
