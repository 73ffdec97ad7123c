// PeerManager: this daemon's presence on the network. Listens for peers (sync and pairing
// connections on one port), dials known peers with backoff and jitter, keeps one sync
// connection per peer device, pushes new entries to all of them, and runs invitations and
// joins. Daemon thread only. The protocols themselves are pure (daemon/sync, daemon/peer,
// daemon/pairing); this is their edge.
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
#include "daemon/net/admission.h"
#include "daemon/net/backoff.h"
#include "daemon/net/network_options.h"
#include "daemon/net/sync_connection.h"
#include "daemon/node/node.h"
#include "daemon/pairing/code.h"
#include "daemon/peer/replay_guard.h"

namespace accord::daemon {

constexpr std::chrono::minutes kDefaultInviteTimeout{10};  // SPEC §4: codes live 10 minutes

class PeerManager {
 public:
  PeerManager(asio::io_context& io, Node& node, NetworkOptions options);
  ~PeerManager();

  // Binds the listener (if --listen was given) and starts dialing. kInvalidArgument for a bad
  // address, kIo if the port cannot be bound.
  Status Start();
  void Stop();
  std::string listen_address() const { return listen_address_; }

  // New entries in the log (own or received): every connection pushes what its peer lacks.
  void OnLocalChange();
  // Damaged entries were found: every connection asks its peer for intact copies.
  void OnRepairWanted();
  // Damaged entries were repaired: every connection sends what waited behind them.
  void OnRepairedEntries();
  // A newly recorded fork: every connection passes the proof on.
  void OnFork(const log::Envelope& existing, const log::Envelope& conflicting);
  std::vector<proto::PeerView> Peers();

  // Invitations (inviter side). Updates go to `notify` while it is set.
  using InviteNotify = std::function<void(const proto::InviteUpdate&)>;
  // kRefused for a pact of two or more without `share_history` (a newcomer would read the
  // whole history; joining at a new epoch is not built yet).
  Result<proto::InviteUpdate> OpenInvitation(bool no_wait, std::chrono::seconds timeout,
                                             bool share_history, InviteNotify notify);
  // The waiting client's answer to a "consent" update. kNotFound if nothing waits.
  Status ConsentInvitation(bool accept);
  // The waiting client went away.
  void DetachInvitation();

  // Joining (joiner side). `done` is called once, on the daemon thread.
  void Join(const std::string& code, const std::string& address,
            std::function<void(Result<proto::JoinResponse>)> done);

  // For SyncConnection.
  Node& node() { return node_; }
  std::optional<log::DeviceKey> DeviceForX25519(const crypto::DhPublicKey& key);
  // A pact device's handshake may go on: within its rate, and not a replay.
  bool AdmitHandshake(const crypto::DhPublicKey& key, const peer::Tai64n& timestamp);
  bool OnEstablished(const std::shared_ptr<SyncConnection>& connection);
  void OnClosed(SyncConnection* connection);
  // Checks the signatures of `entries` on the verification thread, then calls `done` with
  // the verdicts on the daemon thread (unless the manager stopped first). `entries` must not
  // change meanwhile; `done` never runs on the verification thread.
  using VerdictsDone = std::function<void(std::vector<log::SignatureVerdict>)>;
  void VerifyInBackground(std::shared_ptr<const std::vector<log::Envelope>> entries,
                          VerdictsDone done);

 private:
  struct Target {
    DialTarget dial;
    Backoff backoff;
    std::chrono::steady_clock::time_point next_attempt{};
    bool dialing = false;  // from the TCP connect until the connection closes
  };
  struct Invitation;

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> DialLoop();
  asio::awaitable<void> Dial(std::string key);
  asio::awaitable<void> ServeInvitation(std::shared_ptr<FramedSocket> socket);
  asio::awaitable<void> RunJoin(pairing::PairingCode code, HostPort address,
                                std::function<void(Result<proto::JoinResponse>)> done);
  void AddTarget(const DialTarget& target);
  void RetryLater(Target& target);
  void RefreshTargets();
  void Remember(const DialTarget& target);
  void LoadRemembered();
  void EndInvitation(const std::string& state, const std::string& message);
  void NotifyInvitation(proto::InviteUpdate update);
  std::string MyName();

  asio::io_context& io_;
  Node& node_;
  std::string listen_option_;
  std::vector<std::string> peer_options_;
  bool discovery_ = true;  // LAN beacons wanted (--no-discovery clears it); not built yet
  std::string listen_address_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  std::map<std::string, Target> targets_;  // by device hex + " " + address
  std::map<log::DeviceKey, std::shared_ptr<SyncConnection>> established_;
  std::set<std::shared_ptr<SyncConnection>> all_;
  std::map<log::DeviceKey, crypto::DhPublicKey> pinned_;  // peers known from pairing
  peer::ReplayGuard replay_guard_;
  HandshakeSlots first_byte_slots_{kMaxAwaitingFirstByte, kMaxAwaitingFirstBytePerSource};
  HandshakeSlots inbound_slots_;
  HandshakeRate<crypto::DhPublicKey> handshake_rate_;
  std::unique_ptr<Invitation> invitation_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool push_scheduled_ = false;
  bool repair_scheduled_ = false;
  bool stopped_ = false;
  // Signature checks of received batches, off the daemon thread so that checking the next
  // batch overlaps storing this one. Last member: destroyed (stopped and joined) first.
  asio::thread_pool verify_pool_{1};
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_PEER_MANAGER_H_
