// PeerManager's views for the client: peer devices with their state (status, peers), what
// `accord doctor` asks of the network side, and the peer events `watch` shows. The rest of
// PeerManager is in peer_manager.cc.
#include "daemon/net/peer_manager.h"

namespace accord::daemon {

std::string PeerManager::NameOf(const log::DeviceKey& device) {
  std::optional<state::MemberId> member = node_.MemberOf(device);
  for (const state::Member& m : node_.Members())
    if (member && m.id == *member) return m.name;
  return "partner (not yet synced)";
}

void PeerManager::TellPeerListeners(const SyncConnection& c, proto::PeerState state,
                                    std::string reason) {
  if (peer_listeners_.empty()) return;
  proto::PeerEvent event;
  event.set_device_key(ToHex(c.device()));
  event.set_name(NameOf(c.device()));
  event.set_state(state);
  event.set_address(c.initiator() ? c.target()->address : c.remote());
  event.set_reason(std::move(reason));
  for (const PeerListener& listener : peer_listeners_) listener(event);
}

void PeerManager::NoteReceiving(const SyncConnection& c, uint64_t received, uint64_t total) {
  if (progress_listeners_.empty()) return;
  proto::SyncProgress progress;
  progress.set_device_key(ToHex(c.device()));
  progress.set_name(NameOf(c.device()));
  progress.set_received(received);
  progress.set_total(total);
  for (const ProgressListener& listener : progress_listeners_) listener(progress);
}

PeerManager::Health PeerManager::health() const {
  return Health{last_inbound_lan_ms_, clock_skew_ms_, book_.remembered()};
}

std::vector<proto::PeerView> PeerManager::Peers() {
  std::map<log::DeviceKey, proto::PeerView> views;
  auto view_for = [&](const log::DeviceKey& device) -> proto::PeerView& {
    proto::PeerView& v = views[device];
    if (v.device_key().empty()) {
      v.set_device_key(ToHex(device));
      v.set_state(proto::PEER_STATE_OFFLINE);
      v.set_name(NameOf(device));
    }
    return v;
  };
  // The pact's other devices and a joiner being let in; a device removed, left or re-keyed
  // since is no peer any more, whatever the address book still remembers of it.
  for (const state::Device& d : node_.PeerDevices()) view_for(d.key);
  for (const auto& [device, x] : LivePins()) view_for(device);
  auto existing = [&](const log::DeviceKey& device) -> proto::PeerView* {
    auto it = views.find(device);
    return it == views.end() ? nullptr : &it->second;
  };
  // Learned since the dial loop last looked: shown as the loop will dial them.
  for (const DialTarget& target : book_.addresses())
    if (proto::PeerView* v = existing(target.device)) v->set_address(target.address);
  for (const auto& [key, target] : targets_) {
    proto::PeerView* v = existing(target.dial.device);
    if (v == nullptr) continue;
    v->set_address(target.dial.address);
    if (target.dialing && v->state() == proto::PEER_STATE_OFFLINE)
      v->set_state(proto::PEER_STATE_CONNECTING);
  }
  for (const auto& [device, seen_ms] : book_.LastSeen()) {
    if (proto::PeerView* v = existing(device)) v->set_last_seen_ms(seen_ms);
  }
  for (const auto& [device, c] : established_) {
    proto::PeerView& v = view_for(device);
    v.set_state(proto::PEER_STATE_CONNECTED);
    v.set_address(c->initiator() ? c->target()->address : c->remote());  // where it is now
    v.set_entries_behind(c->entries_behind());
    v.set_received(c->received());
    v.set_receiving_total(c->receiving_total());
    v.set_last_seen_ms(node_.NowMs());
  }
  std::vector<proto::PeerView> out;
  for (auto& [device, v] : views) out.push_back(std::move(v));
  return out;
}

}  // namespace accord::daemon
