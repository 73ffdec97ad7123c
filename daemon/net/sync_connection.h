// One sync connection with one peer device: the Noise IK handshake (as initiator or
// responder), then a SyncSession whose actions this edge carries out through its SyncHost.
// Daemon thread only. Which peers to dial and keeping one connection per device is the
// host's business (PeerManager); the connection never calls anything else.
#ifndef ACCORD_DAEMON_NET_SYNC_CONNECTION_H_
#define ACCORD_DAEMON_NET_SYNC_CONNECTION_H_

#include <deque>
#include <memory>
#include <optional>
#include <span>

#include "daemon/log/signatures.h"
#include "daemon/net/admission.h"
#include "daemon/net/dial_target.h"
#include "daemon/net/framed_socket.h"
#include "daemon/net/sync_host.h"
#include "daemon/peer/channel.h"
#include "daemon/sync/session.h"

namespace accord::daemon {

constexpr std::chrono::seconds kIdleTimeout{120};       // a session silent this long is closed
constexpr std::chrono::seconds kKeepaliveInterval{40};  // send a keepalive after this quiet
// Sessions are short (SECURITY §4.3: re-handshake instead of rekeying): the initiator ends
// its session after this and dials again; the responder's cap is a little later, so the
// side that can redial is the one that ends it.
constexpr std::chrono::minutes kSessionLifetime{60};
constexpr std::chrono::minutes kResponderLifetime{62};

class SyncConnection : public std::enable_shared_from_this<SyncConnection> {
 public:
  // Initiator: `socket` is connected to `target`. Responder: the type byte was read, and
  // `handshake_slot` is held until the handshake ends either way (marked proven once the
  // initiator's first message names a pact device).
  SyncConnection(SyncHost& host, asio::ip::tcp::socket socket, std::optional<DialTarget> target,
                 std::shared_ptr<HandshakeSlots::Slot> handshake_slot = {});
  ~SyncConnection();
  void Start();
  // New entries in the log: push what the peer lacks.
  void Push();
  // Asks the peer for intact copies of what this device holds damaged.
  void AskForRepairs();
  // Entries held damaged were repaired: send what waited behind them.
  void PushRepaired();
  // A fork proof this device just learned of: tell the peer (SPEC §3: proofs are passed on).
  void PassOnFork(const log::Envelope& existing, const log::Envelope& conflicting);
  void Close(const std::string& reason);

  bool established() const { return session_ != nullptr && !closed_; }
  bool initiator() const { return target_.has_value(); }
  const std::optional<DialTarget>& target() const { return target_; }
  // The peer sent a frame that decrypted: the handshake was accepted on both ends.
  bool heard_from_peer() const { return channel_ && channel_->opened() > 0; }
  std::chrono::steady_clock::time_point established_at() const { return established_at_; }
  const log::DeviceKey& device() const { return device_; }
  uint64_t entries_behind() const { return session_ ? session_->entries_behind() : 0; }
  uint64_t received() const { return received_; }
  uint64_t receiving_total() const { return receiving_total_; }
  std::string remote() const { return socket_.remote(); }
  asio::ip::address local_address() const { return socket_.local_address(); }
  asio::ip::address remote_address() const { return socket_.remote_address(); }
  const std::string& close_reason() const { return close_reason_; }
  bool unread_bytes_waiting() const { return socket_.unread_bytes_waiting(); }

 private:
  asio::awaitable<void> Run();
  asio::awaitable<bool> HandshakeAsInitiator();
  asio::awaitable<bool> HandshakeAsResponder();
  asio::awaitable<void> Heartbeat();
  void Execute(std::vector<sync::Action> actions);
  void CheckUnacked();
  // Received batches are stored in order. A large one has its signatures checked on the
  // verification thread first (overlapping the store of the one before); a small one with
  // nothing ahead of it is stored at once (a live push stays fast).
  void QueueBatch(sync::StoreBatch batch);
  void OnVerified(uint64_t batch_id, std::vector<log::SignatureVerdict> verdicts);
  void StoreReady();
  void Store(uint64_t batch_id, std::span<const log::Envelope> entries,
             std::span<const log::EntryHeader> headers,
             std::span<const log::SignatureVerdict> verdicts);
  void Send(const Bytes& plaintext);

  SyncHost& host_;
  FramedSocket socket_;
  std::optional<DialTarget> target_;
  std::shared_ptr<HandshakeSlots::Slot> handshake_slot_;
  asio::steady_timer heartbeat_;
  std::chrono::steady_clock::time_point established_at_{};
  std::chrono::steady_clock::time_point last_sent_{};
  log::DeviceKey device_{};
  std::unique_ptr<peer::SecureChannel> channel_;
  std::unique_ptr<sync::SyncSource> source_;
  std::unique_ptr<sync::SyncSession> session_;
  struct PendingBatch {
    uint64_t id;
    std::shared_ptr<const std::vector<log::Envelope>> entries;
    std::shared_ptr<const std::vector<log::EntryHeader>> headers;  // decoded by the wire
    std::optional<std::vector<log::SignatureVerdict>> verdicts;    // set once checked
  };
  std::deque<PendingBatch> pending_;  // in the order the session asked to store them
  bool storing_ = false;              // StoreReady is on the stack
  uint64_t received_ = 0;             // entries of this session's batches stored (new or not)
  uint64_t receiving_total_ = 0;      // received_ plus what the peer still announces
  bool closed_ = false;
  std::string close_reason_;
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_SYNC_CONNECTION_H_
