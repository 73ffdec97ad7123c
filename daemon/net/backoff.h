// Reconnection delays: exponential with jitter, so two daemons that lost each other do not
// retry in lockstep. Pure; the randomness comes in as a number in [0, 1).
#ifndef ACCORD_DAEMON_NET_BACKOFF_H_
#define ACCORD_DAEMON_NET_BACKOFF_H_

#include <algorithm>
#include <chrono>

namespace accord::daemon {

class Backoff {
 public:
  static constexpr std::chrono::milliseconds kInitial{250};  // first retry delay
  static constexpr std::chrono::milliseconds kMax{30000};    // cap
  static constexpr double kJitter = 0.2;                     // +/- 20 %
  // A peer lost only recently (a partition, a restart, a new address) is likely back soon:
  // for this long after losing it, retries are at most kRecentMax apart.
  static constexpr std::chrono::minutes kRecentWindow{3};
  static constexpr std::chrono::milliseconds kRecentMax{4000};

  // The next delay; `unit_random` in [0, 1). `since_lost`: how long ago the peer was last
  // connected (or first known).
  std::chrono::milliseconds Next(double unit_random,
                                 std::chrono::milliseconds since_lost = kRecentWindow) {
    double base = static_cast<double>(current_.count());
    current_ = std::min(kMax, current_ * 2);
    if (since_lost < kRecentWindow) base = std::min(base, static_cast<double>(kRecentMax.count()));
    const double factor = 1.0 - kJitter + 2.0 * kJitter * unit_random;
    return std::chrono::milliseconds(static_cast<int64_t>(base * factor));
  }
  void Reset() { current_ = kInitial; }

 private:
  std::chrono::milliseconds current_ = kInitial;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_BACKOFF_H_
