// The sd-bus edge of desktop notifications: one thread of its own owns the session bus
// connection and calls org.freedesktop.Notifications.Notify for each queued notification, so
// a slow or hung notification server never holds up the daemon thread (SPEC §7). No session
// bus: one info line at start, then nothing. Send may be called from any thread.
#ifndef ACCORD_DAEMON_NOTIFY_BUS_SENDER_H_
#define ACCORD_DAEMON_NOTIFY_BUS_SENDER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "daemon/notify/coalescer.h"
#include "daemon/notify/outbox.h"

namespace accord::notify {

constexpr uint64_t kBusCallTimeoutUs = 1000 * 1000;         // µs a Notify call may take
constexpr uint64_t kBusConnectTimeoutUs = 2 * 1000 * 1000;  // µs to connect and say Hello
constexpr int64_t kBusRetryMs = 60 * 1000;  // ms between attempts to reach a missing bus

class BusSender {
 public:
  // Called on the sender's thread with a line for the daemon's log (info level).
  using Report = std::function<void(std::string)>;

  // Starts the thread, which connects to the session bus (DBUS_SESSION_BUS_ADDRESS, else
  // $XDG_RUNTIME_DIR/bus) at once.
  explicit BusSender(Report info);
  // Stops the thread: waits at most for the call in flight (kBusCallTimeoutUs).
  ~BusSender();
  BusSender(const BusSender&) = delete;
  BusSender& operator=(const BusSender&) = delete;

  // Queues `n` (Outbox's bounds) and returns at once.
  void Send(Outgoing n);

 private:
  void Run();

  Report info_;
  std::mutex mu_;
  std::condition_variable wake_;
  Outbox outbox_;                  // guarded by mu_
  std::atomic<bool> stop_{false};  // set once, by the destructor
  std::thread thread_;             // last: started once everything above exists
};

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_BUS_SENDER_H_
