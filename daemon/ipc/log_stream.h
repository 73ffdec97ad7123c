// LogStream: answers one `accord log [--verify]` in slices, letting other requests run
// between them, so checking a long log never holds up `status`. Daemon thread only.
// What a row shows is the node's (Node::ReadLog); how it is printed is the client's.
#ifndef ACCORD_DAEMON_IPC_LOG_STREAM_H_
#define ACCORD_DAEMON_IPC_LOG_STREAM_H_

#include <map>
#include <memory>
#include <string>

#include "daemon/ipc/ipc_server.h"
#include "daemon/node/node.h"

namespace accord::daemon {

constexpr size_t kLogSliceEntries = 256;   // entries read (and verified) per step
constexpr size_t kLogChunkEntries = 2000;  // entries per response frame

class LogStream : public std::enable_shared_from_this<LogStream> {
 public:
  // Reads (and with `verify` checks) the first slice now and the rest in posted steps.
  // REQUIRES: node.has_identity(). `node` outlives the io_context's handlers.
  static std::shared_ptr<LogStream> Start(Node& node, bool verify,
                                          std::shared_ptr<IpcSession> session);
  bool finished() const { return finished_; }
  uint64_t verified() const { return verified_; }

 private:
  LogStream(Node& node, bool verify, std::shared_ptr<IpcSession> session);
  void Step();
  void Add(const LogRow& row);
  void Finish();

  Node& node_;
  const bool verify_;
  std::shared_ptr<IpcSession> session_;
  std::map<log::DeviceKey, std::string> names_;
  int64_t after_ = 0;
  uint64_t verified_ = 0;
  uint64_t failed_ = 0;
  bool finished_ = false;
  proto::Response out_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_LOG_STREAM_H_
