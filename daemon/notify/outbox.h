// The notifications waiting for the bus (SPEC §7: a hung notification server must not stall
// the daemon). Bounded: a newer notification of a group already waiting takes its place (the
// screen would show only the newer one), and when full the oldest waiting one is dropped.
// Pure and not thread-safe: bus_sender.h guards it with its one mutex.
#ifndef ACCORD_DAEMON_NOTIFY_OUTBOX_H_
#define ACCORD_DAEMON_NOTIFY_OUTBOX_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "daemon/notify/compose.h"

namespace accord::notify {

constexpr size_t kMaxWaiting = 16;  // notifications waiting for the bus

struct Outgoing {
  uint64_t group = 0;     // Merged::group
  bool replaces = false;  // update the group's notification on screen, if it has one
  Text text;
  friend bool operator==(const Outgoing&, const Outgoing&) = default;
};

class Outbox {
 public:
  // Queues `n`; returns how many waiting notifications were dropped to make room (0 or 1).
  size_t Push(Outgoing n);
  std::optional<Outgoing> Pop();  // the oldest waiting one
  size_t size() const { return waiting_.size(); }

 private:
  std::deque<Outgoing> waiting_;
};

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_OUTBOX_H_
