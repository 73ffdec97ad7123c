// The wall clock, behind an interface so the pure parts never read it and tests can pin it.
// Any thread.
#ifndef ACCORD_DAEMON_NODE_CLOCK_H_
#define ACCORD_DAEMON_NODE_CLOCK_H_

#include <cstdint>

namespace accord::daemon {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;  // unix milliseconds
};

// The system clock (std::chrono::system_clock).
Clock& SystemClock();

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_CLOCK_H_
