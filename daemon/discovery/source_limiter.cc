#include "daemon/discovery/source_limiter.h"

#include <algorithm>
#include <cassert>

namespace accord::discovery {

SourceLimiter::SourceLimiter(double per_second, double burst, size_t max_sources)
    : per_second_(per_second), burst_(burst), max_sources_(max_sources) {
  assert(per_second_ > 0 && burst_ >= 1 && max_sources_ >= 1);
}

bool SourceLimiter::Allow(const std::string& source, int64_t now_ms) {
  auto found = by_source_.find(source);
  if (found == by_source_.end()) {
    if (by_source_.size() >= max_sources_) {
      by_source_.erase(recency_.back().source);
      recency_.pop_back();
    }
    recency_.push_front(Bucket{source, burst_, now_ms});
    found = by_source_.emplace(source, recency_.begin()).first;
  } else {
    recency_.splice(recency_.begin(), recency_, found->second);
  }
  Bucket& bucket = *found->second;
  // A clock that steps back refills nothing; it never drains a bucket either.
  if (now_ms > bucket.last_ms) {
    const double elapsed_seconds = static_cast<double>(now_ms - bucket.last_ms) / 1000.0;
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed_seconds * per_second_);
    bucket.last_ms = now_ms;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

ReplayWindow::ReplayWindow(size_t max_entries, int64_t window_ms)
    : max_entries_(max_entries), window_ms_(window_ms) {
  assert(max_entries_ >= 1 && window_ms_ > 0);
}

void ReplayWindow::DropExpired(int64_t now_ms) {
  while (!order_.empty() && now_ms - order_.front().first >= window_ms_) {
    seen_.erase(order_.front().second);
    order_.pop_front();
  }
}

bool ReplayWindow::FirstSeen(const Nonce& nonce, int64_t now_ms) {
  DropExpired(now_ms);
  if (seen_.contains(nonce)) return false;
  if (seen_.size() >= max_entries_) {
    seen_.erase(order_.front().second);
    order_.pop_front();
  }
  seen_.insert(nonce);
  order_.emplace_back(now_ms, nonce);
  return true;
}

}  // namespace accord::discovery
