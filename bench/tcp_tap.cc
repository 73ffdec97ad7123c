#include "bench/tcp_tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace accord::bench {

namespace {

constexpr int kPollMs = 20;         // ms between checks of the stop flag
constexpr size_t kChunk = 1 << 16;  // bytes read at once

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Follows one direction of a peer connection: an optional type byte, then u16be-length
// frames. The first frame is the handshake message; the rest are transport frames.
struct Direction {
  bool type_byte_pending;
  size_t frames_seen = 0;
  uint8_t header[2] = {0, 0};
  size_t header_have = 0;
  size_t payload_left = 0;

  // Splits `n` bytes into (handshake, transport) byte counts and whole frames completed.
  void Count(const uint8_t* p, size_t n, uint64_t& handshake, uint64_t& transport,
             uint64_t& frames) {
    while (n > 0) {
      size_t take = 1;
      bool in_handshake = frames_seen == 0;
      if (type_byte_pending) {
        type_byte_pending = false;
        in_handshake = true;
      } else if (payload_left == 0) {
        header[header_have++] = *p;
        if (header_have == 2) {
          payload_left = static_cast<size_t>(header[0]) << 8 | header[1];
          header_have = 0;
          if (payload_left == 0) ++frames_seen;
        }
      } else {
        take = std::min(n, payload_left);
        payload_left -= take;
        if (payload_left == 0) {
          if (frames_seen > 0) ++frames;
          ++frames_seen;
        }
      }
      (in_handshake ? handshake : transport) += take;
      p += take;
      n -= take;
    }
  }
};

struct Link {
  int client = -1;
  int upstream = -1;
  Direction up{true};     // client -> upstream: starts with the type byte
  Direction down{false};  // upstream -> client
  ~Link() {
    if (client >= 0) ::close(client);
    if (upstream >= 0) ::close(upstream);
  }
};

bool WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

TcpTap::TcpTap(uint16_t listen_port, uint16_t upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr = Loopback(listen_port);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

TcpTap::~TcpTap() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void TcpTap::Run() {
  std::vector<std::unique_ptr<Link>> links;
  std::vector<uint8_t> buf(kChunk);
  while (!stop_) {
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}};
    for (const auto& l : links) {
      fds.push_back({l->client, POLLIN, 0});
      fds.push_back({l->upstream, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), kPollMs) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) {
        auto link = std::make_unique<Link>();
        link->client = client;
        link->upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr = Loopback(upstream_port_);
        int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        ::setsockopt(link->upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (::connect(link->upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
          ++connections_;
          links.push_back(std::move(link));
        }
      }
    }
    std::vector<bool> dead(links.size(), false);
    for (size_t i = 0; i < links.size(); ++i) {
      Link& l = *links[i];
      for (int side = 0; side < 2; ++side) {
        const pollfd& p = fds[1 + 2 * i + side];
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::recv(p.fd, buf.data(), buf.size(), 0);
        if (n <= 0) {
          dead[i] = true;
          break;
        }
        uint64_t handshake = 0, transport = 0, frames = 0;
        Direction& d = side == 0 ? l.up : l.down;
        d.Count(buf.data(), static_cast<size_t>(n), handshake, transport, frames);
        handshake_bytes_ += handshake;
        frame_bytes_ += transport;
        frames_ += frames;
        if (!WriteAll(side == 0 ? l.upstream : l.client, buf.data(), static_cast<size_t>(n))) {
          dead[i] = true;
          break;
        }
      }
    }
    for (size_t i = links.size(); i-- > 0;) {
      if (dead[i]) links.erase(links.begin() + static_cast<ptrdiff_t>(i));
    }
  }
}

}  // namespace accord::bench
