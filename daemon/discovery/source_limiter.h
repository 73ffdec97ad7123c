// What keeps a beacon flood cheap: a token bucket per sender address (a bounded table), and
// a window of nonces already heard (a replayed beacon is dropped before any decryption).
// Pure: time comes in as milliseconds of a steady clock. One thread.
#ifndef ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_
#define ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>

namespace accord::discovery {

constexpr double kBeaconsPerSecond = 4;              // per source, sustained
constexpr double kBeaconBurst = 8;                   // per source, at once
constexpr size_t kMaxBeaconSources = 256;            // sources tracked; the least recent is dropped
constexpr size_t kMaxRememberedNonces = 4096;        // nonces; the oldest is dropped
constexpr int64_t kReplayWindowMs = 22 * 60 * 1000;  // ms: beyond ±10 min a beacon is stale

class SourceLimiter {
 public:
  SourceLimiter(double per_second, double burst, size_t max_sources);
  // Takes a token from `source`'s bucket; false if it is empty. A new source starts full.
  bool Allow(const std::string& source, int64_t now_ms);
  size_t sources() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t last_ms = 0;
  };
  double per_second_;
  double burst_;
  size_t max_sources_;
  std::map<std::string, Bucket> buckets_;
};

class ReplayWindow {
 public:
  using Nonce = std::array<uint8_t, 24>;
  ReplayWindow(size_t max_entries, int64_t window_ms);
  // True the first time `nonce` is offered within the window (and remembers it).
  bool FirstSeen(const Nonce& nonce, int64_t now_ms);
  size_t size() const { return seen_.size(); }

 private:
  size_t max_entries_;
  int64_t window_ms_;
  std::set<Nonce> seen_;
  std::deque<std::pair<int64_t, Nonce>> order_;  // oldest first
};

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_
