// Blocking connection from `accord` to the local daemon's socket: one request, then one
// response (or a stream of them for `watch`). Client only.
#ifndef ACCORD_CLIENT_IPC_CLIENT_H_
#define ACCORD_CLIENT_IPC_CLIENT_H_

#include <filesystem>

#include "accord/ipc.pb.h"
#include "base/frame.h"  // kIpcProtocolVersion
#include "base/result.h"

namespace accord::client {

class IpcClient {
 public:
  // kUnavailable with advice ("start it with: accordd --home ...") if nothing listens.
  static Result<IpcClient> Connect(const std::filesystem::path& socket);
  IpcClient(IpcClient&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  IpcClient(const IpcClient&) = delete;
  IpcClient& operator=(const IpcClient&) = delete;
  ~IpcClient();

  Status Send(const proto::Request& request);
  // kUnavailable if the daemon closed the connection, kTooLarge / kCorrupt for bad frames.
  Result<proto::Response> Receive();

 private:
  explicit IpcClient(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace accord::client

#endif  // ACCORD_CLIENT_IPC_CLIENT_H_
