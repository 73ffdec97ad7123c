// SyncSession: the peer-to-peer sync protocol as a pure state machine (SPEC §5, SECURITY
// §5.6, docs/sync.md): decrypted PeerMessages and edge events in, a list of actions out.
// One thread (the connection's). No sockets, no store, no clock: the edge does those.
#ifndef ACCORD_DAEMON_SYNC_SESSION_H_
#define ACCORD_DAEMON_SYNC_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "daemon/log/author.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"

namespace accord::sync {

constexpr size_t kMaxPeerMessageBytes = 65279;  // bytes: one padded channel plaintext
constexpr size_t kMaxInFlightBatches = 4;       // unacknowledged batches per direction
constexpr size_t kMaxEntriesPerBatch = 1024;    // refused above this before anything else

// How much of one entry a peer may have (SyncSource::MaySend).
enum class Share {
  kWhole,       // header, signature and body
  kHeaderOnly,  // header and signature: the author's chain stays whole, the body stays here
                // (another member's private entry, or a body held damaged or missing)
  kNothing,     // not even the header (one held damaged): the feed stops before it
};

// What the session may ask of this device's log. Implemented by the edge (store + membership).
class SyncSource {
 public:
  virtual ~SyncSource() = default;
  virtual std::map<log::DeviceKey, log::FeedHead> Heads() const = 0;
  // `author`'s envelopes with seq >= from_seq, ascending, at most `limit`.
  virtual Result<std::vector<log::Envelope>> Read(const log::DeviceKey& author, uint64_t from_seq,
                                                  size_t limit) const = 0;
  // How much of `entry` (whose header decodes to `header`) this peer may have. Everything
  // the session sends, in batches, as fork evidence and as repair copies, goes through this.
  virtual Share MaySend(const log::Envelope& entry, const log::EntryHeader& header) const = 0;
  // Authors whose feeds go first, in this order (the rest follow in key order). A device's
  // entries only validate after the entry that introduced it, so introducers come first.
  virtual std::vector<log::DeviceKey> SendOrder() const { return {}; }
  // Repair (docs/sync.md): ids of entries held damaged or without a body this peer may have
  // whole, at most `limit`; and a whole copy of entry `id`, if held intact (nullopt
  // otherwise); the session sends it only where MaySend says kWhole.
  virtual std::vector<log::EntryId> WantedBodies(size_t /*limit*/) const { return {}; }
  virtual Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& /*id*/) const {
    return std::optional<log::Envelope>();
  }
};

struct SendMessage {  // one serialized PeerMessage, <= kMaxPeerMessageBytes
  Bytes plaintext;
};
struct StoreBatch {  // edge: IngestBatch + AppendBatch, then OnBatchStored
  uint64_t batch_id;
  std::vector<log::Envelope> entries;
  std::vector<log::EntryHeader> headers;  // entries[i].header, decoded once by the wire
};
struct RecordFork {  // a received proof for the edge to verify and keep
  log::Envelope existing;
  log::Envelope conflicting;
};
struct CloseSession {  // send nothing more; the edge sends SyncClose if appropriate and closes
  std::string reason;
};
struct Progress {  // entries received so far / still announced
  uint64_t received;
  uint64_t behind;
};
struct RepairEntries {  // requested copies for the edge to check (log::IsIntactCopy) and keep
  std::vector<log::Envelope> entries;
};
struct PeerHeads {  // the peer's Hello: what it holds of every feed (e.g. more of our own)
  std::map<log::DeviceKey, log::FeedHead> heads;
};
using Action = std::variant<SendMessage, StoreBatch, RecordFork, CloseSession, Progress,
                            RepairEntries, PeerHeads>;

class Sender;

class SyncSession {
 public:
  enum class Role { kInitiator, kResponder };

  // `source` must outlive the session.
  SyncSession(Role role, const SyncSource& source);
  ~SyncSession();
  // A copy of `other` as it stands that reads `source` from now on: the model checker
  // (tests/model/) forks a state this way. `source` must outlive the copy; a copy of a
  // session continues exactly as the original would on the same inputs.
  SyncSession(const SyncSession& other, const SyncSource& source);
  SyncSession(const SyncSession&) = delete;
  SyncSession& operator=(const SyncSession&) = delete;

  std::vector<Action> Start();                        // initiator: its Hello; responder: nothing
  std::vector<Action> OnMessage(ByteView plaintext);  // one decrypted PeerMessage
  std::vector<Action> OnBatchStored(uint64_t batch_id, const Status& result);  // error -> close
  std::vector<Action> OnLocalChange();  // the source has new entries: push what the peer lacks
  std::vector<Action> OnForkDetected(const log::Envelope& existing,
                                     const log::Envelope& conflicting);  // pass the proof on
  // The source wants more bodies repaired (new damage found): ask the peer for them.
  std::vector<Action> OnRepairWanted();
  // Entries the source held damaged were repaired: what MaySend withheld may go now.
  std::vector<Action> OnRepaired();

  uint64_t entries_behind() const;  // entries we know the peer still lacks (for status)
  // Per author, the seqs [first, last] we sent that the peer has not acknowledged: what to
  // check for damage when the peer ends the session (it may have refused one of them).
  std::map<log::DeviceKey, std::pair<uint64_t, uint64_t>> Unacked() const;
  uint64_t entries_received() const { return entries_received_; }
  // Both Hellos exchanged and nothing owed either way; stays true once reached.
  bool initial_sync_done() const { return initial_sync_done_; }
  bool closed() const { return closed_; }

 private:
  struct PendingStore {
    uint64_t batch_id = 0;
    bool empty = false;  // nothing to store: acked once every earlier batch is
  };
  using ForkKey = std::pair<log::DeviceKey, uint64_t>;  // (author, seq)

  bool Ready() const { return hello_sent_ && hello_received_; }
  void Close(std::string reason, std::vector<Action>& out);
  void SendHello(std::vector<Action>& out);
  void Pump(std::vector<Action>& out);
  void SendFork(const log::Envelope& existing, const log::Envelope& conflicting,
                std::vector<Action>& out);
  void UpdateDone();

  void HandleHello(const std::map<log::DeviceKey, log::FeedHead>& heads, std::vector<Action>& out);
  void HandleBatch(uint64_t batch_id, std::vector<log::Envelope> entries,
                   std::vector<log::EntryHeader> headers, uint64_t total_behind,
                   std::vector<Action>& out);
  void HandleAck(uint64_t batch_id, std::vector<Action>& out);
  void HandleFork(log::Envelope existing, log::Envelope conflicting, std::vector<Action>& out);
  void RequestRepairs(std::vector<Action>& out);
  void HandleBodyRequest(const std::vector<log::EntryId>& ids, std::vector<Action>& out);
  void HandleBodyReply(std::vector<log::Envelope> entries, const std::vector<log::EntryId>& ids,
                       std::vector<Action>& out);

  const Role role_;
  const SyncSource& source_;
  std::unique_ptr<Sender> sender_;  // our side: cursors, batches in flight

  bool started_ = false;
  bool hello_sent_ = false;
  bool hello_received_ = false;
  bool closed_ = false;
  bool initial_sync_done_ = false;

  // The peer's side: batches handed to the edge (or empty) and not yet acknowledged.
  std::deque<PendingStore> pending_;
  uint64_t last_batch_received_ = 0;           // the peer numbers its batches 1, 2, 3 ...
  std::optional<uint64_t> peer_total_behind_;  // from the peer's latest batch
  uint64_t entries_received_ = 0;

  // Fork proofs already exchanged either way (not echoed back), and ones waiting for Hellos.
  std::set<ForkKey> forks_seen_;
  std::vector<std::pair<log::Envelope, log::Envelope>> forks_waiting_;

  // Repair: ids asked of this peer and not yet answered (never asked twice per session).
  std::set<log::EntryId> repairs_asked_;
  size_t repairs_asked_total_ = 0;
};

}  // namespace accord::sync

#endif  // ACCORD_DAEMON_SYNC_SESSION_H_
