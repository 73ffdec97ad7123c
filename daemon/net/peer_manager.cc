// PeerManager: the listener is in peer_listen.cc; dialing, accepting and the sync sessions'
// lifecycle are here; the sessions' host and the node's change listener are in peer_host.cc;
// the client views in peer_views.cc.
#include "daemon/net/peer_manager.h"

#include <algorithm>

#include "crypto/random.h"
#include "daemon/logging.h"
#include "daemon/net/interfaces.h"
#include "daemon/net/node_source.h"
#include "daemon/peer/tai64n.h"

namespace accord::daemon {

namespace {

constexpr size_t kMaxDialTargets = 256;  // beacons add no target past this (a replay flood)

std::string TargetKey(const DialTarget& t) { return ToHex(t.device) + " " + t.address; }

}  // namespace

PeerManager::PeerManager(asio::io_context& io, Node& node, NetworkOptions options)
    : io_(io),
      node_(node),
      listen_option_(std::move(options.listen)),
      kept_port_file_(std::move(options.kept_port_file)),
      peer_options_(std::move(options.peers)),
      dial_wake_(io),
      book_(node),
      discovery_(io, node, options.discovery),
      invitations_(io, node, book_, discovery_),
      joins_(io, node, book_, discovery_) {}

PeerManager::~PeerManager() {
  *alive_ = false;
  Stop();
  verify_pool_.join();  // no check may still be running when the connections go
}

Status PeerManager::Start() {
  for (const std::string& p : peer_options_) {
    Result<HostPort> hp = ParseHostPort(p);
    if (!hp.ok()) return hp.error();
  }
  ACCORD_RETURN_IF_ERROR(Listen());
  std::error_code port_ec;
  listen_port_ = acceptor_->local_endpoint(port_ec).port();
  invitations_.SetListening(true);
  joins_.SetListenPort(listen_port_);
  asio::co_spawn(io_, AcceptLoop(), [](std::exception_ptr e) {
    if (e) LogError("peer accept loop ended by an unexpected exception");
  });
  discovery_.Start(
      listen_port_,
      [this](const Discovery::DevicePrefix& device, const std::string& address) {
        OnBeaconHeard(device, address);
      },
      [this] { OnNetworkChanged(); });
  book_.OnChange([this] { WakeDialLoop(); });  // a pairing pinned or placed a device
  if (node_.has_identity()) book_.Load();
  asio::co_spawn(io_, DialLoop(), [](std::exception_ptr e) {
    if (e) LogError("dial loop ended by an unexpected exception");
  });
  node_.AddChangeListener([this, alive = alive_](const Node::ChangeNotice& notice) {
    if (*alive) OnChange(notice);
  });
  return Status::Ok();
}

void PeerManager::Stop() {
  if (stopped_) return;
  stopped_ = true;
  verify_pool_.stop();  // checks not yet started are dropped
  discovery_.Stop();
  WakeDialLoop();  // to see stopped_ and end
  std::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  auto connections = all_;
  for (const auto& c : connections) c->Close("shutting down");
  peer_listeners_.clear();  // they may not outlive this daemon's shutdown
  progress_listeners_.clear();
}

asio::awaitable<void> PeerManager::AcceptLoop() {
  std::error_code ec;
  while (!stopped_ && acceptor_->is_open()) {
    asio::ip::tcp::socket socket =
        co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // Anyone can open a connection. Until its first byte it waits in a wide, cheap pool;
    // only then does it take one of the few handshake slots. Both pools make room by
    // evicting their oldest unproven, silent member (admission.h), so a flood of silent
    // connections only ever evicts itself and a pact device still gets in.
    std::error_code remote_ec;
    const asio::ip::tcp::endpoint remote = socket.remote_endpoint(remote_ec);
    const std::string source = remote_ec ? std::string("?") : remote.address().to_string();
    std::shared_ptr<HandshakeSlots::Slot> waiting = first_byte_slots_.TryTake(source);
    if (!waiting) {
      socket.close(ec);
      continue;
    }
    // The first byte says which protocol follows; anything else gets silence.
    auto framed = std::make_shared<FramedSocket>(std::move(socket));
    waiting->OnEvict([weak = std::weak_ptr<FramedSocket>(framed)] {
      if (auto f = weak.lock()) f->Close();
    });
    waiting->OnSpeakingProbe([weak = std::weak_ptr<FramedSocket>(framed)] {
      auto f = weak.lock();
      return f && f->unread_bytes_waiting();
    });
    asio::co_spawn(
        io_,
        [this, framed, waiting, source, alive = alive_]() mutable -> asio::awaitable<void> {
          framed->ArmDeadline(kFirstByteTimeout);
          uint8_t type = 0;
          if (!co_await framed->ReadByte(type) || !*alive || !waiting->held()) co_return;
          waiting.reset();
          framed->CancelDeadline();
          if (type == kConnectionSync && node_.has_identity()) {
            std::shared_ptr<HandshakeSlots::Slot> slot = inbound_slots_.TryTake(source);
            if (!slot) {
              framed->Close();  // every slot holds a proven handshake: no reply, no work
              co_return;
            }
            if (framed->unread_bytes_waiting()) slot->MarkSpeaking();  // msg1 came along
            auto c = std::make_shared<SyncConnection>(*this, std::move(framed->socket()),
                                                      std::nullopt, slot);
            slot->OnEvict([weak = std::weak_ptr<SyncConnection>(c)] {
              if (auto c = weak.lock()) c->Close("evicted before its handshake proved anything");
            });
            slot->OnSpeakingProbe([weak = std::weak_ptr<SyncConnection>(c)] {
              auto c = weak.lock();
              return c && c->unread_bytes_waiting();
            });
            all_.insert(c);
            c->Start();
          } else if (type == kConnectionPairing && node_.has_identity()) {
            // One pairing at a time is served (the invitation's own limit); it needs no slot.
            co_await invitations_.Serve(framed);
          }
        },
        [](std::exception_ptr e) {
          if (e) LogError("peer connection ended by an unexpected exception");
        });
  }
}

void PeerManager::AddTarget(const DialTarget& target) {
  std::string key = TargetKey(target);
  if (targets_.count(key)) return;
  Target t;
  t.dial = target;
  t.lost_at = std::chrono::steady_clock::now();
  targets_.emplace(key, std::move(t));
}

// Addresses from the address book, and --peer addresses tried for every peer device of the
// pact (IK needs the key up front).
void PeerManager::RefreshTargets() {
  if (!node_.has_identity()) return;
  for (DialTarget target : book_.addresses()) {
    target.via = "remembered address";
    AddTarget(target);
  }
  if (peer_options_.empty()) return;
  std::vector<std::pair<log::DeviceKey, crypto::DhPublicKey>> devices;
  for (const state::Device& d : node_.PeerDevices()) devices.emplace_back(d.key, d.x25519);
  for (const auto& [key, x] : LivePins()) devices.emplace_back(key, x);
  for (const std::string& address : peer_options_) {
    for (const auto& [device, x25519] : devices)
      AddTarget(DialTarget{device, x25519, address, "--peer"});
  }
}

void PeerManager::OnBeaconHeard(const Discovery::DevicePrefix& prefix, const std::string& address) {
  if (!node_.has_identity()) return;
  std::optional<DialTarget> heard;
  auto match = [&](const log::DeviceKey& device, const crypto::DhPublicKey& x25519) {
    if (std::equal(prefix.begin(), prefix.end(), device.begin()))
      heard = DialTarget{device, x25519, address};
  };
  for (const state::Device& d : node_.PeerDevices()) match(d.key, d.x25519);
  for (const auto& [device, x25519] : LivePins()) match(device, x25519);
  if (!heard) return;  // a device this pact does not (yet) know
  // Connected already: the beacon says nothing new (a peer that moved or restarted dials
  // us itself, and its new connection replaces the stale one). If the session comes from
  // the beacon's host, the address is proven: kept for dialing it later.
  if (auto c = established_.find(heard->device); c != established_.end()) {
    Result<HostPort> hp = ParseHostPort(address);
    Result<HostPort> remote = ParseHostPort(c->second->remote());
    if (hp.ok() && remote.ok() && hp->host == remote->host && !book_.Knows(heard->device, address))
      book_.Remember(*heard);
    return;
  }
  const bool known = targets_.count(TargetKey(*heard)) > 0;
  if (!known && targets_.size() >= kMaxDialTargets) return;
  AddTarget(*heard);
  Target& target = targets_.at(TargetKey(*heard));
  // Kept (by OnEstablished) only once a session there proves the device answers.
  if (!known) target.beacon_only = true;
  if (target.dialing) return;
  target.dial.via = "beacon";
  target.backoff.Reset();
  target.next_attempt = std::chrono::steady_clock::now();
  WakeDialLoop();
}

void PeerManager::OnNetworkChanged() {
  std::set<asio::ip::address> local;
  for (const InterfaceAddress& a : UpInterfaceAddresses()) local.insert(a.address);
  std::vector<std::shared_ptr<SyncConnection>> gone;
  for (const auto& [device, c] : established_) {
    const asio::ip::address at = Unmapped(c->local_address());
    if (at.is_loopback() || at.is_unspecified()) continue;
    bool kept = false;
    for (const asio::ip::address& l : local) {
      // Compare without the IPv6 scope: the socket's address may not carry it.
      if (l.is_v6() && at.is_v6()) {
        kept = kept || l.to_v6().to_bytes() == at.to_v6().to_bytes();
      } else {
        kept = kept || l == at;
      }
    }
    if (!kept) gone.push_back(c);
  }
  for (const auto& c : gone) c->Close("this host's address changed");
  const auto now = std::chrono::steady_clock::now();
  for (auto& [key, target] : targets_) {
    target.backoff.Reset();
    target.lost_at = now;
    if (!target.dialing) target.next_attempt = now;
  }
  WakeDialLoop();
}

// No periodic tick: a laptop's idle daemon must not wake. Whatever can make a target due
// sooner than the sleep computed here (a beacon, an address change, a dial or connection
// ending, a new device or pin) calls WakeDialLoop; with nothing due it sleeps until then.
asio::awaitable<void> PeerManager::DialLoop() {
  auto alive = alive_;
  std::error_code ec;
  while (*alive && !stopped_) {
    RefreshTargets();
    const auto now = std::chrono::steady_clock::now();
    auto wake_at = std::chrono::steady_clock::time_point::max();
    for (auto& [key, target] : targets_) {
      // Either ends in Dial or OnClosed, which wake this loop.
      if (target.dialing || established_.count(target.dial.device)) continue;
      if (now < target.next_attempt) {
        wake_at = std::min(wake_at, target.next_attempt);
        continue;
      }
      target.dialing = true;
      asio::co_spawn(io_, Dial(key), [](std::exception_ptr e) {
        if (e) LogError("dial ended by an unexpected exception");
      });
    }
    dial_wake_.expires_at(wake_at);
    co_await dial_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> PeerManager::Dial(std::string key) {
  auto alive = alive_;
  DialTarget dial = targets_.at(key).dial;
  bool connected = false;
  Result<HostPort> hp = ParseHostPort(dial.address);
  if (hp.ok()) {
    Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io_, *hp);
    if (endpoints.ok()) {
      asio::ip::tcp::socket socket(io_);
      std::error_code ec;
      asio::steady_timer limit(io_, kHandshakeTimeout);
      limit.async_wait([&socket](std::error_code e) {
        if (!e) socket.close();
      });
      co_await asio::async_connect(socket, *endpoints,
                                   asio::redirect_error(asio::use_awaitable, ec));
      limit.cancel();
      if (!*alive) co_return;
      if (!ec && !established_.count(dial.device)) {
        auto c = std::make_shared<SyncConnection>(*this, std::move(socket), dial);
        all_.insert(c);
        c->Start();
        connected = true;
      }
    }
  }
  if (!*alive || connected) co_return;  // OnClosed ends the attempt of a connection
  auto it = targets_.find(key);
  if (it == targets_.end()) co_return;
  // An address only a beacon named is tried once: anyone can replay a beacon from anywhere,
  // and what it names must not be dialed forever (or kept) unless a session proves it.
  if (it->second.beacon_only) {
    targets_.erase(it);
  } else {
    RetryLater(it->second);
  }
}

void PeerManager::RetryLater(Target& target) {
  target.dialing = false;
  double unit = crypto::RandomUniform(1u << 20) / double(1u << 20);
  const auto now = std::chrono::steady_clock::now();
  const auto since_lost =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - target.lost_at);
  target.next_attempt = now + target.backoff.Next(unit, since_lost);
  WakeDialLoop();  // to sleep until this attempt if it is the earliest
}

bool PeerManager::OnEstablished(const std::shared_ptr<SyncConnection>& c) {
  auto it = established_.find(c->device());
  if (it != established_.end() && it->second.get() != c.get()) {
    // A second connection with one device. Neither side dials a device it has a session
    // with, so either both dialed at once (opposite directions, moments apart), or the peer
    // lost the old connection without our noticing (it restarted, or its network dropped):
    // then the old one is stale and the new one must win, or the device is locked out
    // until the stale one times out.
    const SyncConnection& old = *it->second;
    const bool simultaneous = old.initiator() != c->initiator() &&
                              c->established_at() - old.established_at() < kHandshakeTimeout;
    if (simultaneous) {
      // Both sides keep the one started by the smaller device key: they agree without
      // talking about it.
      const bool prefer_mine = node_.device_key() < c->device();
      if (c->initiator() != prefer_mine) return false;
    }
    it->second->Close("replaced by a newer connection");
  }
  established_[c->device()] = c;
  TellPeerListeners(*c, proto::PEER_STATE_CONNECTED,
                    c->initiator() ? (c->target()->via.empty() ? "dialed" : c->target()->via)
                                   : "it dialed this device");
  if (c->initiator()) {
    book_.Remember(*c->target());
  } else {
    const asio::ip::address from = Unmapped(c->remote_address());
    if (!from.is_loopback() && !from.is_unspecified()) last_inbound_lan_ms_ = node_.NowMs();
  }
  return true;
}

void PeerManager::OnClosed(SyncConnection* c) {
  if (c->initiator()) {
    auto t = targets_.find(TargetKey(*c->target()));
    if (t != targets_.end()) {
      if (c->heard_from_peer()) {
        // The peer took the session: it worked, so redial at once (it may have ended for
        // its lifetime, or the peer restarted).
        t->second.backoff.Reset();
        t->second.lost_at = std::chrono::steady_clock::now();
        t->second.dialing = false;
        t->second.next_attempt = std::chrono::steady_clock::now();
        WakeDialLoop();
      } else {
        RetryLater(t->second);  // refused, silent or failed: back off
        if (t->second.beacon_only) targets_.erase(t);
      }
    }
  }
  auto it = established_.find(c->device());
  if (it != established_.end() && it->second.get() == c) {
    established_.erase(it);
    TellPeerListeners(*c, proto::PEER_STATE_OFFLINE, c->close_reason());
    // Lost just now: its addresses are retried often for a while (Backoff::kRecentWindow).
    const auto now = std::chrono::steady_clock::now();
    for (auto& [key, target] : targets_)
      if (target.dial.device == c->device()) target.lost_at = now;
    WakeDialLoop();  // its targets may be dialed again
  }
  for (auto i = all_.begin(); i != all_.end(); ++i) {
    if (i->get() == c) {
      // Keep the object alive until its own coroutine unwinds: drop it on the next turn.
      asio::post(io_, [keep = *i] {});
      all_.erase(i);
      break;
    }
  }
}

}  // namespace accord::daemon
