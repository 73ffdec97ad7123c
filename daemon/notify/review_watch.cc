#include "daemon/notify/review_watch.h"

#include <algorithm>

namespace accord::notify {

ReviewWatch::Step ReviewWatch::Check(const std::vector<state::DueItem>& cadenced, int64_t now_ms) {
  Step step;
  std::set<std::pair<log::EntryId, int64_t>> still_pending;
  for (const state::DueItem& item : cadenced) {
    const std::pair<log::EntryId, int64_t> key{item.agreement, item.due_ms};
    if (item.due_ms > now_ms) {
      step.next_ms = step.next_ms ? std::min(*step.next_ms, item.due_ms) : item.due_ms;
      continue;
    }
    if (item.due_ms < started_ms_) continue;
    still_pending.insert(key);
    if (!told_.count(key)) step.became_due.push_back(item);
  }
  told_ = std::move(still_pending);
  return step;
}

}  // namespace accord::notify
