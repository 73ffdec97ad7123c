// `accord devices` (SPEC §6): the devices of my own member, with their connection state.
#include "daemon/ipc/handlers.h"
#include "daemon/net/peer_manager.h"

namespace accord::daemon {

Result<proto::Response> Handlers::Devices() {
  const state::MemberId mine = node_.member();
  const state::Member* member = node_.Live().FindMember(mine);
  proto::Response out;
  proto::DevicesResponse* devices = out.mutable_devices();
  devices->set_member_id(ToHex(mine));
  devices->set_member_name(member ? member->name : "");
  std::map<std::string, proto::PeerView> peers;
  if (peers_) {
    for (proto::PeerView& p : peers_->Peers()) peers.emplace(p.device_key(), std::move(p));
  }
  const int64_t now = node_.NowMs();
  bool listed_self = false;
  for (const Node::OwnDevice& own : node_.OwnDevices()) {
    proto::DeviceView* v = devices->add_devices();
    v->set_device_key(ToHex(own.device.key));
    v->set_name(own.device.name);
    v->set_added_ms(own.added_ms);
    v->set_removed(own.device.removed);
    if (own.device.key == node_.device_key()) {
      listed_self = true;
      v->set_this_device(true);
      v->set_state(proto::PEER_STATE_CONNECTED);
      v->set_last_seen_ms(now);
      continue;
    }
    v->set_state(proto::PEER_STATE_OFFLINE);
    if (auto p = peers.find(v->device_key()); p != peers.end()) {
      v->set_state(p->second.state());
      v->set_last_seen_ms(p->second.last_seen_ms());
    }
  }
  if (!listed_self) {
    // A new device before the entry that added it has reached it: it is still one of mine.
    proto::DeviceView* v = devices->add_devices();
    v->set_device_key(ToHex(node_.device_key()));
    v->set_this_device(true);
    v->set_state(proto::PEER_STATE_CONNECTED);
    v->set_last_seen_ms(now);
  }
  return out;
}

}  // namespace accord::daemon
