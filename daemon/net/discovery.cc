#include "daemon/net/discovery.h"

#include <algorithm>

#include "crypto/aead.h"
#include "crypto/random.h"
#include "daemon/discovery/cadence.h"
#include "daemon/logging.h"
#include "daemon/net/address.h"

namespace accord::daemon {
namespace {

constexpr std::chrono::seconds kResendAfterChange{2};  // a new address may need a moment
constexpr std::chrono::seconds kMinAnswerGap{5};       // answers to new instances, at most
constexpr double kAllBeaconsPerSecond = 200;  // beacons opened per second, all senders together
constexpr double kAllBeaconsBurst = 400;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double UnitRandom() { return crypto::RandomUniform(1u << 20) / double(1u << 20); }

// HOST:PORT for the sender of a datagram and the TCP port it named.
std::string DialAddress(const asio::ip::address& from, uint16_t port) {
  return EndpointString(asio::ip::tcp::endpoint(Unmapped(from), port));
}

}  // namespace

struct Discovery::Search {
  explicit Search(asio::io_context& io) : deadline(io), grace(io) {}
  uint32_t nameplate = 0;
  FoundInviter found;
  std::vector<discovery::HeardInvite> heard;
  asio::steady_timer deadline;
  asio::steady_timer grace;
  bool grace_armed = false;
};

Discovery::Discovery(asio::io_context& io, Node& node, bool enabled)
    : io_(io),
      node_(node),
      enabled_(enabled),
      beacons_(io, discovery::kBeaconPort, discovery::kBeaconGroup),
      pairing_(io, discovery::kPairingBeaconPort, discovery::kBeaconGroup),
      netlink_(io, [this] { OnNetworkChange(); }),
      beacon_timer_(io),
      pairing_timer_(io),
      beacon_limiter_(discovery::kBeaconsPerSecond, discovery::kBeaconBurst,
                      discovery::kMaxBeaconSources),
      pairing_limiter_(discovery::kBeaconsPerSecond, discovery::kBeaconBurst,
                       discovery::kMaxBeaconSources),
      all_beacons_(kAllBeaconsPerSecond, kAllBeaconsBurst, 1),
      replays_(discovery::kMaxRememberedNonces, discovery::kReplayWindowMs) {
  report_.enabled = enabled;
}

Discovery::~Discovery() {
  *alive_ = false;
  Stop();
}

void Discovery::Start(uint16_t tcp_port, HeardDevice heard, std::function<void()> network_changed) {
  if (!enabled_) {
    LogInfo("LAN discovery: off (--no-discovery)");
    return;
  }
  tcp_port_ = tcp_port;
  heard_ = std::move(heard);
  network_changed_ = std::move(network_changed);
  crypto::RandomBytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&instance_), sizeof instance_));
  if (Status s = beacons_.Open(); !s.ok()) {
    report_.beacon_socket_error = s.error().message;
    LogWarning("LAN discovery: " + s.error().message + "; partners are found only by address");
  }
  if (Status s = pairing_.Open(); !s.ok()) {
    report_.pairing_socket_error = s.error().message;
    LogWarning("LAN discovery: " + s.error().message + "; join needs --peer");
  }
  beacons_.OnDatagram(
      [this](ByteView payload, const asio::ip::udp::endpoint& from) { OnBeacon(payload, from); });
  pairing_.OnDatagram([this](ByteView payload, const asio::ip::udp::endpoint& from) {
    OnPairingBeacon(payload, from);
  });
  if (Status s = netlink_.Start(); !s.ok())
    LogWarning("LAN discovery: address changes are not watched: " + s.error().message);
  LogInfo("LAN discovery: beacons on UDP port " + std::to_string(discovery::kBeaconPort));
  SendBeacon();
  asio::co_spawn(io_, BeaconLoop(), [](std::exception_ptr e) {
    if (e) LogError("beacon loop ended by an unexpected exception");
  });
}

void Discovery::Stop() {
  if (!enabled_) return;
  enabled_ = false;
  beacon_timer_.cancel();
  pairing_timer_.cancel();
  netlink_.Stop();
  beacons_.Close();
  pairing_.Close();
  if (search_) {
    search_->deadline.cancel();
    search_->grace.cancel();
  }
}

asio::awaitable<void> Discovery::BeaconLoop() {
  auto alive = alive_;
  std::error_code ec;
  while (*alive && enabled_) {
    beacon_timer_.expires_after(discovery::NextBeaconDelay(UnitRandom()));
    co_await beacon_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || !enabled_) co_return;
    // A cancelled wait is a beacon sent early (an address change): the cadence starts over.
    if (!ec) SendBeacon();
  }
}

void Discovery::BeaconNow() {
  if (!enabled_) return;
  SendBeacon();
  beacon_timer_.cancel();
}

void Discovery::SendBeacon() {
  if (!enabled_ || tcp_port_ == 0 || !node_.has_identity()) return;
  std::vector<std::pair<uint64_t, crypto::SecretKey>> keys = node_.DiscoveryKeys();
  if (keys.empty()) return;
  discovery::BeaconContent content;
  std::copy_n(node_.device_key().begin(), content.device.size(), content.device.begin());
  content.tcp_port = tcp_port_;
  content.unix_minutes = static_cast<uint32_t>(node_.NowMs() / 60000);
  content.instance = instance_;
  beacons_.SendAll(
      [&] { return discovery::SealBeacon(keys.front().second, crypto::RandomXNonce(), content); });
}

void Discovery::OnBeacon(ByteView payload, const asio::ip::udp::endpoint& from) {
  // Cheap refusals first: anyone on the LAN can send here, a stranger at 1,000/s.
  if (payload.size() != discovery::kBeaconBytes || !node_.has_identity()) return;
  const int64_t now_ms = SteadyMs();
  if (!beacon_limiter_.Allow(from.address().to_string(), now_ms)) return;
  // Forged sender addresses each start with a full bucket: a cap over all of them bounds the
  // trial decryptions a flood can cause.
  if (!all_beacons_.Allow("all", now_ms)) return;
  std::array<uint8_t, crypto::kXNonceBytes> nonce{};
  std::copy_n(payload.begin(), nonce.size(), nonce.begin());
  if (!replays_.FirstSeen(nonce, now_ms)) return;
  std::vector<std::pair<uint64_t, crypto::SecretKey>> keys = node_.DiscoveryKeys();
  std::vector<discovery::EpochDiscoveryKey> trial;
  for (const auto& [epoch, key] : keys) trial.push_back({epoch, &key});
  Result<discovery::OpenedBeacon> opened =
      discovery::OpenBeacon(trial, payload, node_.NowMs() / 1000);
  if (!opened.ok()) return;  // not ours, stale or forged: it cost one trial decryption
  const discovery::BeaconContent& c = opened->content;
  DevicePrefix own{};
  std::copy_n(node_.device_key().begin(), own.size(), own.begin());
  if (c.device == own) {
    if (c.instance == instance_) report_.own_beacon_heard_ms = node_.NowMs();
    return;
  }
  const std::string address = DialAddress(from.address(), c.tcp_port);
  report_.heard[c.device] = Report::Heard{node_.NowMs(), address};
  // A device just started (or one we have not heard since we started): answer with a beacon
  // at once, so that it hears us now rather than at our next turn in up to 54 s.
  auto [known, added] = instances_.try_emplace(c.device, c.instance);
  if (added || known->second != c.instance) {
    known->second = c.instance;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_answer_ >= kMinAnswerGap) {
      last_answer_ = now;
      BeaconNow();
    }
  }
  if (heard_) heard_(c.device, address);
}

uint32_t Discovery::FreeNameplate() {
  std::set<uint32_t> in_use;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [nameplate, at] : heard_nameplates_)
    if (now - at < kNameplateMemory) in_use.insert(nameplate);
  return discovery::FreeNameplate(in_use, crypto::RandomUniform(UINT32_MAX));
}

void Discovery::OpenPairing(uint32_t nameplate) {
  if (!enabled_) return;
  discovery::PairingBeacon beacon;
  beacon.nameplate = nameplate;
  crypto::RandomBytes(beacon.nonce);
  beacon.tcp_port = tcp_port_;
  open_pairing_ = beacon;
  SendPairingBeacon();
}

void Discovery::ClosePairing() {
  open_pairing_.reset();
  pairing_timer_.cancel();
}

void Discovery::SendPairingBeacon() {
  if (!enabled_ || !open_pairing_) return;
  const Bytes beacon = discovery::EncodePairingBeacon(*open_pairing_);
  pairing_.SendAll([&] { return beacon; });
  pairing_timer_.expires_after(discovery::kPairingBeaconInterval);
  pairing_timer_.async_wait([this, alive = alive_](std::error_code ec) {
    if (!ec && *alive) SendPairingBeacon();
  });
}

void Discovery::OnPairingBeacon(ByteView payload, const asio::ip::udp::endpoint& from) {
  if (!pairing_limiter_.Allow(from.address().to_string(), SteadyMs())) return;
  Result<discovery::PairingBeacon> beacon = discovery::DecodePairingBeacon(payload);
  if (!beacon.ok()) return;
  if (open_pairing_ && beacon->nonce == open_pairing_->nonce) return;  // our own, looped back
  heard_nameplates_[beacon->nameplate] = std::chrono::steady_clock::now();
  if (!search_ || beacon->nameplate != search_->nameplate) return;
  search_->heard.push_back(discovery::HeardInvite{Unmapped(from.address()).to_string(), *beacon});
  discovery::InviterChoice choice = discovery::ChooseInviter(search_->heard, search_->nameplate);
  if (choice.kind == discovery::InviterChoice::Kind::kAmbiguous) {
    FinishSearch(std::move(choice));
    return;
  }
  if (search_->grace_armed) return;
  search_->grace_armed = true;
  search_->grace.expires_after(kCollisionGrace);
  search_->grace.async_wait([this, alive = alive_](std::error_code ec) {
    if (ec || !*alive || !search_) return;
    FinishSearch(discovery::ChooseInviter(search_->heard, search_->nameplate));
  });
}

void Discovery::FindInviter(uint32_t nameplate, FoundInviter found) {
  if (search_) FinishSearch(discovery::InviterChoice{});  // one search at a time
  if (!enabled_ || !report_.pairing_socket_error.empty()) {
    asio::post(io_, [found = std::move(found)] { found(discovery::InviterChoice{}); });
    return;
  }
  search_ = std::make_unique<Search>(io_);
  search_->nameplate = nameplate;
  search_->found = std::move(found);
  search_->deadline.expires_after(kPairingListen);
  search_->deadline.async_wait([this, alive = alive_](std::error_code ec) {
    if (ec || !*alive || !search_) return;
    FinishSearch(discovery::ChooseInviter(search_->heard, search_->nameplate));
  });
}

void Discovery::FinishSearch(discovery::InviterChoice choice) {
  std::unique_ptr<Search> search = std::move(search_);
  search->deadline.cancel();
  search->grace.cancel();
  FoundInviter found = std::move(search->found);
  // The timers' handlers still refer to the search: let them run (cancelled) first.
  asio::post(io_, [search = std::shared_ptr<Search>(std::move(search))] {});
  found(std::move(choice));
}

void Discovery::OnNetworkChange() {
  if (!enabled_) return;
  beacons_.Rejoin();
  pairing_.Rejoin();
  BeaconNow();
  if (open_pairing_) {
    pairing_timer_.cancel();
    SendPairingBeacon();
  }
  auto again = std::make_shared<asio::steady_timer>(io_, kResendAfterChange);
  again->async_wait([this, again, alive = alive_](std::error_code ec) {
    if (!ec && *alive) SendBeacon();
  });
  if (network_changed_) network_changed_();
}

Discovery::Report Discovery::report() const {
  Report r = report_;
  r.beacons_sent = beacons_.sent();
  r.send_errors = beacons_.send_errors();
  return r;
}

}  // namespace accord::daemon
