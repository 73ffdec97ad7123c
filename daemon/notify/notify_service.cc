#include "daemon/notify/notify_service.h"

#include <algorithm>
#include <chrono>

#include "daemon/logging.h"
#include "daemon/state/due.h"

namespace accord::daemon {

namespace {
constexpr int64_t kMaxReviewSleepMs = int64_t{30} * 24 * 3600 * 1000;  // ms: 30 days
}  // namespace

NotifyService::NotifyService(asio::io_context& io, Node& node, notify::Mode mode)
    : io_(io),
      node_(node),
      mode_(mode),
      reviews_(node.NowMs()),
      review_timer_(io),
      sender_(std::make_unique<notify::BusSender>([&io](std::string line) {
        // From the sender's thread: logged on the daemon thread, as every line is.
        asio::post(io, [line = std::move(line)] { LogInfo(line); });
      })) {
  node_.AddEventListener([this](const state::Event& e) { OnEvent(e); });
  node_.AddChangeListener([this](const Node::ChangeNotice& n) {
    if (n.kind == Node::ChangeNotice::Kind::kEntriesStored) CheckReviewsSoon();
  });
  CheckReviewsSoon();
}

void NotifyService::OnEvent(const state::Event& event) {
  // Told in the middle of a fold: only cheap questions here, the rest is posted.
  if (!node_.has_identity()) return;
  if (!notify::IsLive(event.time_ms, node_.NowMs())) return;
  std::optional<notify::Happening> h = notify::HappeningOf(event, node_.Members(), node_.member());
  if (!h) return;
  asio::post(io_, [this, h = std::move(*h)]() mutable { Show(std::move(h)); });
}

void NotifyService::Show(notify::Happening h) {
  if (mode_ == notify::Mode::kFull) notify::AddAgreementText(h, node_.Live());
  notify::Merged merged = coalescer_.Add(h, node_.NowMs());
  notify::Outgoing out{merged.group, merged.replaces, notify::Compose(h, merged.count, mode_)};
  LogDebug("desktop notification: " + out.text.summary);
  sender_->Send(std::move(out));
}

void NotifyService::CheckReviewsSoon() {
  if (review_check_posted_) return;
  review_check_posted_ = true;
  asio::post(io_, [this] {
    review_check_posted_ = false;
    CheckReviews();
  });
}

void NotifyService::CheckReviews() {
  if (!node_.has_identity()) return;
  const int64_t now_ms = node_.NowMs();
  notify::ReviewWatch::Step step =
      reviews_.Check(state::Due(node_.Live(), notify::kEveryReview), now_ms);
  for (const state::DueItem& item : step.became_due) Show(notify::ReviewDue(item));
  review_timer_.cancel();
  if (!step.next_ms) return;
  // Clamped, so the time converts without overflow; a later review is looked at again then.
  const int64_t wake_ms = std::min(*step.next_ms, now_ms + kMaxReviewSleepMs);
  review_timer_.expires_at(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds(wake_ms))));
  review_timer_.async_wait([this](std::error_code ec) {
    if (!ec) CheckReviews();
  });
}

}  // namespace accord::daemon
