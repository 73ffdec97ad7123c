// Who may start a handshake with this daemon (SECURITY §4.3 resource limits): a fixed number
// of inbound handshakes in flight, which a stranger can delay but never hold (the oldest
// unproven one makes room for a newcomer), and a token bucket per peer key so one device (or
// a thief of its key file) cannot make the daemon run handshakes in a loop. Pure: the clock
// comes in as an argument. Daemon thread only.
#ifndef ACCORD_DAEMON_NET_ADMISSION_H_
#define ACCORD_DAEMON_NET_ADMISSION_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>

namespace accord::daemon {

constexpr int kMaxInboundHandshakes = 8;  // in flight at once, over all sources
constexpr int kMaxUnprovenPerSource = 2;  // of those, not yet proven, from one source address
// Connections accepted that have not sent their first byte yet (each costs a descriptor and
// a timer, no handshake state): a wider pool, so that a storm of reconnecting silent
// connections cannot turn it over faster than a device's first bytes arrive.
constexpr int kMaxAwaitingFirstByte = 64;
constexpr int kMaxAwaitingFirstBytePerSource = 16;

// Slots for inbound handshakes. A taken slot is a token that frees itself when dropped, so
// every way a handshake can end gives its slot back. A slot is "unproven" until its
// connection showed a first handshake message from a device of the pact; anyone can open
// unproven ones, so they never block a newcomer: when a source already holds its share, or
// all slots are taken, the oldest unproven slot (of that source first; silent before
// speaking) is evicted (its OnEvict runs, which closes that connection). Only proven
// handshakes can fill the slots. PeerManager keeps two: connections before their first byte,
// and sync handshakes.
class HandshakeSlots {
 private:
  struct Entry;
  struct State;

 public:
  class Slot {
   public:
    ~Slot() { Release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

    // The connection sent a valid first handshake message of a pact device: never evicted.
    void MarkProven() {
      if (Entry* e = Find()) e->proven = true;
    }
    // What closes this connection if it is evicted (replaces any earlier callback).
    void OnEvict(std::function<void()> evict) {
      if (Entry* e = Find()) e->evict = std::move(evict);
    }
    // Whether the connection has bytes waiting that the daemon has not read yet. One that
    // is speaking (a device whose first message is on its way in) goes after the silent
    // ones, so a fast-reconnecting flood cannot evict it before its message is read.
    void OnSpeakingProbe(std::function<bool()> speaking) {
      if (Entry* e = Find()) e->speaking = std::move(speaking);
    }
    // The connection sent more than its type byte at once, as a device's first message
    // does: from now on it counts as speaking (until proven, or closed by its deadline).
    void MarkSpeaking() {
      if (Entry* e = Find()) e->spoke = true;
    }
    // False once evicted (or released).
    bool held() const { return const_cast<Slot*>(this)->Find() != nullptr; }

   private:
    friend class HandshakeSlots;
    Slot(std::shared_ptr<State> state, uint64_t id) : state_(std::move(state)), id_(id) {}
    Entry* Find();
    void Release();

    std::shared_ptr<State> state_;
    uint64_t id_;
  };

  explicit HandshakeSlots(int capacity = kMaxInboundHandshakes,
                          int unproven_per_source = kMaxUnprovenPerSource)
      : state_(std::make_shared<State>()) {
    state_->capacity = capacity;
    state_->per_source = unproven_per_source;
  }

  // A slot for a connection from `source` (its address), evicting an unproven one to make
  // room if needed; null only when every slot is held by a proven handshake (the caller
  // closes the connection at once).
  std::shared_ptr<Slot> TryTake(const std::string& source) {
    State& s = *state_;
    if (s.per_source > 0 && Count(source, /*unproven_only=*/true) >= s.per_source) {
      EvictOldestUnproven(&source);
    }
    if (static_cast<int>(s.entries.size()) >= s.capacity) EvictOldestUnproven(nullptr);
    if (static_cast<int>(s.entries.size()) >= s.capacity) return nullptr;
    const uint64_t id = ++s.next_id;
    s.entries.push_back(Entry{id, source, false, false, nullptr, nullptr});
    return std::shared_ptr<Slot>(new Slot(state_, id));
  }
  int in_use() const { return static_cast<int>(state_->entries.size()); }
  int in_use_by(const std::string& source) const { return Count(source, false); }

 private:
  struct Entry {
    uint64_t id;
    std::string source;
    bool proven;
    bool spoke;
    std::function<void()> evict;
    std::function<bool()> speaking;
  };
  struct State {
    int capacity = 0;
    int per_source = 0;
    uint64_t next_id = 0;
    std::list<Entry> entries;  // oldest first
  };

  int Count(const std::string& source, bool unproven_only) const {
    return static_cast<int>(std::count_if(
        state_->entries.begin(), state_->entries.end(),
        [&](const Entry& e) { return e.source == source && (!unproven_only || !e.proven); }));
  }
  // Of `source` if given, else of anyone; silent ones first. The entry goes before its
  // callback runs, so the callback may drop the token (or close a connection that drops it).
  void EvictOldestUnproven(const std::string* source) {
    auto& entries = state_->entries;
    for (const bool spare_speaking : {true, false}) {
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->proven || (source && it->source != *source)) continue;
        if (spare_speaking && (it->spoke || (it->speaking && it->speaking()))) continue;
        std::function<void()> evict = std::move(it->evict);
        entries.erase(it);
        if (evict) evict();
        return;
      }
    }
  }

  std::shared_ptr<State> state_;  // shared with the tokens, which may outlive this object
};

inline HandshakeSlots::Entry* HandshakeSlots::Slot::Find() {
  for (Entry& e : state_->entries)
    if (e.id == id_) return &e;
  return nullptr;
}

inline void HandshakeSlots::Slot::Release() {
  auto& entries = state_->entries;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->id == id_) {
      entries.erase(it);
      return;
    }
  }
}

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
