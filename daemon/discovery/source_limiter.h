// What keeps a beacon flood cheap: a token bucket per sender (a bounded table) and a window of
// nonces already heard, both asked before any trial decryption. Pure: time comes in as
// milliseconds of the caller's steady clock. One thread; the sockets are daemon/net's.
#ifndef ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_
#define ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace accord::discovery {

constexpr double kBeaconsPerSecond = 4;        // beacons per second per source, sustained
constexpr double kBeaconBurst = 8;             // beacons per source at once (a full bucket)
constexpr size_t kMaxBeaconSources = 256;      // sources tracked; the least recently seen goes
constexpr size_t kMaxRememberedNonces = 4096;  // nonces; the oldest goes first
// ms: a beacon is fresh for ±10 min of the receiver's clock, so its nonce is kept 20 min
// plus slack for the minute resolution of its time.
constexpr int64_t kReplayWindowMs = 22 * 60 * 1000;

class SourceLimiter {
 public:
  // REQUIRES: per_second > 0, burst >= 1, max_sources >= 1.
  SourceLimiter(double per_second, double burst, size_t max_sources);

  // Takes one token from `source`'s bucket (refilled at per_second since it was last asked,
  // up to burst); false if less than one was left. A new source starts with a full bucket;
  // when the table is full, the least recently seen source is forgotten to make room.
  bool Allow(const std::string& source, int64_t now_ms);

  size_t sources() const { return by_source_.size(); }

 private:
  struct Bucket {
    std::string source;
    double tokens = 0;
    int64_t last_ms = 0;
  };
  using Recency = std::list<Bucket>;  // most recently seen first

  double per_second_;
  double burst_;
  size_t max_sources_;
  Recency recency_;
  std::unordered_map<std::string, Recency::iterator> by_source_;
};

class ReplayWindow {
 public:
  using Nonce = std::array<uint8_t, 24>;

  // REQUIRES: max_entries >= 1, window_ms > 0.
  ReplayWindow(size_t max_entries, int64_t window_ms);

  // False if `nonce` was first seen less than window_ms before `now_ms` (and is still
  // remembered); otherwise remembers it as seen at `now_ms` and returns true. At most
  // max_entries nonces are kept: the oldest is dropped to make room.
  bool FirstSeen(const Nonce& nonce, int64_t now_ms);

  size_t size() const { return seen_.size(); }

 private:
  void DropExpired(int64_t now_ms);

  size_t max_entries_;
  int64_t window_ms_;
  std::set<Nonce> seen_;
  std::deque<std::pair<int64_t, Nonce>> order_;  // (first seen at, nonce), oldest first
};

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_SOURCE_LIMITER_H_
