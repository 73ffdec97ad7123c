#include "daemon/net/invitations.h"

#include <algorithm>
#include <optional>

#include "daemon/logging.h"
#include "daemon/net/address.h"
#include "daemon/net/pairing_link.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/safety_number.h"

namespace accord::daemon {

namespace {

// Another device of my own member: the same person, so no history rule applies, only the
// number of devices a record can list.
Status MayAddOwnDevice(Node& node) {
  const state::Member* mine = node.Live().FindMember(node.member());
  if (mine->left) return MakeError(ErrorCode::kRefused, "you have left this pact");
  size_t devices = 0;
  for (const state::Device& d : mine->devices) devices += d.removed ? 0 : 1;
  if (devices >= pairing::kMaxMemberDevices) {
    return MakeError(ErrorCode::kRefused, "you already have " + std::to_string(devices) +
                                              " devices, the most one person can have");
  }
  return Status::Ok();
}

// Whether this device may let someone in now, judged from the pact's signed membership as
// folded here (never from a count taken earlier): asked when the invitation opens and again
// when the joiner arrives.
Status MayLetSomeoneIn(Node& node, bool device) {
  if (node.Live().FindMember(node.member()) == nullptr) {
    // A joiner before its first sync holds none of the pact's entries, not even the one
    // that made it a member: it cannot know who is in the pact.
    return MakeError(ErrorCode::kRefused,
                     "this device has not received the pact's membership yet; wait until it "
                     "has synced with your partner (accord peers), then invite");
  }
  if (device) return MayAddOwnDevice(node);
  return Status::Ok();
}

// What a new person will read (SPEC §6): a pact of one shares its member's history with
// the partner it pairs with; a pact of two or more starts a newcomer at a new epoch, unless
// its inviter gave --share-history.
pairing::HistoryShare HistoryFor(Node& node, bool device, bool share_history) {
  if (device) return pairing::HistoryShare::kWhole;
  size_t current = 0;
  for (const state::Member& m : node.Live().members) current += m.left ? 0 : 1;
  if (current < 2) return pairing::HistoryShare::kWhole;
  return share_history ? pairing::HistoryShare::kShared : pairing::HistoryShare::kNone;
}

std::string ConsentQuestion(const std::string& joiner, bool device, pairing::HistoryShare history) {
  if (device) return joiner + " typed your code. Add it as another device of yours?";
  switch (history) {
    case pairing::HistoryShare::kNone:
      return joiner +
             " typed your code. Let them join? They will see what is written from now on, "
             "not what the pact wrote before.";
    case pairing::HistoryShare::kShared:
      return joiner +
             " typed your code. Let them join? With --share-history they will see everything "
             "the pact has written so far.";
    case pairing::HistoryShare::kWhole:
      break;
  }
  return joiner + " typed your code. Let them join?";
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

// A newcomer's start (Node::StartNewcomerEpoch): the new epoch's key and the restated
// control entries, in a bundle the caller completes.
Result<pairing::PactBundle> NewcomerBundle(Node& node) {
  Result<Node::NewcomerStart> start = node.StartNewcomerEpoch();
  if (!start.ok()) return start.error();
  pairing::PactBundle bundle;
  bundle.pact = node.pact();
  bundle.epoch_keys.emplace_back(start->epoch, std::move(start->key));
  size_t bytes = 0;
  for (Node::RestatedBody& r : start->restated) {
    bytes += r.body.size();
    bundle.restated.push_back({r.id, r.author, std::move(r.body)});
  }
  if (bundle.restated.size() > pairing::kMaxRestatedEntries || bytes > pairing::kMaxRestatedBytes) {
    return MakeError(ErrorCode::kRefused,
                     "this pact's membership history (" + std::to_string(bundle.restated.size()) +
                         " entries) is too long to hand to a newcomer without its history; "
                         "invite them with --share-history, or ask for this limit to be lifted");
  }
  return bundle;
}

}  // namespace

struct Invitations::Invitation {
  explicit Invitation(asio::io_context& io) : consent_signal(io), expiry(io) {}

  pairing::PairingCode code;
  int64_t expires_ms = 0;
  bool no_wait = false;
  bool share_history = false;         // asked for: checked again when the joiner arrives
  bool device = false;                // adds another device of my member (invite --device)
  InviteNotify notify;                // the waiting `accord invite`, if any
  bool in_use = false;                // one PairHello per code
  std::optional<bool> consent;        // the human's answer
  asio::steady_timer consent_signal;  // cancelled when `consent` is set
  asio::steady_timer expiry;
};

Invitations::Invitations(asio::io_context& io, Node& node, AddressBook& book, Discovery& discovery)
    : io_(io), node_(node), book_(book), discovery_(discovery) {}

Invitations::~Invitations() { *alive_ = false; }

Result<proto::InviteUpdate> Invitations::Open(bool no_wait, std::chrono::seconds timeout,
                                              bool share_history, bool device,
                                              InviteNotify notify) {
  ACCORD_RETURN_IF_ERROR(MayLetSomeoneIn(node_, device));
  if (!listening_) {
    return MakeError(ErrorCode::kRefused,
                     "this daemon does not listen for peers; restart it with --listen HOST:PORT");
  }
  if (invitation_) End(proto::INVITE_STATE_EXPIRED, "replaced by a new invitation");
  invitation_ = std::make_unique<Invitation>(io_);
  // A nameplate no other invitation on this LAN is using, so that the joiner finds this one.
  invitation_->code = discovery_.enabled() ? pairing::GenerateCode(discovery_.FreeNameplate())
                                           : pairing::GenerateCode();
  discovery_.OpenPairing(invitation_->code.nameplate);
  invitation_->no_wait = no_wait;
  invitation_->share_history = share_history;
  invitation_->device = device;
  invitation_->notify = std::move(notify);
  if (timeout.count() <= 0) timeout = kDefaultInviteTimeout;
  invitation_->expires_ms = node_.NowMs() + timeout.count() * 1000;
  invitation_->expiry.expires_after(timeout);
  Invitation* raw = invitation_.get();
  invitation_->expiry.async_wait([this, raw, alive = alive_](std::error_code ec) {
    if (ec || !*alive || invitation_.get() != raw || raw->in_use) return;
    End(proto::INVITE_STATE_EXPIRED, "the code expired; make a new one with accord invite");
  });
  proto::InviteUpdate update;
  update.set_code(invitation_->code.text);
  update.set_state(proto::INVITE_STATE_OPEN);
  update.set_expires_ms(invitation_->expires_ms);
  std::string reads;
  switch (HistoryFor(node_, device, share_history)) {
    case pairing::HistoryShare::kNone:
      reads = "; they will see what is written from now on, not the pact's earlier entries";
      break;
    case pairing::HistoryShare::kShared:
      reads = "; with --share-history they will see everything the pact has written";
      break;
    case pairing::HistoryShare::kWhole:
      break;
  }
  update.set_message(std::string(device ? "type this code on your other device with accord join"
                                        : "give this code to your partner") +
                     "; it works once, for " + std::to_string(timeout.count() / 60) + " minutes" +
                     reads);
  return update;
}

void Invitations::Notify(proto::InviteUpdate update) {
  if (!invitation_ || !invitation_->notify) return;
  update.set_code(invitation_->code.text);
  update.set_expires_ms(invitation_->expires_ms);
  invitation_->notify(update);
}

void Invitations::End(proto::InviteState state, const std::string& message) {
  if (!invitation_) return;
  proto::InviteUpdate update;
  update.set_state(state);
  update.set_message(message);
  Notify(update);
  discovery_.ClosePairing();
  std::error_code ignored;
  invitation_->expiry.cancel();
  invitation_->consent_signal.cancel();
  invitation_.reset();
}

Status Invitations::Consent(bool accept) {
  if (!invitation_ || !invitation_->in_use) {
    return MakeError(ErrorCode::kNotFound, "no partner is waiting for your answer");
  }
  invitation_->consent = accept;
  invitation_->consent_signal.cancel();
  return Status::Ok();
}

void Invitations::Detach() {
  if (invitation_) invitation_->notify = nullptr;
  if (invitation_ && invitation_->in_use && !invitation_->consent && !invitation_->no_wait) {
    Consent(false).ok();  // nobody is left to say yes
  }
}

asio::awaitable<void> Invitations::Serve(std::shared_ptr<FramedSocket> socket) {
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
  if (const state::Member* me = node_.Live().FindMember(node_.member())) {
    for (const state::Device& d : me->devices)
      if (!d.removed) my_devices.push_back(d.key);
  }
  const pairing::InviteKind kind =
      inv->device ? pairing::InviteKind::kDevice : pairing::InviteKind::kPerson;
  const pairing::HistoryShare history = HistoryFor(node_, inv->device, inv->share_history);
  pairing::PairingInviter machine(inv->code, node_.identity(), MyName(node_), my_devices, kind,
                                  history);
  uint64_t newcomer_epoch = 0;  // kNone: the epoch the newcomer starts at
  // Until the joiner's CPace M1 nothing is guessed: a connection that ends or fails before it
  // (anyone can open one to this port) leaves the code open for the real joiner.
  auto release_unguessed = [&] {
    if (machine.burned()) return false;
    inv->in_use = false;
    if (node_.NowMs() > inv->expires_ms) {
      End(proto::INVITE_STATE_EXPIRED, "the code expired; make a new one with accord invite");
    }
    return true;
  };
  Bytes message;
  bool consent_asked = false;
  bool first = true;
  while (true) {
    // The joiner sends its hello with the connection's first byte: no reason to wait long.
    // The joiner acknowledges the bundle once its human said yes to what the code does.
    socket->ArmDeadline(first                    ? kFirstByteTimeout
                        : machine.awaiting_ack() ? kConsentTimeout + kPairingStepTimeout
                                                 : kPairingStepTimeout);
    first = false;
    if (!co_await socket->ReadFrame(message, 1) || !*alive || invitation_.get() != inv) {
      if (*alive && invitation_.get() == inv) {
        machine.ConnectionEnded();
        if (release_unguessed()) {
          LogInfo("pairing: a connection ended before trying the code; the code stays open");
          co_return;
        }
        End(proto::INVITE_STATE_FAILED,
            machine.burned() ? "someone tried a wrong code; make a new one with accord invite"
                             : "the pairing connection ended early; make a new code");
      }
      co_return;
    }
    Result<std::vector<Bytes>> out = machine.OnMessage(message);
    if (!out.ok()) {
      LogWarning("pairing: " + out.error().message);
      socket->Close();
      if (release_unguessed()) co_return;
      End(proto::INVITE_STATE_FAILED,
          machine.burned() ? "someone tried a wrong code; make a new one with accord invite"
                           : "the pairing failed: " + out.error().message);
      co_return;
    }
    SendAll(*socket, *out);
    if (machine.awaiting_consent() && !consent_asked) {
      consent_asked = true;
      // The membership may have changed since the code was made (a first sync, another
      // pairing): the rule holds for the pact as it is now.
      Status may = MayLetSomeoneIn(node_, inv->device);
      if (may.ok() && HistoryFor(node_, inv->device, inv->share_history) != history) {
        may = MakeError(ErrorCode::kRefused,
                        "the pact's membership changed while pairing, and with it what the "
                        "newcomer would read; make a new code with accord invite");
      }
      if (!may.ok()) {
        LogWarning("pairing: refused a joiner: " + may.error().message);
        SendAll(*socket, machine.Decline());
        socket->CloseAfterWrites();
        End(proto::INVITE_STATE_FAILED, may.error().message);
        co_return;
      }
      if (!inv->no_wait && inv->notify) {
        proto::InviteUpdate ask;
        ask.set_state(proto::INVITE_STATE_CONSENT);
        ask.set_partner_name(machine.joiner().name);
        ask.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
        ask.set_message(ConsentQuestion(machine.joiner().name, inv->device, history));
        Notify(ask);
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
        End(proto::INVITE_STATE_DECLINED, "you declined; nothing was shared");
        co_return;
      }
      pairing::PactBundle bundle;
      bundle.pact = node_.pact();
      if (history == pairing::HistoryShare::kNone) {
        Result<pairing::PactBundle> start = NewcomerBundle(node_);
        if (!start.ok()) {
          SendAll(*socket, machine.Decline());
          socket->CloseAfterWrites();
          End(proto::INVITE_STATE_FAILED, start.error().message);
          co_return;
        }
        bundle = std::move(*start);
        newcomer_epoch = bundle.epoch_keys.front().first;
      } else {
        bundle.epoch_keys = node_.EpochKeysForPartner();
      }
      bundle.inviter_member = node_.member();
      bundle.inviter_name = MyName(node_);
      bundle.devices = DevicesForJoiner(node_);
      bundle.kind = kind;
      // Only another device of the same person reads that person's private entries.
      if (kind == pairing::InviteKind::kDevice) {
        bundle.person_keys = node_.PersonKeysForOwnDevice();
        for (Node::RestatedBody& r : node_.RestatedForOwnDevice())
          bundle.restated.push_back({r.id, r.author, std::move(r.body)});
      }
      Result<std::vector<Bytes>> sent = machine.Consent(std::move(bundle));
      if (!sent.ok()) {
        socket->Close();
        End(proto::INVITE_STATE_FAILED, sent.error().message);
        co_return;
      }
      SendAll(*socket, *sent);
    }
    if (machine.done()) break;
  }
  socket->CloseAfterWrites();
  const pairing::DeviceRecord& joiner = machine.joiner();
  Result<log::EntryId> added =
      kind == pairing::InviteKind::kDevice
          ? node_.AddOwnDevice(joiner.signing, joiner.x25519, joiner.name)
          : node_.AddMember(joiner.signing, joiner.x25519, joiner.name, newcomer_epoch);
  if (!added.ok()) {
    End(proto::INVITE_STATE_FAILED, "could not record the new " +
                                        std::string(inv->device ? "device: " : "member: ") +
                                        added.error().message);
    co_return;
  }
  book_.Pin(joiner.signing, joiner.x25519);
  if (joiner.listen_port != 0 && !remote_ec) {
    // Both sides dial: after a restart on either side, the one that is up does not have to
    // wait for the other's backoff (or for a port a stranger is flooding).
    book_.Remember(
        DialTarget{joiner.signing, joiner.x25519,
                   EndpointString(asio::ip::tcp::endpoint(joiner_ip, joiner.listen_port))});
  }
  proto::InviteUpdate done;
  done.set_state(proto::INVITE_STATE_PAIRED);
  done.set_partner_name(joiner.name);
  done.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
  done.set_message((inv->device ? "added your device " : "paired with ") + joiner.name);
  Notify(done);
  discovery_.ClosePairing();
  invitation_->expiry.cancel();
  invitation_.reset();
  LogInfo(kind == pairing::InviteKind::kDevice ? "pairing: another device of ours joined the pact"
                                               : "pairing: a partner joined the pact");
}

}  // namespace accord::daemon
