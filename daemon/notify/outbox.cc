#include "daemon/notify/outbox.h"

namespace accord::notify {

size_t Outbox::Push(Outgoing n) {
  for (Outgoing& waiting : waiting_) {
    if (waiting.group == n.group) {
      // The one waiting was never shown: if it was to be new, the newer one is new too.
      n.replaces = waiting.replaces && n.replaces;
      waiting = std::move(n);
      return 0;
    }
  }
  size_t dropped = 0;
  if (waiting_.size() >= kMaxWaiting) {
    waiting_.pop_front();
    dropped = 1;
  }
  waiting_.push_back(std::move(n));
  return dropped;
}

std::optional<Outgoing> Outbox::Pop() {
  if (waiting_.empty()) return std::nullopt;
  Outgoing n = std::move(waiting_.front());
  waiting_.pop_front();
  return n;
}

}  // namespace accord::notify
