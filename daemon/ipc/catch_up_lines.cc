#include "daemon/ipc/catch_up_lines.h"

#include "base/text.h"

namespace accord::daemon {

namespace {

proto::Event Line(const proto::SyncProgress& p, int64_t now_ms) {
  proto::Event e;
  e.set_time_ms(now_ms);
  *e.mutable_progress() = p;
  const std::string who = p.name() + "'s device " + p.device_key().substr(0, 8);
  if (p.received() >= p.total()) {
    e.set_summary("caught up with " + who + ": " + GroupedThousands(p.received()) +
                  " entries received");
  } else {
    e.set_summary("receiving from " + who + ": " + GroupedThousands(p.received()) + " of " +
                  GroupedThousands(p.total()) + " entries");
  }
  return e;
}

}  // namespace

std::optional<proto::Event> CatchUpLines::OnProgress(const proto::SyncProgress& p, int64_t now_ms) {
  auto it = under_way_.find(p.device_key());
  if (it == under_way_.end()) {
    // Only many entries still to come start progress lines (the counts are the session's:
    // a live entry after a catch-up is one more of its total, and shows on its own).
    if (p.received() >= p.total() || p.total() - p.received() < kQuietCatchUpEntries) {
      return std::nullopt;
    }
    under_way_.emplace(p.device_key(), UnderWay{now_ms});
    return Line(p, now_ms);
  }
  if (p.received() >= p.total()) {
    under_way_.erase(it);
    return Line(p, now_ms);
  }
  if (now_ms - it->second.last_line_ms < kProgressLineEveryMs) return std::nullopt;
  it->second.last_line_ms = now_ms;
  return Line(p, now_ms);
}

}  // namespace accord::daemon
