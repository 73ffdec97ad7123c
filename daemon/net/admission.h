// Who may start a handshake with this daemon (SECURITY §4.3 resource limits): at most a fixed
// number of inbound handshakes in flight, and a token bucket per peer key so one device (or
// a thief of its key file) cannot make the daemon run handshakes in a loop. Pure: the clock
// comes in as an argument. Daemon thread only.
#ifndef ACCORD_DAEMON_NET_ADMISSION_H_
#define ACCORD_DAEMON_NET_ADMISSION_H_

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

namespace accord::daemon {

constexpr int kMaxInboundHandshakes = 8;  // in flight at once, over all peers

// Slots for inbound handshakes. A taken slot is a token that frees itself when dropped, so
// every way a handshake can end gives its slot back.
class HandshakeSlots {
 public:
  explicit HandshakeSlots(int capacity = kMaxInboundHandshakes)
      : state_(std::make_shared<State>(State{capacity, 0})) {}

  // A slot, or null when all are taken (the caller closes the connection at once).
  std::shared_ptr<void> TryTake() {
    if (state_->in_use >= state_->capacity) return nullptr;
    ++state_->in_use;
    // Points at the shared state (never null, so callers can test it) and owns a reference.
    return std::shared_ptr<void>(state_.get(), [state = state_](void*) { --state->in_use; });
  }
  int in_use() const { return state_->in_use; }

 private:
  struct State {
    int capacity;
    int in_use;
  };
  std::shared_ptr<State> state_;  // shared with the tokens, which may outlive this object
};

// Per-key token buckets: `burst` handshakes at once, then one per `refill`.
template <typename Key>
class HandshakeRate {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kBurst = 8;                        // handshakes
  static constexpr std::chrono::milliseconds kRefill{2000};  // per token

  // True (and one token spent) if `key` may handshake at `now`.
  bool Allow(const Key& key, Clock::time_point now) {
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{kBurst, now});
    Bucket& b = it->second;
    if (!fresh) {
      const double earned =
          std::chrono::duration<double>(now - b.last) / std::chrono::duration<double>(kRefill);
      b.tokens = std::min(kBurst, b.tokens + std::max(0.0, earned));
      b.last = std::max(b.last, now);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  // Keys are pact devices only (checked before this is asked), so the map stays small.
  std::map<Key, Bucket> buckets_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_ADMISSION_H_
