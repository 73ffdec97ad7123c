// PeerManager: pairing over TCP. The inviter serves one invitation (code, expiry, consent);
// the joiner dials the inviter's address. The protocol itself is daemon/pairing (pure).
#include <algorithm>

#include "daemon/logging.h"
#include "daemon/net/invitation.h"
#include "daemon/net/peer_manager.h"
#include "daemon/pairing/safety_number.h"
#include "daemon/peer/frames.h"

namespace accord::daemon {

namespace {

constexpr std::chrono::minutes kConsentTimeout{5};       // a human has this long to say yes
constexpr std::chrono::seconds kPairingStepTimeout{30};  // each machine step must arrive by then

void SendAll(FramedSocket& socket, const std::vector<Bytes>& messages) {
  for (const Bytes& m : messages) socket.Send(peer::EncodeFrame(m));
}

// Whether this device may let a new person in now, judged from the pact's signed membership
// as folded here (never from a count taken earlier): asked when the invitation opens and
// again when the joiner arrives.
Status MayLetSomeoneIn(Node& node, bool share_history) {
  if (node.State().FindMember(node.me()) == nullptr) {
    // A joiner before its first sync holds none of the pact's entries, not even the one
    // that made it a member: it cannot know who is in the pact.
    return MakeError(ErrorCode::kRefused,
                     "this device has not received the pact's membership yet; wait until it "
                     "has synced with your partner (accord peers), then invite");
  }
  size_t current = 0;
  for (const state::Member& m : node.State().members) current += m.left ? 0 : 1;
  if (current >= 2 && !share_history) {
    return MakeError(ErrorCode::kRefused,
                     "this pact already has " + std::to_string(current) +
                         " members; a new person would read everything written so far. Agree "
                         "on that together, then run accord invite --share-history");
  }
  return Status::Ok();
}

// The pact's other current devices for a joiner (not ours: it learns ours from our record).
std::vector<pairing::PactDevice> DevicesForJoiner(Node& node) {
  std::vector<pairing::PactDevice> out;
  for (const state::Device& d : node.PeerDevices()) out.push_back({d.key, d.x25519});
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.signing < b.signing; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.signing == b.signing; }),
            out.end());
  if (out.size() > pairing::kMaxPactDevices) out.resize(pairing::kMaxPactDevices);
  return out;
}

}  // namespace

std::string PeerManager::MyName() {
  const state::Member* me = node_.State().FindMember(node_.me());
  return me ? me->name : "partner";
}

Result<proto::InviteUpdate> PeerManager::OpenInvitation(bool no_wait, std::chrono::seconds timeout,
                                                        bool share_history, InviteNotify notify) {
  ACCORD_RETURN_IF_ERROR(MayLetSomeoneIn(node_, share_history));
  if (listen_address_.empty()) {
    return MakeError(ErrorCode::kRefused,
                     "this daemon does not listen for peers; restart it with --listen HOST:PORT");
  }
  if (invitation_) EndInvitation(proto::INVITE_STATE_EXPIRED, "replaced by a new invitation");
  invitation_ = std::make_unique<Invitation>(io_);
  invitation_->code = pairing::GenerateCode();
  invitation_->no_wait = no_wait;
  invitation_->share_history = share_history;
  invitation_->notify = std::move(notify);
  if (timeout.count() <= 0) timeout = kDefaultInviteTimeout;
  invitation_->expires_ms = node_.NowMs() + timeout.count() * 1000;
  invitation_->expiry.expires_after(timeout);
  Invitation* raw = invitation_.get();
  invitation_->expiry.async_wait([this, raw, alive = alive_](std::error_code ec) {
    if (ec || !*alive || invitation_.get() != raw || raw->in_use) return;
    EndInvitation(proto::INVITE_STATE_EXPIRED,
                  "the code expired; make a new one with accord invite");
  });
  proto::InviteUpdate update;
  update.set_code(invitation_->code.text);
  update.set_state(proto::INVITE_STATE_OPEN);
  update.set_expires_ms(invitation_->expires_ms);
  update.set_message("give this code to your partner; it works once, for " +
                     std::to_string(timeout.count() / 60) + " minutes");
  return update;
}

void PeerManager::NotifyInvitation(proto::InviteUpdate update) {
  if (!invitation_ || !invitation_->notify) return;
  update.set_code(invitation_->code.text);
  update.set_expires_ms(invitation_->expires_ms);
  invitation_->notify(update);
}

void PeerManager::EndInvitation(proto::InviteState state, const std::string& message) {
  if (!invitation_) return;
  proto::InviteUpdate update;
  update.set_state(state);
  update.set_message(message);
  NotifyInvitation(update);
  std::error_code ignored;
  invitation_->expiry.cancel();
  invitation_->consent_signal.cancel();
  invitation_.reset();
}

Status PeerManager::ConsentInvitation(bool accept) {
  if (!invitation_ || !invitation_->in_use) {
    return MakeError(ErrorCode::kNotFound, "no partner is waiting for your answer");
  }
  invitation_->consent = accept;
  invitation_->consent_signal.cancel();
  return Status::Ok();
}

void PeerManager::DetachInvitation() {
  if (invitation_) invitation_->notify = nullptr;
  if (invitation_ && invitation_->in_use && !invitation_->consent && !invitation_->no_wait) {
    ConsentInvitation(false).ok();  // nobody is left to say yes
  }
}

asio::awaitable<void> PeerManager::ServeInvitation(std::shared_ptr<FramedSocket> socket) {
  auto alive = alive_;
  if (!invitation_ || invitation_->in_use || node_.NowMs() > invitation_->expires_ms) {
    socket->Close();  // no open invitation: silence
    co_return;
  }
  Invitation* inv = invitation_.get();
  inv->in_use = true;
  std::error_code remote_ec;
  const asio::ip::address joiner_ip = socket->socket().remote_endpoint(remote_ec).address();
  std::vector<log::DeviceKey> my_devices;
  if (const state::Member* me = node_.State().FindMember(node_.me())) {
    for (const state::Device& d : me->devices) my_devices.push_back(d.key);
  }
  pairing::PairingInviter machine(inv->code, node_.identity(), MyName(), my_devices);
  // Until the joiner's CPace M1 nothing is guessed: a connection that ends or fails before it
  // (anyone can open one to this port) leaves the code open for the real joiner.
  auto release_unguessed = [&] {
    if (machine.burned()) return false;
    inv->in_use = false;
    if (node_.NowMs() > inv->expires_ms) {
      EndInvitation(proto::INVITE_STATE_EXPIRED,
                    "the code expired; make a new one with accord invite");
    }
    return true;
  };
  Bytes message;
  bool consent_asked = false;
  bool first = true;
  while (true) {
    // The joiner sends its hello with the connection's first byte: no reason to wait long.
    socket->ArmDeadline(first ? kFirstByteTimeout : kPairingStepTimeout);
    first = false;
    if (!co_await socket->ReadFrame(message, 1) || !*alive || invitation_.get() != inv) {
      if (*alive && invitation_.get() == inv) {
        machine.ConnectionEnded();
        if (release_unguessed()) {
          LogInfo("pairing: a connection ended before trying the code; the code stays open");
          co_return;
        }
        EndInvitation(proto::INVITE_STATE_FAILED,
                      machine.burned()
                          ? "someone tried a wrong code; make a new one with accord invite"
                          : "the pairing connection ended early; make a new code");
      }
      co_return;
    }
    Result<std::vector<Bytes>> out = machine.OnMessage(message);
    if (!out.ok()) {
      LogWarning("pairing: " + out.error().message);
      socket->Close();
      if (release_unguessed()) co_return;
      EndInvitation(proto::INVITE_STATE_FAILED,
                    machine.burned()
                        ? "someone tried a wrong code; make a new one with accord invite"
                        : "the pairing failed: " + out.error().message);
      co_return;
    }
    SendAll(*socket, *out);
    if (machine.awaiting_consent() && !consent_asked) {
      consent_asked = true;
      // The membership may have changed since the code was made (a first sync, another
      // pairing): the rule holds for the pact as it is now.
      if (Status may = MayLetSomeoneIn(node_, inv->share_history); !may.ok()) {
        LogWarning("pairing: refused a joiner: " + may.error().message);
        SendAll(*socket, machine.Decline());
        socket->CloseAfterWrites();
        EndInvitation(proto::INVITE_STATE_FAILED, may.error().message);
        co_return;
      }
      if (!inv->no_wait && inv->notify) {
        proto::InviteUpdate ask;
        ask.set_state(proto::INVITE_STATE_CONSENT);
        ask.set_partner_name(machine.joiner().name);
        ask.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
        ask.set_message(machine.joiner().name + " typed your code. Let them join?");
        NotifyInvitation(ask);
        socket->ArmDeadline(kConsentTimeout + std::chrono::seconds(5));
        inv->consent_signal.expires_after(kConsentTimeout);
        std::error_code ec;
        co_await inv->consent_signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!*alive || invitation_.get() != inv) co_return;
      } else {
        inv->consent = true;  // --no-wait: typing the code is the whole consent
      }
      if (!inv->consent.value_or(false)) {
        SendAll(*socket, machine.Decline());
        socket->CloseAfterWrites();
        EndInvitation(proto::INVITE_STATE_DECLINED, "you declined; nothing was shared");
        co_return;
      }
      pairing::PactBundle bundle;
      bundle.pact = node_.pact();
      bundle.epoch_keys = node_.EpochKeysForPartner();
      bundle.inviter_member = node_.me();
      bundle.inviter_name = MyName();
      bundle.devices = DevicesForJoiner(node_);
      Result<std::vector<Bytes>> sent = machine.Consent(std::move(bundle));
      if (!sent.ok()) {
        socket->Close();
        EndInvitation(proto::INVITE_STATE_FAILED, sent.error().message);
        co_return;
      }
      SendAll(*socket, *sent);
    }
    if (machine.done()) break;
  }
  socket->CloseAfterWrites();
  const pairing::DeviceRecord& joiner = machine.joiner();
  Result<log::EntryId> added = node_.AddMember(joiner.signing, joiner.x25519, joiner.name);
  if (!added.ok()) {
    EndInvitation(proto::INVITE_STATE_FAILED,
                  "could not record the new member: " + added.error().message);
    co_return;
  }
  pinned_[joiner.signing] = joiner.x25519;
  if (joiner.listen_port != 0 && !remote_ec) {
    // Both sides dial: after a restart on either side, the one that is up does not have to
    // wait for the other's backoff (or for a port a stranger is flooding).
    DialTarget target{joiner.signing, joiner.x25519,
                      EndpointString(asio::ip::tcp::endpoint(joiner_ip, joiner.listen_port))};
    AddTarget(target);
    Remember(target);
  }
  proto::InviteUpdate done;
  done.set_state(proto::INVITE_STATE_PAIRED);
  done.set_partner_name(joiner.name);
  done.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
  done.set_message("paired with " + joiner.name);
  NotifyInvitation(done);
  invitation_->expiry.cancel();
  invitation_.reset();
  LogInfo("pairing: a partner joined the pact");
}

void PeerManager::Join(const std::string& code, const std::string& address,
                       std::function<void(Result<proto::JoinResponse>)> done) {
  Result<pairing::PairingCode> parsed = pairing::ParseCode(code);
  if (!parsed.ok()) return done(parsed.error());
  Result<HostPort> hp = ParseHostPort(address);
  if (!hp.ok()) return done(hp.error());
  if (!node_.HasOnlyGenesis()) {
    return done(MakeError(ErrorCode::kRefused,
                          "this device already has entries of its own; invite your partner from "
                          "this device instead (accord invite)"));
  }
  asio::co_spawn(io_, RunJoin(*parsed, *hp, std::move(done)), [](std::exception_ptr e) {
    if (e) LogError("join ended by an unexpected exception");
  });
}

asio::awaitable<void> PeerManager::RunJoin(pairing::PairingCode code, HostPort address,
                                           std::function<void(Result<proto::JoinResponse>)> done) {
  auto alive = alive_;
  auto fail = [&](ErrorCode c, std::string m) { done(MakeError(c, std::move(m))); };
  Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io_, address);
  if (!endpoints.ok()) co_return fail(ErrorCode::kUnavailable, endpoints.error().message);
  asio::ip::tcp::socket raw(io_);
  std::error_code ec;
  co_await asio::async_connect(raw, *endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (!*alive) co_return;
  if (ec) {
    co_return fail(ErrorCode::kUnavailable,
                   "cannot reach the inviter at " + address.ToString() + ": " + ec.message());
  }
  auto socket = std::make_shared<FramedSocket>(std::move(raw));
  socket->Send(Bytes{kConnectionPairing});
  pairing::PairingJoiner machine(code, node_.identity(), MyName());
  if (acceptor_) {
    std::error_code port_ec;
    machine.AdvertiseListenPort(acceptor_->local_endpoint(port_ec).port());
  }
  SendAll(*socket, machine.Start());
  Bytes message;
  while (!machine.done()) {
    // The inviter may wait for a human's yes: allow for it after the handshake.
    socket->ArmDeadline(kConsentTimeout + kPairingStepTimeout);
    if (!co_await socket->ReadFrame(message, 1)) {
      if (!*alive) co_return;
      if (machine.declined())
        co_return fail(ErrorCode::kRefused, "your partner declined; nothing was shared");
      co_return fail(ErrorCode::kRefused,
                     "the inviter ended the pairing: a wrong or expired code, or they declined; "
                     "ask for a new code");
    }
    Result<std::vector<Bytes>> out = machine.OnMessage(message);
    if (!out.ok()) {
      socket->Close();
      co_return fail(ErrorCode::kRefused, machine.declined()
                                              ? "your partner declined; nothing was shared"
                                              : "pairing failed: " + out.error().message);
    }
    SendAll(*socket, *out);
  }
  socket->CloseAfterWrites();
  const pairing::PactBundle& bundle = machine.bundle();
  std::vector<std::pair<uint64_t, crypto::SecretKey>> keys;
  for (const auto& [epoch, key] : bundle.epoch_keys) keys.emplace_back(epoch, key.Clone());
  if (Status s = node_.JoinPact(bundle.pact, std::move(keys)); !s.ok()) {
    co_return done(s.error());
  }
  const pairing::DeviceRecord& inviter = machine.inviter();
  DialTarget target{inviter.signing, inviter.x25519, address.ToString()};
  pinned_[inviter.signing] = inviter.x25519;
  node_.TrustDevice(inviter.signing);
  AddTarget(target);
  Remember(target);
  // The pact's other devices, vouched for by the inviter over the paired channel: their
  // entries (relayed by the inviter) are accepted before our first sync tells us who they
  // are; remembered without an address so a restart keeps them.
  for (const pairing::PactDevice& d : bundle.devices) {
    if (d.signing == node_.device_key() || d.signing == inviter.signing) continue;
    pinned_[d.signing] = d.x25519;
    node_.TrustDevice(d.signing);
    Remember(DialTarget{d.signing, d.x25519, ""});
  }
  proto::JoinResponse response;
  response.set_partner_name(bundle.inviter_name);
  response.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
  response.set_pact_id(ToHex(bundle.pact));
  LogInfo("pairing: joined a pact");
  done(response);
}

}  // namespace accord::daemon
