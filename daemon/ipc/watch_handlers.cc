// `accord watch` (SPEC §6): the listeners that turn what the node and the peers report into
// the event stream, and the fan-out to every watching client. The rest of Handlers is in
// handlers.cc.
#include "daemon/ipc/handlers.h"

#include <algorithm>

#include "daemon/ipc/event_summary.h"
#include "daemon/net/peer_manager.h"

namespace accord::daemon {

// What `watch` streams: every folded entry, integrity notices, peers coming and going, and a
// large catch-up's progress lines (CatchUpLines).
void Handlers::ListenForWatchers() {
  node_.AddEventListener([this](const state::Event& e) { OnEvent(e); });
  if (peers_) {
    peers_->AddPeerListener([this](const proto::PeerEvent& p) {
      if (p.state() != proto::PEER_STATE_CONNECTED) catch_up_.OnDisconnected(p.device_key());
      proto::Response out;
      proto::Event* e = out.mutable_event();
      e->set_time_ms(node_.NowMs());
      *e->mutable_peer() = p;
      e->set_summary(p.name() + "'s device " + p.device_key().substr(0, 8) +
                     (p.state() == proto::PEER_STATE_CONNECTED ? " connected" : " disconnected") +
                     (p.address().empty() ? "" : " (" + p.address() + ")") +
                     (p.reason().empty() ? "" : ": " + p.reason()));
      SendToWatchers(out);
    });
    peers_->AddProgressListener([this](const proto::SyncProgress& p) {
      std::optional<proto::Event> line = catch_up_.OnProgress(p, node_.NowMs());
      if (!line) return;
      proto::Response out;
      *out.mutable_event() = std::move(*line);
      SendToWatchers(out);
    });
  }
  node_.AddChangeListener([this](const Node::ChangeNotice& n) {
    if (n.kind == Node::ChangeNotice::Kind::kIntegrity) OnIntegrity(n.integrity);
  });
}

void Handlers::OnEvent(const state::Event& event) {
  // A large catch-up is shown by its progress lines; this device's own writes always show.
  if (catch_up_.quiet() && event.author != node_.device_key()) return;
  proto::Response out;
  *out.mutable_event() = SummarizeEvent(event, node_.Members());
  SendToWatchers(out);
}

void Handlers::OnIntegrity(const Node::IntegrityNotice& notice) {
  proto::Response out;
  *out.mutable_event() = SummarizeIntegrity(notice, node_.NowMs());
  SendToWatchers(out);
}

void Handlers::SendToWatchers(const proto::Response& out) {
  watchers_.erase(std::remove_if(watchers_.begin(), watchers_.end(),
                                 [](const std::weak_ptr<IpcSession>& w) {
                                   auto s = w.lock();
                                   return !s || !s->is_open();
                                 }),
                  watchers_.end());
  for (const auto& w : watchers_)
    if (auto s = w.lock()) s->Send(out);
}

}  // namespace accord::daemon
