// A raw client of the local socket for tests and benchmarks: requests the client would never
// send, and many requests quickly (pipelined), as no CLI process per entry could keep up.
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
#include "client/fd_io.h"

namespace accord::testing {

// One connection to the local socket for requests the client would never send, or many
// quickly. A missing answer fails after `timeout_s`, never hangs.
class RawIpc {
 public:
  explicit RawIpc(const std::filesystem::path& socket, int timeout_s = 10) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof(addr.sun_path) - 1);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    timeval tv{timeout_s, 0};
    if (fd_ >= 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawIpc() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawIpc(const RawIpc&) = delete;
  RawIpc& operator=(const RawIpc&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool SendPayload(const std::string& payload) {
    Bytes frame = EncodeFrame(AsBytes(payload));
    return fd_ >= 0 && client::WriteAll(fd_, frame.data(), frame.size());
  }
  bool Send(const proto::Request& request) { return SendPayload(request.SerializeAsString()); }
  std::optional<proto::Response> Read() {
    uint8_t header[kFrameHeaderBytes];
    if (!client::ReadExact(fd_, header, sizeof(header))) return std::nullopt;
    std::string body(GetU32Be(header), '\0');
    if (!client::ReadExact(fd_, reinterpret_cast<uint8_t*>(body.data()), body.size())) {
      return std::nullopt;
    }
    proto::Response r;
    if (!r.ParseFromString(body)) return std::nullopt;
    return r;
  }
  std::optional<proto::Response> Call(const proto::Request& request) {
    if (!Send(request)) return std::nullopt;
    return Read();
  }

 private:
  int fd_ = -1;
};

// Writes `count` needs through one connection; returns how many were answered without error.
// `text(i)` is need i's text (by default a short numbered one).
inline size_t WriteNeeds(const std::filesystem::path& socket_path, size_t count,
                         size_t window = 256,
                         const std::function<std::string(size_t)>& text = nullptr) {
  RawIpc ipc(socket_path, /*timeout_s=*/60);
  if (!ipc.connected()) return 0;
  size_t sent = 0, ok = 0;
  while (ok < count) {
    // Keep at most `window` requests in flight so neither socket buffer fills up.
    while (sent < count && sent - ok < window) {
      proto::Request r;
      r.set_protocol(1);
      r.mutable_add_need()->set_text(
          text ? text(sent) : "I need quiet time, entry number " + std::to_string(sent));
      if (!ipc.Send(r)) break;
      ++sent;
    }
    std::optional<proto::Response> response = ipc.Read();
    if (!response || response->error().code() != proto::OK) break;
    ++ok;
  }
  return ok;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_IPC_PIPE_H_
