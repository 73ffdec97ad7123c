#include "daemon/notify/coalescer.h"

#include <algorithm>

namespace accord::notify {

namespace {

bool Open(int64_t started_ms, int64_t now_ms) {
  return now_ms >= started_ms && now_ms - started_ms <= kMergeWindowMs;
}

}  // namespace

Merged Coalescer::Add(const Happening& h, int64_t now_ms) {
  std::erase_if(groups_, [now_ms](const Group& g) { return !Open(g.started_ms, now_ms); });
  for (Group& g : groups_) {
    if (g.topic == h.topic && g.who == h.who) {
      ++g.count;
      return Merged{g.id, /*replaces=*/true, g.count};
    }
  }
  if (groups_.size() >= kMaxGroups) groups_.pop_front();
  groups_.push_back(Group{next_id_++, h.topic, h.who, now_ms, 1});
  return Merged{groups_.back().id, /*replaces=*/false, 1};
}

}  // namespace accord::notify
