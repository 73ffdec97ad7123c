// PeerManager: this daemon's presence on the network. Listens for peers (sync and pairing
// connections on one port), dials known peers with backoff and jitter, keeps one sync
// connection per peer device (it is their SyncHost) and tells them of the Node's changes.
// Daemon thread only. Invitations, joins, the address book and discovery are their own
// classes; the listener is in peer_listen.cc, the views for the client in peer_views.cc.
#ifndef ACCORD_DAEMON_NET_PEER_MANAGER_H_
#define ACCORD_DAEMON_NET_PEER_MANAGER_H_

#include <asio.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accord/ipc.pb.h"
#include "daemon/net/address.h"
#include "daemon/net/address_book.h"
#include "daemon/net/admission.h"
#include "daemon/net/backoff.h"
#include "daemon/net/discovery.h"
#include "daemon/net/invitations.h"
#include "daemon/net/join.h"
#include "daemon/net/network_options.h"
#include "daemon/net/sync_connection.h"
#include "daemon/net/sync_host.h"
#include "daemon/node/node.h"
#include "daemon/peer/replay_guard.h"

namespace accord::daemon {

class PeerManager final : public SyncHost {
 public:
  PeerManager(asio::io_context& io, Node& node, NetworkOptions options);
  ~PeerManager() override;

  // Binds the listener (at --listen, else on every interface at the kept port) and starts
  // dialing. kInvalidArgument for a bad address, kIo if no port can be bound, kCorrupt for a
  // damaged kept-port file.
  Status Start();
  void Stop();
  // Where partners reach this daemon: the bound address, or for 0.0.0.0/[::] the address of
  // every up interface (never the wildcard). listen_address() is the first of them.
  std::vector<std::string> ListenAddresses() const;
  std::string listen_address() const;
  uint16_t listen_port() const { return listen_port_; }
  asio::io_context& io() { return io_; }
  std::vector<proto::PeerView> Peers();

  // The inviter's and the joiner's side of pairing (pairing connections are served here).
  Invitations& invitations() { return invitations_; }
  Joins& joins() { return joins_; }
  // LAN beacons (for pairing and `accord doctor`).
  Discovery& discovery() { return discovery_; }
  // What `accord doctor` asks of the network side.
  struct Health {
    int64_t last_inbound_lan_ms = 0;  // a peer device connected to us from off this host
    std::map<log::DeviceKey, int64_t> clock_skew_ms;  // its clock minus ours, at its handshake
    std::map<log::DeviceKey, std::vector<std::string>> remembered;  // addresses, newest first
  };
  Health health() const;
  // Told of every peer device connecting or disconnecting (for `watch`).
  using PeerListener = std::function<void(const proto::PeerEvent&)>;
  void AddPeerListener(PeerListener listener) { peer_listeners_.push_back(std::move(listener)); }
  // Told how a peer device's catch-up is going (for `watch`'s progress line).
  using ProgressListener = std::function<void(const proto::SyncProgress&)>;
  void AddProgressListener(ProgressListener listener) {
    progress_listeners_.push_back(std::move(listener));
  }

  // Also for `log --verify` (LogStream).
  void VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                          VerdictsDone done) override;
  void VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                          std::shared_ptr<const std::vector<log::EntryHeader>> headers,
                          VerdictsDone done) override;

 private:
  struct Target {
    DialTarget dial;
    Backoff backoff;
    std::chrono::steady_clock::time_point next_attempt{};
    std::chrono::steady_clock::time_point lost_at{};  // added, or its last connection ended
    bool dialing = false;      // from the TCP connect until the connection closes
    bool beacon_only = false;  // named only by a beacon: dropped after one failed attempt
  };

  // SyncHost, for the connections.
  const crypto::DhKeyPair& static_key() const override { return node_.identity().dh; }
  const log::PactId& pact() const override { return node_.pact(); }
  std::optional<log::DeviceKey> AdmitHandshake(const crypto::DhPublicKey& key,
                                               const peer::Tai64n& timestamp) override;
  bool OnEstablished(const std::shared_ptr<SyncConnection>& connection) override;
  void OnClosed(SyncConnection* connection) override;
  std::unique_ptr<sync::SyncSource> SourceFor(const log::DeviceKey& peer) override;
  Result<size_t> StoreBatch(std::span<const log::Envelope> entries,
                            std::span<const log::EntryHeader> headers,
                            std::span<const log::SignatureVerdict> verdicts) override;
  Status KeepForkProof(const log::Envelope& existing, const log::Envelope& conflicting) override;
  Result<size_t> Repair(std::span<const log::Envelope> entries, const std::string& from) override;
  void NotePeerHeads(const log::DeviceKey& peer,
                     const std::map<log::DeviceKey, log::FeedHead>& heads) override;
  Result<size_t> CheckSent(const log::DeviceKey& author, uint64_t first, uint64_t last) override;
  void NoteReceiving(const SyncConnection& c, uint64_t received, uint64_t total) override;
  // Runs `verify` on the verification pool and `done` with its verdicts on the daemon thread.
  void VerifyOnPool(std::function<std::vector<log::SignatureVerdict>()> verify, VerdictsDone done);

  // The Node's change notice (its one notification that the log changed), for every
  // connection. Each kind is posted: it is told in the middle of a store or a session step.
  void OnChange(const Node::ChangeNotice& notice);
  // New entries in the log (own or received): every connection pushes what its peer lacks.
  void OnLocalChange();
  // Damaged entries were found: every connection asks its peer for intact copies.
  void OnRepairWanted();
  // Damaged entries were repaired: every connection sends what waited behind them.
  void OnRepairedEntries();
  // A newly recorded fork: every connection passes the proof on.
  void OnFork(const log::Envelope& existing, const log::Envelope& conflicting);
  std::optional<log::DeviceKey> DeviceForX25519(const crypto::DhPublicKey& key);
  // The address book's pins of devices no entry names yet (a joiner being let in).
  std::map<log::DeviceKey, crypto::DhPublicKey> LivePins();
  std::string NameOf(const log::DeviceKey& device);
  void TellPeerListeners(const SyncConnection& c, proto::PeerState state, std::string reason);

  Status Listen();
  std::error_code Bind(const asio::ip::tcp::endpoint& endpoint);
  std::error_code BindAllInterfaces(uint16_t port);
  asio::awaitable<void> AcceptLoop();
  // Sleeps until the earliest next_attempt of a target that is neither dialing nor
  // connected, or until woken: an idle daemon is not woken at all.
  asio::awaitable<void> DialLoop();
  // What the dial loop sleeps on changed (a target added, due, finished or freed by a lost
  // connection; the pact's devices or pins): it looks again now.
  void WakeDialLoop() { dial_wake_.cancel(); }
  asio::awaitable<void> Dial(std::string key);
  void AddTarget(const DialTarget& target);
  void RetryLater(Target& target);
  void RefreshTargets();
  // A pact device's beacon: dial it at once at that address unless connected.
  void OnBeaconHeard(const Discovery::DevicePrefix& device, const std::string& address);
  // Addresses changed: connections on an address this host no longer has are dead; every
  // target is tried again at once.
  void OnNetworkChanged();

  asio::io_context& io_;
  Node& node_;
  std::string listen_option_;
  std::filesystem::path kept_port_file_;
  std::vector<std::string> peer_options_;
  uint16_t listen_port_ = 0;
  bool wildcard_listen_ = false;  // bound to 0.0.0.0 or [::]: status shows interface addresses
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  asio::steady_timer dial_wake_;           // the dial loop's sleep; cancelled by WakeDialLoop
  std::map<std::string, Target> targets_;  // by device hex + " " + address
  std::map<log::DeviceKey, std::shared_ptr<SyncConnection>> established_;
  std::set<std::shared_ptr<SyncConnection>> all_;
  AddressBook book_;
  Discovery discovery_;  // before the pairing sides, which beacon through it
  Invitations invitations_;
  Joins joins_;
  peer::ReplayGuard replay_guard_;
  HandshakeSlots first_byte_slots_{kMaxAwaitingFirstByte, kMaxAwaitingFirstBytePerSource};
  HandshakeSlots inbound_slots_;
  HandshakeRate<crypto::DhPublicKey> handshake_rate_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::vector<PeerListener> peer_listeners_;
  std::vector<ProgressListener> progress_listeners_;
  int64_t last_inbound_lan_ms_ = 0;
  std::map<log::DeviceKey, int64_t> clock_skew_ms_;
  bool push_scheduled_ = false;
  bool repair_scheduled_ = false;
  bool stopped_ = false;
  // Signature checks of received batches, off the daemon thread so that checking the next
  // batch overlaps storing this one. Last member: destroyed (stopped and joined) first.
  asio::thread_pool verify_pool_{1};
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_PEER_MANAGER_H_
