// An in-memory stand-in for one encrypted connection: a FIFO queue of plaintext messages per
// direction (in order, like TCP under Noise), with byte counts. Test thread only.
// Dropping it loses whatever is still in flight, as a broken connection does.
#ifndef ACCORD_TESTS_DAEMON_SYNC_MEMORY_TRANSPORT_H_
#define ACCORD_TESTS_DAEMON_SYNC_MEMORY_TRANSPORT_H_

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "base/bytes.h"

namespace accord::sync::testing {

class MemoryTransport {
 public:
  // Side 0 and side 1; a message sent by one side is received by the other.
  void Send(int from, Bytes message) {
    bytes_sent_[from] += message.size();
    ++messages_sent_[from];
    queue_[1 - from].push_back(std::move(message));
  }
  bool HasPending(int to) const { return !queue_[to].empty(); }
  bool Quiet() const { return queue_[0].empty() && queue_[1].empty(); }
  std::optional<Bytes> Receive(int to) {
    if (queue_[to].empty()) return std::nullopt;
    Bytes out = std::move(queue_[to].front());
    queue_[to].pop_front();
    return out;
  }
  void Drop() {
    queue_[0].clear();
    queue_[1].clear();
  }

  uint64_t bytes_sent(int from) const { return bytes_sent_[from]; }
  uint64_t messages_sent(int from) const { return messages_sent_[from]; }

 private:
  std::array<std::deque<Bytes>, 2> queue_;  // queue_[i]: messages on their way to side i
  std::array<uint64_t, 2> bytes_sent_{};
  std::array<uint64_t, 2> messages_sent_{};
};

}  // namespace accord::sync::testing

#endif  // ACCORD_TESTS_DAEMON_SYNC_MEMORY_TRANSPORT_H_
