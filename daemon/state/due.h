// Questions about the state at a given moment: which reviews are due, who is in space now.
// Pure: `now_ms` comes from the caller's clock; any thread with its own State copy.
// Nothing here feeds the state digest (it would change with the clock).
#ifndef ACCORD_DAEMON_STATE_DUE_H_
#define ACCORD_DAEMON_STATE_DUE_H_

#include <cstdint>
#include <vector>

#include "daemon/state/state.h"

namespace accord::state {

struct DueItem {
  log::EntryId agreement{};
  log::EntryId version{};      // the latest active version, whose cadence applies
  int64_t last_review_ms = 0;  // activation, or the latest check-in about the agreement
  int64_t due_ms = 0;          // last_review_ms + review cadence
  int64_t overdue_ms = 0;      // now - due_ms, >= 0
  friend bool operator==(const DueItem&, const DueItem&) = default;
};

// For each active (not retired) agreement whose latest active version has a review cadence:
// the last review is the later of the version's activation and the latest check-in about the
// agreement that is not withdrawn; it is due once now_ms >= last review + cadence. In the
// agreements' order.
std::vector<DueItem> Due(const Live& state, int64_t now_ms);

// Space requests of current members with start_ms <= now_ms < end_ms, in LWW order.
std::vector<SpaceRequest> InSpaceNow(const Live& state, int64_t now_ms);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_DUE_H_
