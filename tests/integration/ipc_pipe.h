// A raw client of the local socket for tests that need many requests quickly: requests are
// pipelined (all sent, then all answers read), as no CLI process per entry could keep up.
#ifndef ACCORD_TESTS_INTEGRATION_IPC_PIPE_H_
#define ACCORD_TESTS_INTEGRATION_IPC_PIPE_H_

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "accord/ipc.pb.h"
#include "base/frame.h"

namespace accord::testing {

// Writes `count` needs through one connection; returns how many were answered without error.
// `text(i)` is need i's text (by default a short numbered one).
inline size_t WriteNeeds(const std::filesystem::path& socket_path, size_t count,
                         size_t window = 256,
                         const std::function<std::string(size_t)>& text = nullptr) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return 0;
  }
  auto read_exact = [fd](uint8_t* p, size_t n) {
    while (n > 0) {
      ssize_t r = ::read(fd, p, n);
      if (r <= 0) return false;
      p += r;
      n -= static_cast<size_t>(r);
    }
    return true;
  };
  size_t sent = 0, ok = 0;
  while (ok < count) {
    // Keep at most `window` requests in flight so neither socket buffer fills up.
    while (sent < count && sent - ok < window) {
      proto::Request r;
      r.set_protocol(1);
      r.mutable_add_need()->set_text(
          text ? text(sent) : "I need quiet time, entry number " + std::to_string(sent));
      Bytes frame = EncodeFrame(AsBytes(r.SerializeAsString()));
      if (::write(fd, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) break;
      ++sent;
    }
    uint8_t header[kFrameHeaderBytes];
    if (!read_exact(header, sizeof(header))) break;
    Bytes body(GetU32Be(header));
    if (!read_exact(body.data(), body.size())) break;
    proto::Response response;
    if (!response.ParseFromArray(body.data(), static_cast<int>(body.size())) ||
        response.error().code() != proto::OK) {
      break;
    }
    ++ok;
  }
  ::close(fd);
  return ok;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_IPC_PIPE_H_
