// Merges repeats (SPEC §7): happenings of one topic by one partner within a minute of the
// first become one notification whose count grows, shown by replacing the first one on
// screen (the sender keeps the server's id per group). Pure: time comes in as unix ms; one
// thread. Bounded: at most kMaxGroups groups are remembered, the oldest forgotten first.
#ifndef ACCORD_DAEMON_NOTIFY_COALESCER_H_
#define ACCORD_DAEMON_NOTIFY_COALESCER_H_

#include <cstddef>
#include <cstdint>
#include <deque>

#include "daemon/notify/happening.h"

namespace accord::notify {

constexpr int64_t kMergeWindowMs = 60 * 1000;  // ms after a group's first notification
constexpr size_t kMaxGroups = 32;              // groups remembered at once

// What to show for one happening.
struct Merged {
  uint64_t group = 0;     // > 0; the same for every happening merged into one notification
  bool replaces = false;  // false: a new notification; true: it updates the group's one
  int count = 1;          // happenings in the group so far, this one included
};

class Coalescer {
 public:
  // Puts `h` into the open group of its topic and partner if that group began at most
  // kMergeWindowMs before now_ms (a clock set back closes it), else into a new group.
  Merged Add(const Happening& h, int64_t now_ms);

  size_t groups() const { return groups_.size(); }

 private:
  struct Group {
    uint64_t id = 0;
    Topic topic = Topic::kSpaceAsked;
    state::MemberId who{};
    int64_t started_ms = 0;
    int count = 0;
  };
  std::deque<Group> groups_;  // oldest first
  uint64_t next_id_ = 1;
};

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_COALESCER_H_
