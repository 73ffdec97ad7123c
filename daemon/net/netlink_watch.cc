#include "daemon/net/netlink_watch.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace accord::daemon {

constexpr size_t kNetlinkBufferBytes = 16384;  // bytes per read; the kernel splits larger

bool HoldsAddressChange(ByteView messages) {
  size_t at = 0;
  while (at + sizeof(nlmsghdr) <= messages.size()) {
    nlmsghdr h;
    std::memcpy(&h, messages.data() + at, sizeof h);
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > messages.size() - at) return false;
    switch (h.nlmsg_type) {
      case RTM_NEWADDR:
      case RTM_DELADDR:
      case RTM_NEWLINK:
      case RTM_DELLINK:
        return true;
      default:
        break;
    }
    at += NLMSG_ALIGN(h.nlmsg_len);
  }
  return false;
}

NetlinkWatch::NetlinkWatch(asio::io_context& io, std::function<void()> on_change)
    : io_(io), on_change_(std::move(on_change)), socket_(io), debounce_(io) {}

NetlinkWatch::~NetlinkWatch() {
  *alive_ = false;
  Stop();
}

Status NetlinkWatch::Start() {
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) return MakeError(ErrorCode::kIo, std::string("netlink: ") + std::strerror(errno));
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    const int e = errno;
    ::close(fd);
    return MakeError(ErrorCode::kIo, std::string("netlink: ") + std::strerror(e));
  }
  socket_.assign(fd);
  Wait();
  return Status::Ok();
}

void NetlinkWatch::Stop() {
  std::error_code ignored;
  debounce_.cancel();
  if (socket_.is_open()) socket_.close(ignored);
}

void NetlinkWatch::Wait() {
  socket_.async_wait(asio::posix::stream_descriptor::wait_read,
                     [this, alive = alive_](std::error_code ec) {
                       if (ec || !*alive) return;
                       Drain();
                       Wait();
                     });
}

void NetlinkWatch::Drain() {
  std::array<uint8_t, kNetlinkBufferBytes> buffer;
  bool changed = false;
  for (int i = 0; i < 64; ++i) {  // bounded: a storm of changes cannot hold the thread
    ssize_t n = ::recv(socket_.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n < 0 && errno == ENOBUFS) {
      changed = true;  // the kernel dropped messages: something changed, we lost what
      continue;
    }
    if (n <= 0) break;
    changed = changed || HoldsAddressChange(ByteView(buffer.data(), static_cast<size_t>(n)));
  }
  if (!changed || pending_) return;
  pending_ = true;
  debounce_.expires_after(kNetlinkDebounce);
  debounce_.async_wait([this, alive = alive_](std::error_code ec) {
    if (!*alive) return;
    pending_ = false;
    if (!ec && on_change_) on_change_();
  });
}

}  // namespace accord::daemon
