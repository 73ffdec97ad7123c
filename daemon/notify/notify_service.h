// Desktop notifications for the daemon (SPEC §7): hears the Node's folded events and the
// clock of due reviews, chooses with the pure parts (happening, coalescer, review_watch,
// compose) and hands the words to the bus sender's thread. Daemon thread only; not for
// --notify none (main builds none then).
#ifndef ACCORD_DAEMON_NOTIFY_NOTIFY_SERVICE_H_
#define ACCORD_DAEMON_NOTIFY_NOTIFY_SERVICE_H_

#include <asio.hpp>
#include <memory>

#include "daemon/node/node.h"
#include "daemon/notify/bus_sender.h"
#include "daemon/notify/coalescer.h"
#include "daemon/notify/compose.h"
#include "daemon/notify/happening.h"
#include "daemon/notify/review_watch.h"

namespace accord::daemon {

class NotifyService {
 public:
  // Listens to `node` from now on: only entries folded after this (never the start-up
  // refold) and only live ones (notify::IsLive) are told. REQUIRES: mode != kNone; `io` and
  // `node` outlive this.
  NotifyService(asio::io_context& io, Node& node, notify::Mode mode);
  NotifyService(const NotifyService&) = delete;
  NotifyService& operator=(const NotifyService&) = delete;

 private:
  void OnEvent(const state::Event& event);
  void Show(notify::Happening happening);
  void CheckReviewsSoon();  // once per burst of changes
  void CheckReviews();

  asio::io_context& io_;
  Node& node_;
  notify::Mode mode_;
  notify::Coalescer coalescer_;
  notify::ReviewWatch reviews_;
  asio::system_timer review_timer_;
  bool review_check_posted_ = false;
  std::unique_ptr<notify::BusSender> sender_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NOTIFY_NOTIFY_SERVICE_H_
