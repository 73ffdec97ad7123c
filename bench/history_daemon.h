// The history bench's view of a real accordd: spawned on a generated home and timed from the
// spawn to its first answered `status`, its RSS, and single IPC calls through the local
// socket. Bench only; one thread. Only the process started here is ever signalled.
#ifndef ACCORD_BENCH_HISTORY_DAEMON_H_
#define ACCORD_BENCH_HISTORY_DAEMON_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "accord/ipc.pb.h"
#include "base/result.h"

namespace accord::bench {

class TimedDaemon {
 public:
  explicit TimedDaemon(std::filesystem::path home) : home_(std::move(home)) {}
  ~TimedDaemon();  // Stop() if still running
  TimedDaemon(const TimedDaemon&) = delete;
  TimedDaemon& operator=(const TimedDaemon&) = delete;

  // Spawns accordd (no discovery, loopback listener, no notifications: as tests/support's
  // Daemon) and asks `status` until one is answered. Returns milliseconds from just before
  // the fork to the answer; an error if it exits or has not answered in `timeout_s`.
  Result<double> Start(int timeout_s);
  // SIGTERM and wait (SIGKILL after 60 s); the exit status, -1 if killed.
  int Stop();
  // VmRSS of the running daemon in KiB (/proc/PID/status).
  Result<uint64_t> RssKiB() const;
  // Context switches so far, voluntary and not, summed over its threads
  // (/proc/PID/task/*/status): each wake-up of an idle daemon is at least one.
  Result<uint64_t> ContextSwitches() const;
  std::filesystem::path socket() const { return home_ / "run" / "accord.sock"; }
  const std::filesystem::path& home() const { return home_; }

 private:
  std::filesystem::path home_;
  pid_t pid_ = -1;
};

// One request/response through a fresh connection, in milliseconds from the send to the
// parsed answer. The answer is kept for its size and item count.
struct TimedCall {
  double ms = 0;
  proto::Response response;
};
Result<TimedCall> CallOnce(const std::filesystem::path& socket, const proto::Request& request,
                           int timeout_s);

// Requests the bench times.
proto::Request StatusRequest();
proto::Request AppreciateRequest(const std::string& text);
proto::Request NeedsRequest();
proto::Request AgreementsRequest();  // --all, the client's default
proto::Request SpaceRequest();
proto::Request DueRequest();
// How many items an answer lists (notes, agreements, space requests, due items, members).
size_t ItemsIn(const proto::Response& response);

}  // namespace accord::bench

#endif  // ACCORD_BENCH_HISTORY_DAEMON_H_
