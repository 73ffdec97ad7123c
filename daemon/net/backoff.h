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

  // The next delay; `unit_random` in [0, 1).
  std::chrono::milliseconds Next(double unit_random) {
    const double base = static_cast<double>(current_.count());
    current_ = std::min(kMax, current_ * 2);
    const double factor = 1.0 - kJitter + 2.0 * kJitter * unit_random;
    return std::chrono::milliseconds(static_cast<int64_t>(base * factor));
  }
  void Reset() { current_ = kInitial; }

 private:
  std::chrono::milliseconds current_ = kInitial;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_BACKOFF_H_
