// CatchUpLines: what `watch` shows while a peer device's large catch-up arrives (SPEC §6).
// A catch-up of many entries (an initial sync, a week offline) is one progress line at most
// per second per device and a last "caught up" line, not a line per entry; a small one shows
// each entry as it lands. Peer entries folded while any large catch-up is under way are
// summarized by these lines instead of shown singly. Daemon thread only; the time is given.
#ifndef ACCORD_DAEMON_IPC_CATCH_UP_LINES_H_
#define ACCORD_DAEMON_IPC_CATCH_UP_LINES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "accord/ipc.pb.h"

namespace accord::daemon {

// A catch-up with at least this many entries still to come is shown by progress lines.
constexpr uint64_t kQuietCatchUpEntries = 50;
constexpr int64_t kProgressLineEveryMs = 1000;

class CatchUpLines {
 public:
  // The event to send for this progress report, if one is due: the first report of a large
  // catch-up, one a second after the last line, and the last one (everything received).
  std::optional<proto::Event> OnProgress(const proto::SyncProgress& progress, int64_t now_ms);
  // The device disconnected: its catch-up, if any, ends without a "caught up" line.
  void OnDisconnected(const std::string& device_key) { under_way_.erase(device_key); }
  // True while a large catch-up is under way: received entries are not shown one by one.
  bool quiet() const { return !under_way_.empty(); }

 private:
  struct UnderWay {
    int64_t last_line_ms = 0;
  };
  std::map<std::string, UnderWay> under_way_;  // by device key hex
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_CATCH_UP_LINES_H_
