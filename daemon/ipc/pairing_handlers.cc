// `accord invite` and `accord join` (SPEC §4, §6): the streams of a pairing under way, answered
// by PeerManager's invitations and joins. The rest of Handlers is in handlers.cc.
#include "daemon/ipc/handlers.h"

#include "base/text.h"
#include "daemon/net/peer_manager.h"
#include "daemon/pairing/code.h"

namespace accord::daemon {

void Handlers::Invite(const proto::InviteRequest& r, const std::shared_ptr<IpcSession>& session) {
  if (!peers_) return session->SendError(ErrorCode::kUnavailable, "networking is off");
  if (r.timeout_s() < 0 || r.timeout_s() > 24 * 3600) {
    return session->SendError(ErrorCode::kInvalidArgument, "--timeout must be at most 24h");
  }
  Invitations::InviteNotify notify;
  if (!r.no_wait()) {
    std::weak_ptr<IpcSession> weak = session;
    PeerManager* peers = peers_;
    notify = [weak, peers](const proto::InviteUpdate& update) {
      auto s = weak.lock();
      if (!s || !s->is_open()) {
        peers->invitations().Detach();
        return;
      }
      proto::Response out;
      *out.mutable_invite() = update;
      s->Send(out);
    };
  }
  Result<proto::InviteUpdate> opened = peers_->invitations().Open(
      r.no_wait(), std::chrono::seconds(r.timeout_s()), r.share_history(), r.device(), notify);
  if (!opened.ok()) return session->SendError(opened.code(), opened.error().message);
  proto::Response out;
  *out.mutable_invite() = *opened;
  for (const std::string& address : peers_->ListenAddresses())
    out.mutable_invite()->add_addresses(address);
  session->Send(out);
}

void Handlers::Join(const proto::JoinRequest& r, const std::shared_ptr<IpcSession>& session) {
  // What can be checked here is, before an identity is made for the join.
  if (!peers_) return session->SendError(ErrorCode::kUnavailable, "networking is off");
  if (Result<pairing::PairingCode> code = pairing::ParseCode(r.code()); !code.ok()) {
    return session->SendError(code.code(), code.error().message);
  }
  Joins::JoinAs as{r.name(), false, nullptr};
  if (!node_.has_identity()) {
    // A fresh machine: the identity is made here. A new person must say their name; for
    // another device of a member the name only names the device, and the host name will do
    // (the member's name comes from the pact).
    proto::InitRequest init;
    init.set_name(r.name());
    if (r.name().empty()) {
      std::string host = Hostname();
      init.set_name(CheckName(host).ok() ? host : "new device");
      as.name = init.name();
      as.person_needs_name = true;
    }
    Result<proto::Response> made = Init(init);
    if (!made.ok()) return session->SendError(made.code(), made.error().message);
  }
  std::weak_ptr<IpcSession> weak = session;
  if (r.ask()) {
    PeerManager* peers = peers_;
    as.ask = [weak, peers](const proto::JoinConsentUpdate& update) {
      auto s = weak.lock();
      if (!s || !s->is_open()) {
        peers->joins().Consent(false).ok();  // the client went away: nobody can say yes
        return;
      }
      proto::Response out;
      *out.mutable_join_consent() = update;
      s->Send(out);
    };
  }
  peers_->joins().Join(r.code(), r.peer(), std::move(as),
                       [weak](Result<proto::JoinResponse> result) {
                         auto s = weak.lock();
                         if (!s) return;
                         if (!result.ok())
                           return s->SendError(result.code(), result.error().message);
                         proto::Response out;
                         *out.mutable_join() = *result;
                         s->Send(out);
                       });
}

}  // namespace accord::daemon
