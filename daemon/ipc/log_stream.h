// LogStream: answers one `accord log [--verify]` in slices, letting other requests run
// between them and checking signatures off the daemon thread (the verifier), so checking a
// long log never holds up `status`. Daemon thread only.
// What a row shows is the node's (Node::ReadLog); how it is printed is the client's.
#ifndef ACCORD_DAEMON_IPC_LOG_STREAM_H_
#define ACCORD_DAEMON_IPC_LOG_STREAM_H_

#include <functional>
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
  // Checks a slice's signatures and calls back on the daemon thread (PeerManager's
  // verification pool); without one they are checked on the daemon thread.
  using VerdictsDone = std::function<void(std::vector<log::SignatureVerdict>)>;
  using Verifier =
      std::function<void(std::shared_ptr<const std::vector<log::Envelope>>, VerdictsDone)>;

  // Reads the first slice now and the rest in later steps; with `verify`, each slice is
  // checked whole. REQUIRES: node.has_identity(); `node` outlives the io_context's handlers.
  // `limit` > 0: only the newest `limit` entries, newest first.
  static std::shared_ptr<LogStream> Start(Node& node, bool verify, uint32_t limit,
                                          std::shared_ptr<IpcSession> session,
                                          Verifier verifier = nullptr);
  bool finished() const { return finished_; }
  uint64_t verified() const { return verified_; }

 private:
  LogStream(Node& node, bool verify, uint32_t limit, std::shared_ptr<IpcSession> session,
            Verifier verifier);
  Result<LogSlice> Read();  // the next slice, forward or (with a limit) backward
  void Step();
  void Show(const LogSlice& slice, const std::vector<log::SignatureVerdict>* verdicts);
  void Add(const LogRow& row);
  void Finish();

  Node& node_;
  const bool verify_;
  std::shared_ptr<IpcSession> session_;
  Verifier verifier_;
  std::map<log::DeviceKey, std::string> names_;
  int64_t after_ = 0;  // forward: the last arrival read; backward: the oldest read
  const bool backward_;
  uint64_t left_;  // backward: entries still to read
  uint64_t verified_ = 0;
  uint64_t failed_ = 0;
  uint64_t sealed_below_rotation_ = 0;
  bool finished_ = false;
  proto::Response out_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_LOG_STREAM_H_
