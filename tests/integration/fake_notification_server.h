// A stand-in for the desktop's notification server on a test's private session bus: owns
// org.freedesktop.Notifications and records every Notify call (an sd-bus server on a thread
// of its own). With `hang`, it records calls and never answers them, as a hung server would.
#ifndef ACCORD_TESTS_INTEGRATION_FAKE_NOTIFICATION_SERVER_H_
#define ACCORD_TESTS_INTEGRATION_FAKE_NOTIFICATION_SERVER_H_

#include <systemd/sd-bus.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace accord::testing {

class FakeNotificationServer {
 public:
  struct Call {
    std::string app_name;
    uint32_t replaces_id = 0;
    std::string summary;
    std::string body;
    uint32_t id = 0;  // what it answered (0 when hanging)
  };

  // Connects to the bus at `address` and takes the name; ok() says whether that worked.
  explicit FakeNotificationServer(const std::string& address, bool hang = false);
  ~FakeNotificationServer();
  FakeNotificationServer(const FakeNotificationServer&) = delete;
  FakeNotificationServer& operator=(const FakeNotificationServer&) = delete;

  bool ok() const { return ok_; }
  std::vector<Call> Calls() const;

 private:
  static int OnNotify(sd_bus_message* m, void* self, sd_bus_error* error);
  static int OnGetCapabilities(sd_bus_message* m, void* self, sd_bus_error* error);
  void Serve();

  bool hang_;
  bool ok_ = false;
  sd_bus* bus_ = nullptr;
  mutable std::mutex mu_;
  std::vector<Call> calls_;                  // guarded by mu_
  std::vector<sd_bus_message*> unanswered_;  // kept while hanging; serving thread only
  uint32_t next_id_ = 0;                     // serving thread only
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_FAKE_NOTIFICATION_SERVER_H_
