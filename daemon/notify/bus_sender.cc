#include "daemon/notify/bus_sender.h"

#include <systemd/sd-bus.h>
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

namespace accord::notify {

namespace {

constexpr const char* kService = "org.freedesktop.Notifications";
constexpr const char* kPath = "/org/freedesktop/Notifications";
constexpr const char* kInterface = "org.freedesktop.Notifications";
constexpr uint64_t kPollSliceUs = 100 * 1000;  // µs between looks at the stop flag

int64_t MonotonicMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

std::string Describe(int negative_errno, const sd_bus_error* error) {
  if (error != nullptr && sd_bus_error_is_set(error)) {
    return std::string(error->name) + (error->message ? std::string(": ") + error->message : "");
  }
  return std::strerror(-negative_errno);
}

// One connection to the session bus, used by the sender's thread alone.
class Connection {
 public:
  ~Connection() { sd_bus_flush_close_unref(bus_); }

  // Connects and waits (bounded, and no longer than `stop` allows) until the bus said Hello.
  // On failure, a description of what went wrong.
  std::optional<std::string> Open(const std::atomic<bool>& stop) {
    int r = sd_bus_open_user(&bus_);
    if (r < 0) {
      bus_ = nullptr;
      return Describe(r, nullptr);
    }
    const int64_t deadline = MonotonicMs() + static_cast<int64_t>(kBusConnectTimeoutUs / 1000);
    while (!stop && MonotonicMs() < deadline) {
      r = sd_bus_is_ready(bus_);
      if (r > 0) return std::nullopt;
      if (r < 0) break;
      r = sd_bus_process(bus_, nullptr);
      if (r < 0) break;
      if (r == 0) sd_bus_wait(bus_, kPollSliceUs);
    }
    std::string why = r < 0 ? Describe(r, nullptr) : "timed out";
    Close();
    return why;
  }

  bool open() const { return bus_ != nullptr && sd_bus_is_open(bus_) > 0; }
  void Close() {
    bus_ = sd_bus_flush_close_unref(bus_);
    markup_.reset();
    ids_.clear();
  }

  // Notify for `n`, replacing the group's notification on screen when it has one. On
  // failure, a description of what went wrong.
  std::optional<std::string> Notify(const Outgoing& n) {
    const bool markup = BodyIsMarkup();
    uint32_t replaces_id = 0;
    if (n.replaces) {
      if (auto it = ids_.find(n.group); it != ids_.end()) replaces_id = it->second;
    }
    sd_bus_message* call = nullptr;
    int r = sd_bus_message_new_method_call(bus_, &call, kService, kPath, kInterface, "Notify");
    const std::string body = markup ? EscapeMarkup(n.text.body) : n.text.body;
    // app_name, replaces_id, app_icon, summary, body, actions (none), hints, expire (default)
    if (r >= 0)
      r = sd_bus_message_append(call, "susssasa{sv}i", "accord", replaces_id, "",
                                n.text.summary.c_str(), body.c_str(), 0, 2, "urgency", "y",
                                uint8_t{1}, "category", "s", "im.received", int32_t{-1});
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    if (r >= 0) r = sd_bus_call(bus_, call, kBusCallTimeoutUs, &error, &reply);
    uint32_t id = 0;
    if (r >= 0) r = sd_bus_message_read(reply, "u", &id);
    std::optional<std::string> failure;
    if (r < 0) failure = Describe(r, &error);
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
    sd_bus_message_unref(call);
    if (failure) return failure;
    Remember(n.group, id);
    return std::nullopt;
  }

 private:
  // Whether the server reads bodies as markup (GetCapabilities, asked once per connection);
  // when it cannot be told, the body is escaped anyway: a stray "&amp;" beats a partner's
  // text turning into markup.
  bool BodyIsMarkup() {
    if (markup_) return *markup_;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* call = nullptr;
    sd_bus_message* reply = nullptr;
    char** caps = nullptr;
    int r =
        sd_bus_message_new_method_call(bus_, &call, kService, kPath, kInterface, "GetCapabilities");
    if (r >= 0) r = sd_bus_call(bus_, call, kBusCallTimeoutUs, &error, &reply);
    if (r >= 0) r = sd_bus_message_read_strv(reply, &caps);
    bool markup = true;
    if (r >= 0) {
      markup = false;
      for (char** c = caps; c != nullptr && *c != nullptr; ++c) {
        if (std::strcmp(*c, "body-markup") == 0) markup = true;
        free(*c);
      }
      free(caps);
      markup_ = markup;
    }
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
    sd_bus_message_unref(call);
    return markup;
  }

  // The server's id of each recent group's notification, for replaces_id; as bounded as the
  // groups themselves.
  void Remember(uint64_t group, uint32_t id) {
    ids_[group] = id;
    while (ids_.size() > kMaxGroups) ids_.erase(ids_.begin());  // the oldest group
  }

  sd_bus* bus_ = nullptr;
  std::optional<bool> markup_;
  std::map<uint64_t, uint32_t> ids_;
};

}  // namespace

BusSender::BusSender(Report info) : info_(std::move(info)), thread_([this] { Run(); }) {}

BusSender::~BusSender() {
  stop_ = true;
  wake_.notify_all();
  thread_.join();
}

void BusSender::Send(Outgoing n) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    outbox_.Push(std::move(n));
  }
  wake_.notify_one();
}

void BusSender::Run() {
  Connection bus;
  std::optional<std::string> failed = bus.Open(stop_);
  if (failed) info_("no session bus (" + *failed + "): desktop notifications are off");
  int64_t last_attempt_ms = MonotonicMs();
  bool told_unanswered = false;
  while (!stop_) {
    std::optional<Outgoing> next;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stop_ || outbox_.size() > 0; });
      if (stop_) return;
      next = outbox_.Pop();
    }
    if (!bus.open()) {
      // Once a minute at most, and silently: the info line at start said it all.
      if (MonotonicMs() - last_attempt_ms < kBusRetryMs) continue;
      last_attempt_ms = MonotonicMs();
      bus.Close();
      if (bus.Open(stop_)) continue;
    }
    if (std::optional<std::string> unanswered = bus.Notify(*next); unanswered && !told_unanswered) {
      told_unanswered = true;
      info_("the session bus did not take a desktop notification (" + *unanswered +
            "); further failures are not logged");
    }
  }
}

}  // namespace accord::notify
