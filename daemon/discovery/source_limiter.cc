#include "daemon/discovery/source_limiter.h"

#include <algorithm>

namespace accord::discovery {

SourceLimiter::SourceLimiter(double per_second, double burst, size_t max_sources)
    : per_second_(per_second), burst_(burst), max_sources_(max_sources) {}

bool SourceLimiter::Allow(const std::string& source, int64_t now_ms) {
  auto it = buckets_.find(source);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_sources_) {
      auto oldest = std::min_element(
          buckets_.begin(), buckets_.end(),
          [](const auto& a, const auto& b) { return a.second.last_ms < b.second.last_ms; });
      buckets_.erase(oldest);
    }
    it = buckets_.emplace(source, Bucket{burst_, now_ms}).first;
  }
  Bucket& b = it->second;
  const double elapsed_s = static_cast<double>(std::max<int64_t>(0, now_ms - b.last_ms)) / 1000.0;
  b.tokens = std::min(burst_, b.tokens + elapsed_s * per_second_);
  b.last_ms = now_ms;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

ReplayWindow::ReplayWindow(size_t max_entries, int64_t window_ms)
    : max_entries_(max_entries), window_ms_(window_ms) {}

bool ReplayWindow::FirstSeen(const Nonce& nonce, int64_t now_ms) {
  while (!order_.empty() &&
         (order_.front().first < now_ms - window_ms_ || order_.size() >= max_entries_)) {
    seen_.erase(order_.front().second);
    order_.pop_front();
  }
  if (!seen_.insert(nonce).second) return false;
  order_.emplace_back(now_ms, nonce);
  return true;
}

}  // namespace accord::discovery
