// Which agreement reviews became due while the daemon runs, and when to look again (SPEC §7).
// A review already due when the daemon started is not told (`accord due` and `status` show
// it): no burst at start-up. Pure: the due items and `now` come in; one thread. Bounded by the
// agreements with a cadence: what was told is kept only while that review is still pending.
#ifndef ACCORD_DAEMON_NOTIFY_REVIEW_WATCH_H_
#define ACCORD_DAEMON_NOTIFY_REVIEW_WATCH_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "daemon/state/due.h"

namespace accord::notify {

// unix ms: as `now` for state::Due, it lists every cadenced agreement with its due time.
constexpr int64_t kEveryReview = std::numeric_limits<int64_t>::max() / 2;

class ReviewWatch {
 public:
  // Reviews due before `started_ms` (unix ms) are never told.
  explicit ReviewWatch(int64_t started_ms) : started_ms_(started_ms) {}

  struct Step {
    std::vector<state::DueItem> became_due;  // to tell now, each once
    std::optional<int64_t> next_ms;          // the next due time after now; none: no cadence
  };
  // `cadenced`: state::Due(state, kEveryReview), the reviews of every cadenced agreement.
  Step Check(const std::vector<state::DueItem>& cadenced, int64_t now_ms);

 private:
  int64_t started_ms_;
  std::set<std::pair<log::EntryId, int64_t>> told_;  // (agreement, due_ms)
};

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_REVIEW_WATCH_H_
