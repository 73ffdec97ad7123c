// A private D-Bus session bus for one test: `dbus-daemon --session --nofork --print-address`
// in a directory of the test's own, stopped (by its PID) when the fixture goes. Every wait is
// bounded.
#ifndef ACCORD_TESTS_INTEGRATION_PRIVATE_SESSION_BUS_H_
#define ACCORD_TESTS_INTEGRATION_PRIVATE_SESSION_BUS_H_

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace accord::testing {

class PrivateSessionBus {
 public:
  // Starts the bus with its socket in `dir`; address() is empty if it did not start.
  explicit PrivateSessionBus(const std::filesystem::path& dir);
  ~PrivateSessionBus();  // SIGTERM, then SIGKILL if it does not exit in time
  PrivateSessionBus(const PrivateSessionBus&) = delete;
  PrivateSessionBus& operator=(const PrivateSessionBus&) = delete;

  // For DBUS_SESSION_BUS_ADDRESS, e.g. "unix:path=/tmp/.../dbus-XXXX,guid=...".
  const std::string& address() const { return address_; }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_PRIVATE_SESSION_BUS_H_
