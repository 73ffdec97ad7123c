// Sender: our half of a sync session: what the peer holds per author, what is in flight,
// and packing the next EntryBatch (size cap, flow-control window). Pure; the session's thread.
// Message order and the peer's half (receiving, acking) belong to SyncSession.
#ifndef ACCORD_DAEMON_SYNC_SENDER_H_
#define ACCORD_DAEMON_SYNC_SENDER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "base/result.h"
#include "daemon/log/entry.h"
#include "daemon/sync/session.h"

namespace accord::sync {

struct OutgoingBatch {
  uint64_t batch_id = 0;
  std::vector<log::Envelope> entries;
  uint64_t total_behind = 0;
};

class Sender {
 public:
  // `source` must outlive the sender.
  explicit Sender(const SyncSource& source) : source_(source) {}
  // A copy of `other` that reads `source` (SyncSession's forking copy).
  Sender(const Sender& other, const SyncSource& source)
      : source_(source),
        cursors_(other.cursors_),
        in_flight_(other.in_flight_),
        next_batch_id_(other.next_batch_id_),
        told_behind_(other.told_behind_) {}

  // The peer holds `author`'s feed up to `seq` (its Hello, an ack, or entries it sent us).
  void PeerHas(const log::DeviceKey& author, uint64_t seq);
  // Compares the peer's Hello heads with ours. Where the peer holds a different entry at a
  // seq we hold, the author forked: we send our entry at that seq once (the peer's ingest
  // then finds the fork and shares the proof) and nothing more of that feed.
  Status CheckHeads(const std::map<log::DeviceKey, log::FeedHead>& peer_heads);

  // The next batch to send, or nullopt when the window is full or there is nothing to send
  // and the peer already heard total_behind == 0. The first call after the Hellos always
  // yields a batch, even an empty one: it tells the peer where our initial round ends.
  // kCorrupt if the local log returns entries that are not what was asked for.
  Result<std::optional<OutgoingBatch>> NextBatch();
  // The peer stored the oldest batch in flight. kInvalidArgument for any other id.
  Status OnAck(uint64_t batch_id);

  // Entries the peer is known to lack (acked basis; withheld and forked feeds excluded).
  uint64_t Behind() const;
  // Nothing in flight and the peer was told total_behind == 0.
  bool Idle() const { return in_flight_.empty() && told_behind_ == 0; }
  // Entries sent in this session whose batch the peer has not acknowledged.
  size_t in_flight_batches() const { return in_flight_.size(); }
  // Entries MaySend withheld may be sendable now (a damaged header was repaired): ask again.
  void ForgetWithheld();
  // Per author, the seqs [first, last] sent and not yet acknowledged.
  std::map<log::DeviceKey, std::pair<uint64_t, uint64_t>> Unacked() const;

 private:
  struct Cursor {
    uint64_t peer_has = 0;      // the peer holds 1..peer_has (Hello, acks, what it sent us)
    uint64_t sent = 0;          // highest seq sent in this session (acked or not)
    uint64_t withheld_at = 0;   // MaySend withheld this seq: the feed stops before it
    bool forked = false;        // the peer's feed differs from ours: send nothing more
    uint64_t evidence_seq = 0;  // our entry at this seq still goes out as fork evidence
  };
  struct InFlight {
    uint64_t batch_id = 0;
    std::map<log::DeviceKey, uint64_t> last_seq;  // per author, the highest seq in the batch
  };

  uint64_t NextSeq(const Cursor& c) const { return std::max(c.peer_has, c.sent) + 1; }
  // The last seq of `head` we can send this peer (before a withheld entry).
  static uint64_t SendableEnd(const Cursor& c, const log::FeedHead& head);
  uint64_t Remaining(const std::map<log::DeviceKey, log::FeedHead>& heads) const;
  // Adds `author`'s entries from its cursor to `batch`; false once the batch is full.
  Result<bool> Fill(const log::DeviceKey& author, const log::FeedHead& head, Cursor& c,
                    OutgoingBatch& batch, InFlight& record, size_t& bytes);

  const SyncSource& source_;
  std::map<log::DeviceKey, Cursor> cursors_;
  std::deque<InFlight> in_flight_;
  uint64_t next_batch_id_ = 1;
  std::optional<uint64_t> told_behind_;  // total_behind of our latest batch
};

}  // namespace accord::sync

#endif  // ACCORD_DAEMON_SYNC_SENDER_H_
