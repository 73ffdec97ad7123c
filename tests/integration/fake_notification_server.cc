#include "tests/integration/fake_notification_server.h"

namespace accord::testing {

namespace {

constexpr const char* kPath = "/org/freedesktop/Notifications";
constexpr const char* kName = "org.freedesktop.Notifications";
constexpr uint64_t kWaitSliceUs = 50 * 1000;  // µs between looks at the stop flag

}  // namespace

int FakeNotificationServer::OnNotify(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* self = static_cast<FakeNotificationServer*>(userdata);
  const char* app = nullptr;
  uint32_t replaces = 0;
  const char* icon = nullptr;
  const char* summary = nullptr;
  const char* body = nullptr;
  int r = sd_bus_message_read(m, "susss", &app, &replaces, &icon, &summary, &body);
  if (r < 0) return r;
  r = sd_bus_message_skip(m, "asa{sv}i");
  if (r < 0) return r;
  Call call{app, replaces, summary, body, 0};
  if (self->hang_) {
    self->unanswered_.push_back(sd_bus_message_ref(m));  // never answered: the caller times out
  } else {
    call.id = replaces != 0 ? replaces : ++self->next_id_;
    r = sd_bus_reply_method_return(m, "u", call.id);
  }
  std::lock_guard<std::mutex> lock(self->mu_);
  self->calls_.push_back(std::move(call));
  return r;
}

int FakeNotificationServer::OnGetCapabilities(sd_bus_message* m, void*, sd_bus_error*) {
  return sd_bus_reply_method_return(m, "as", 2, "body", "body-markup");
}

FakeNotificationServer::FakeNotificationServer(const std::string& address, bool hang)
    : hang_(hang) {
  static const sd_bus_vtable kVtable[] = {
      SD_BUS_VTABLE_START(0),
      SD_BUS_METHOD("Notify", "susssasa{sv}i", "u", &FakeNotificationServer::OnNotify,
                    SD_BUS_VTABLE_UNPRIVILEGED),
      SD_BUS_METHOD("GetCapabilities", "", "as", &FakeNotificationServer::OnGetCapabilities,
                    SD_BUS_VTABLE_UNPRIVILEGED),
      SD_BUS_VTABLE_END,
  };
  if (sd_bus_new(&bus_) < 0) return;
  if (sd_bus_set_address(bus_, address.c_str()) < 0 || sd_bus_set_bus_client(bus_, 1) < 0 ||
      sd_bus_start(bus_) < 0 ||
      sd_bus_add_object_vtable(bus_, nullptr, kPath, kName, kVtable, this) < 0 ||
      sd_bus_request_name(bus_, kName, 0) < 0) {
    bus_ = sd_bus_flush_close_unref(bus_);
    return;
  }
  ok_ = true;
  thread_ = std::thread([this] { Serve(); });
}

FakeNotificationServer::~FakeNotificationServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (sd_bus_message* m : unanswered_) sd_bus_message_unref(m);
  sd_bus_flush_close_unref(bus_);
}

void FakeNotificationServer::Serve() {
  while (!stop_) {
    int r = sd_bus_process(bus_, nullptr);
    if (r < 0) return;
    if (r == 0) sd_bus_wait(bus_, kWaitSliceUs);
  }
}

std::vector<FakeNotificationServer::Call> FakeNotificationServer::Calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

}  // namespace accord::testing
