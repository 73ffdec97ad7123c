#include "daemon/net/join.h"

#include "daemon/logging.h"
#include "daemon/net/pairing_link.h"
#include "daemon/pairing/pairing.h"
#include "daemon/pairing/safety_number.h"

namespace accord::daemon {

namespace {

// A newcomer's restated control entries, as the node keeps them.
std::vector<Node::RestatedBody> Restated(const pairing::PactBundle& bundle) {
  std::vector<Node::RestatedBody> out;
  for (const pairing::RestatedEntry& r : bundle.restated) out.push_back({r.id, r.author, r.body});
  return out;
}

}  // namespace

Joins::Joins(asio::io_context& io, Node& node, AddressBook& book, Discovery& discovery)
    : io_(io), node_(node), book_(book), discovery_(discovery) {}

Joins::~Joins() { *alive_ = false; }

void Joins::Join(const std::string& code, const std::string& address, JoinAs as, JoinDone done) {
  Result<pairing::PairingCode> parsed = pairing::ParseCode(code);
  if (!parsed.ok()) return done(parsed.error());
  // A prepared solo log is carried into the pact (node_prepared.cc); refuse what cannot be
  // before the code is spent.
  if (Status joinable = node_.CheckJoinable(); !joinable.ok()) return done(joinable.error());
  if (address.empty()) return FindInviter(*parsed, std::move(as), std::move(done));
  Result<HostPort> hp = ParseHostPort(address);
  if (!hp.ok()) return done(hp.error());
  Start(*parsed, *hp, std::move(as), std::move(done));
}

Status Joins::Consent(bool accept) {
  if (!asking_ || asking_->answer) return MakeError(ErrorCode::kNotFound, "no join is asking");
  asking_->answer = accept;
  asking_->signal.cancel();
  return Status::Ok();
}

asio::awaitable<bool> Joins::AskJoiner(const pairing::PairingJoiner& machine, const JoinAs& as) {
  auto alive = alive_;
  if (asking_ && !asking_->answer) {  // an older join still asking: its wait ends as a no
    asking_->answer = false;
    asking_->signal.cancel();
  }
  auto question = std::make_shared<Question>(io_);
  asking_ = question;
  const pairing::DeviceRecord& inviter = machine.inviter();
  const bool device = inviter.kind == pairing::InviteKind::kDevice;
  proto::JoinConsentUpdate update;
  update.set_partner_name(inviter.name);
  update.set_device(device);
  std::string message = device ? "This code makes this machine another device of " + inviter.name +
                                     ": it will hold " + inviter.name +
                                     "'s keys, history and private reflections."
                               : "This code lets you join " + inviter.name + "'s pact.";
  if (!device && inviter.history == pairing::HistoryShare::kNone) {
    message += " You will see what is written from now on, not what the pact wrote before.";
  } else if (!device && inviter.history == pairing::HistoryShare::kShared) {
    message += " " + inviter.name +
               " shares the pact's history with you: you will see everything written so far.";
  }
  update.set_message(message);
  update.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
  as.ask(update);  // may answer at once (nobody is left to ask)
  if (!question->answer) {
    question->signal.expires_after(kConsentTimeout);
    std::error_code ec;
    co_await question->signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive) co_return false;
  }
  if (asking_ == question) asking_.reset();
  co_return question->answer.value_or(false);
}

void Joins::FindInviter(pairing::PairingCode code, JoinAs as, JoinDone done) {
  if (!discovery_.enabled()) {
    return done(MakeError(ErrorCode::kInvalidArgument,
                          "LAN discovery is off (accordd --no-discovery): give the inviter's "
                          "address with --peer HOST:PORT (their accord invite shows it)"));
  }
  const uint32_t nameplate = code.nameplate;
  discovery_.FindInviter(nameplate, [this, code = std::move(code), as = std::move(as),
                                     done = std::move(done), nameplate,
                                     alive = alive_](discovery::InviterChoice choice) {
    if (!*alive) return;
    using Kind = discovery::InviterChoice::Kind;
    const std::string plate = std::to_string(nameplate);
    if (choice.kind == Kind::kNone) {
      return done(MakeError(
          ErrorCode::kUnavailable,
          "no invitation " + plate +
              "-... was heard on this network; check that your partner's "
              "accord invite is still waiting and that both machines are on the same network, or "
              "give its address with --peer HOST:PORT (accord invite prints it)"));
    }
    if (choice.kind == Kind::kAmbiguous) {
      std::string where;
      for (const discovery::HeardInvite& c : choice.candidates)
        where += (where.empty() ? "" : ", ") + HostPort{c.host, c.beacon.tcp_port}.ToString();
      return done(MakeError(ErrorCode::kUnavailable,
                            "two invitations numbered " + plate + " are open on this network (" +
                                where +
                                "); ask your partner which address their accord invite "
                                "printed and run join again with --peer ADDRESS"));
    }
    const discovery::HeardInvite& inviter = choice.candidates.front();
    Start(code, HostPort{inviter.host, inviter.beacon.tcp_port}, as, std::move(done));
  });
}

void Joins::Start(pairing::PairingCode code, HostPort address, JoinAs as, JoinDone done) {
  asio::co_spawn(io_, Run(std::move(code), std::move(address), std::move(as), std::move(done)),
                 [](std::exception_ptr e) {
                   if (e) LogError("join ended by an unexpected exception");
                 });
}

asio::awaitable<void> Joins::Run(pairing::PairingCode code, HostPort address, JoinAs as,
                                 JoinDone done) {
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
  pairing::PairingJoiner machine(code, node_.identity(), as.name.empty() ? MyName(node_) : as.name);
  if (listen_port_ != 0) machine.AdvertiseListenPort(listen_port_);
  SendAll(*socket, machine.Start());
  Bytes message;
  bool asked = false;
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
    // Once the inviter's record is verified, nothing more is sent (the bundle's ack, which
    // makes the inviter record this device) and nothing taken until these checks pass.
    if (machine.inviter_verified() && !asked) {
      asked = true;
      if (as.person_needs_name && machine.inviter().kind == pairing::InviteKind::kPerson) {
        socket->Close();
        co_return fail(ErrorCode::kInvalidArgument,
                       "this code invites you into " + machine.inviter().name +
                           "'s pact as a new person: ask for a new code and give your name "
                           "with accord join CODE --name NAME");
      }
      if (as.ask) {
        socket->ArmDeadline(kConsentTimeout + kPairingStepTimeout);
        const bool yes = co_await AskJoiner(machine, as);
        if (!*alive) co_return;
        if (!yes) {
          socket->Close();
          co_return fail(ErrorCode::kRefused, "you declined; nothing was shared");
        }
      }
    }
    SendAll(*socket, *out);
  }
  socket->CloseAfterWrites();
  const pairing::PactBundle& bundle = machine.bundle();
  const bool as_device = bundle.kind == pairing::InviteKind::kDevice;
  std::vector<std::pair<uint64_t, crypto::SecretKey>> keys;
  for (const auto& [epoch, key] : bundle.epoch_keys) keys.emplace_back(epoch, key.Clone());
  std::vector<std::pair<uint64_t, crypto::SecretKey>> person_keys;
  for (const auto& [gen, key] : bundle.person_keys) person_keys.emplace_back(gen, key.Clone());
  Result<Node::JoinReport> joined =
      as_device ? node_.JoinAsDevice(bundle.pact, std::move(keys), std::move(person_keys),
                                     bundle.inviter_member, Restated(bundle))
                : node_.JoinPact(bundle.pact, std::move(keys), Restated(bundle));
  if (!joined.ok()) co_return done(joined.error());
  const pairing::DeviceRecord& inviter = machine.inviter();
  book_.Pin(inviter.signing, inviter.x25519);
  node_.TrustDevice(inviter.signing);
  book_.Remember(DialTarget{inviter.signing, inviter.x25519, address.ToString()});
  // The pact's other devices, vouched for by the inviter over the paired channel: their
  // entries (relayed by the inviter) are accepted before our first sync tells us who they
  // are; remembered without an address so a restart keeps them.
  for (const pairing::PactDevice& d : bundle.devices) {
    if (d.signing == node_.device_key() || d.signing == inviter.signing) continue;
    book_.Pin(d.signing, d.x25519);
    node_.TrustDevice(d.signing);
    book_.Remember(DialTarget{d.signing, d.x25519, ""});
  }
  proto::JoinResponse response;
  response.set_partner_name(bundle.inviter_name);
  response.set_safety_number(pairing::FormatSafetyNumber(machine.safety_number()));
  response.set_pact_id(ToHex(bundle.pact));
  response.set_device(as_device);
  response.set_message(as_device ? "this is now another device of " + bundle.inviter_name
                                 : "joined " + bundle.inviter_name + "'s pact");
  LogInfo(as_device ? "pairing: joined a pact as another device of our member"
                    : "pairing: joined a pact");
  response.set_carried_entries(joined->carried_shared);
  response.set_carried_reflections(joined->carried_reflections);
  discovery_.BeaconNow();  // under the pact's keys now: the inviter hears this device
  done(response);
}

}  // namespace accord::daemon
