#include "daemon/net/netlink_watch.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>

#include "daemon/logging.h"

namespace accord::daemon {

namespace {

// The fixed header after the nlmsghdr that a message of this type must carry; 0 for types
// that are not changes of ours.
size_t ChangeHeaderBytes(uint16_t type) {
  switch (type) {
    case RTM_NEWADDR:
    case RTM_DELADDR:
      return sizeof(ifaddrmsg);
    case RTM_NEWLINK:
    case RTM_DELLINK:
      return sizeof(ifinfomsg);
    default:
      return 0;
  }
}

}  // namespace

bool HoldsAddressChange(ByteView messages) {
  size_t at = 0;
  // Each step moves forward by at least one header (a shorter length ends the scan), so
  // this ends after at most size / sizeof(nlmsghdr) steps.
  while (messages.size() - at >= sizeof(nlmsghdr)) {
    nlmsghdr header;
    std::memcpy(&header, messages.data() + at, sizeof header);
    const size_t length = header.nlmsg_len;
    if (length < sizeof(nlmsghdr) || length > messages.size() - at) return false;
    const size_t needed = ChangeHeaderBytes(header.nlmsg_type);
    if (needed > 0 && length >= NLMSG_LENGTH(needed)) return true;
    if (header.nlmsg_type == NLMSG_DONE) return false;
    const size_t step = NLMSG_ALIGN(length);
    if (step > messages.size() - at) return false;  // the last one: nothing can follow
    at += step;
  }
  return false;
}

NetlinkWatch::NetlinkWatch(asio::io_context& io, std::function<void()> on_change,
                           NetlinkDebounce debounce)
    : io_(io),
      on_change_(std::move(on_change)),
      debounce_times_(debounce),
      socket_(io),
      debounce_(io) {}

NetlinkWatch::~NetlinkWatch() {
  *alive_ = false;
  Stop();
}

Status NetlinkWatch::Start() {
  assert(!started_);
  started_ = true;
  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo,
                     std::string("cannot open a netlink socket: ") + std::strerror(errno));
  }
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    const int error = errno;
    ::close(fd);
    return MakeError(ErrorCode::kIo,
                     std::string("cannot subscribe to address changes: ") + std::strerror(error));
  }
  std::error_code ec;
  socket_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return MakeError(ErrorCode::kIo, "cannot watch the netlink socket: " + ec.message());
  }
  asio::co_spawn(io_, WatchLoop(alive_), [](std::exception_ptr e) {
    if (e) LogError("netlink watch ended by an unexpected exception");
  });
  return Status::Ok();
}

void NetlinkWatch::Stop() {
  stopped_ = true;
  pending_ = false;
  debounce_.cancel();
  std::error_code ignored;
  if (socket_.is_open()) socket_.close(ignored);
}

asio::awaitable<void> NetlinkWatch::WatchLoop(std::shared_ptr<bool> alive) {
  std::error_code ec;
  while (*alive && !stopped_) {
    co_await socket_.async_wait(asio::posix::stream_descriptor::wait_read,
                                asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || stopped_) co_return;
    if (ec) {
      LogWarning("address changes are no longer watched: " + ec.message());
      co_return;
    }
    if (Drain()) NoteChange();
  }
}

bool NetlinkWatch::Drain() {
  if (buffer_.empty()) buffer_.resize(kNetlinkReadBytes);
  bool changed = false;
  for (int i = 0; i < kNetlinkReadsPerTurn; ++i) {
    sockaddr_nl from{};
    iovec iov{buffer_.data(), buffer_.size()};
    msghdr message{};
    message.msg_name = &from;
    message.msg_namelen = sizeof from;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    const ssize_t n = ::recvmsg(socket_.native_handle(), &message, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      // The kernel dropped notifications for want of room: something changed, and what is
      // no longer known, which is all a caller needs to hear.
      if (errno == ENOBUFS) {
        changed = true;
        continue;
      }
      break;  // EAGAIN: drained
    }
    // Only the kernel speaks for the kernel's tables; a local process may send us anything.
    if (message.msg_namelen != sizeof from || from.nl_pid != 0) continue;
    if (message.msg_flags & MSG_TRUNC) continue;  // a cut datagram is not parsed
    if (HoldsAddressChange(ByteView(buffer_.data(), static_cast<size_t>(n)))) changed = true;
  }
  if (changed) ++changes_seen_;
  return changed;
}

void NetlinkWatch::NoteChange() {
  const auto now = std::chrono::steady_clock::now();
  burst_last_ = now;
  if (pending_) return;  // the waiting Debounce sees burst_last_ move
  pending_ = true;
  burst_first_ = now;
  asio::co_spawn(io_, Debounce(alive_), [](std::exception_ptr e) {
    if (e) LogError("netlink debounce ended by an unexpected exception");
  });
}

asio::awaitable<void> NetlinkWatch::Debounce(std::shared_ptr<bool> alive) {
  if (!*alive || stopped_) co_return;  // gone or stopped before the first turn
  std::error_code ec;
  // Each turn waits until the current due time; the due time only moves later, and never
  // past burst_first_ + kNetlinkMaxDelay, so the loop ends.
  while (true) {
    const auto due =
        std::min(burst_last_ + debounce_times_.quiet, burst_first_ + debounce_times_.max_delay);
    if (std::chrono::steady_clock::now() >= due) break;
    debounce_.expires_at(due);
    co_await debounce_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || stopped_) co_return;
    if (ec) break;  // not cancelled by Stop: call now rather than lose the change
  }
  pending_ = false;
  ++calls_;
  if (on_change_) on_change_();  // last: it may Stop or destroy this watch
}

}  // namespace accord::daemon
