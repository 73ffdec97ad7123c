// `accord status` and `accord peers`: this device, its pact and its peers as the client shows
// them (SPEC §6). The rest of Handlers is in handlers.cc.
#include "daemon/ipc/handlers.h"

#include <algorithm>

#include "daemon/ipc/views.h"
#include "daemon/net/peer_manager.h"
#include "daemon/state/due.h"

namespace accord::daemon {

Result<proto::Response> Handlers::Status() {
  const state::Live& s = node_.Live();
  const int64_t now = node_.NowMs();
  ViewBuilder v(s, node_.member(), now);
  proto::Response out;
  auto* st = out.mutable_status();
  for (const state::Member& m : s.members) *st->add_members() = v.Member(m);
  if (peers_) {
    for (const std::string& address : peers_->ListenAddresses()) st->add_listen_addresses(address);
    if (st->listen_addresses_size() > 0) st->set_listen_address(st->listen_addresses(0));
    for (proto::PeerView& p : peers_->Peers()) *st->add_peers() = std::move(p);
  }
  for (const state::Agreement& a : s.agreements)
    if (v.WaitsForMe(a)) *st->add_waiting_for_me() = v.Agreement(a, false);
  const state::MemberId me = node_.member();
  for (const state::SpaceRequest& r : state::InSpaceNow(s, now)) {
    *st->add_in_space() = v.Space(r);
    const bool acked = std::any_of(r.acks.begin(), r.acks.end(),
                                   [&](const state::SpaceAck& a) { return a.by.member == me; });
    if (r.by.member != me && !acked) *st->add_to_acknowledge() = v.Space(r);
  }
  for (const state::DueItem& d : state::Due(s, now)) {
    auto* due = st->add_due();
    due->set_agreement_id(ToHex(d.agreement));
    const state::Agreement* a = s.FindAgreement(d.agreement);
    if (a && !a->versions.empty()) due->set_text(v.Agreement(*a, false).active().text());
    due->set_due_since_ms(d.due_ms);
  }
  for (const auto& [author, seq] : node_.Frozen()) {
    auto* f = st->add_forks();
    f->set_author(ToHex(author));
    f->set_seq(seq);
  }
  st->set_state_digest(ToHex(node_.Digest()));
  st->set_entries(node_.EntryCount());
  st->set_device_key(ToHex(node_.device_key()));
  for (const auto& [id, d] : node_.Damaged()) {
    proto::DamageView* view = st->add_damaged();
    view->set_id(ToHex(id));
    view->set_author(ToHex(d.author));
    view->set_seq(d.seq);
    view->set_damage(DamageView(d.damage));
  }
  st->set_repaired(node_.repaired_count());
  if (std::optional<Error> blocked = node_.WriteBlocked()) {
    st->set_writes_refused(blocked->message);
  } else if (std::optional<Error> left = node_.LeftError()) {
    st->set_writes_refused(left->message);
  }
  return out;
}

Result<proto::Response> Handlers::Peers() {
  proto::Response out;
  out.mutable_peers();
  if (peers_) {
    for (proto::PeerView& p : peers_->Peers()) *out.mutable_peers()->add_peers() = std::move(p);
  }
  return out;
}

}  // namespace accord::daemon
