#include "daemon/sync/session.h"

#include <string>
#include <utility>

#include "daemon/sync/sender.h"
#include "daemon/sync/wire.h"

namespace accord::sync {

namespace {

// Fork proofs remembered per session to avoid echoing one back; past this many (a peer
// flooding proofs) an echo is possible, which is harmless: the edge keeps proofs by id.
constexpr size_t kMaxForksRemembered = 1024;  // proofs
// Proofs the edge hands us before the Hellos are exchanged, sent once they are.
constexpr size_t kMaxForksWaiting = 16;  // proofs
// Entries one session asks its peer to repair, in all: the rest wait for the next session.
constexpr size_t kMaxRepairsPerSession = 4096;  // entries

std::optional<std::pair<log::DeviceKey, uint64_t>> ForkKeyOf(const log::Envelope& conflicting) {
  Result<log::EntryHeader> header = log::DecodeHeader(conflicting.header);
  if (!header.ok()) return std::nullopt;
  return std::make_pair(header->author, header->seq);
}

}  // namespace

SyncSession::SyncSession(Role role, const SyncSource& source)
    : role_(role), source_(source), sender_(std::make_unique<Sender>(source)) {}

SyncSession::SyncSession(const SyncSession& other, const SyncSource& source)
    : role_(other.role_),
      source_(source),
      sender_(std::make_unique<Sender>(*other.sender_, source)),
      started_(other.started_),
      hello_sent_(other.hello_sent_),
      hello_received_(other.hello_received_),
      closed_(other.closed_),
      initial_sync_done_(other.initial_sync_done_),
      pending_(other.pending_),
      last_batch_received_(other.last_batch_received_),
      peer_total_behind_(other.peer_total_behind_),
      entries_received_(other.entries_received_),
      forks_seen_(other.forks_seen_),
      forks_waiting_(other.forks_waiting_),
      repairs_asked_(other.repairs_asked_),
      repairs_asked_total_(other.repairs_asked_total_) {}

SyncSession::~SyncSession() = default;

uint64_t SyncSession::entries_behind() const { return sender_->Behind(); }

std::map<log::DeviceKey, std::pair<uint64_t, uint64_t>> SyncSession::Unacked() const {
  return sender_->Unacked();
}

void SyncSession::Close(std::string reason, std::vector<Action>& out) {
  if (closed_) return;
  closed_ = true;
  out.push_back(CloseSession{std::move(reason)});
}

void SyncSession::SendHello(std::vector<Action>& out) {
  Bytes hello = EncodeHello(source_.Heads());
  // One head is ~75 bytes, so this is several hundred devices: far past a household.
  if (hello.size() > kMaxPeerMessageBytes) return Close("too many authors for one Hello", out);
  hello_sent_ = true;
  out.push_back(SendMessage{std::move(hello)});
}

// Sends batches while the window allows and something is owed (or the peer has not yet
// heard that nothing more is coming). Bounded by kMaxInFlightBatches.
void SyncSession::Pump(std::vector<Action>& out) {
  if (closed_ || !Ready()) return;
  while (true) {
    Result<std::optional<OutgoingBatch>> batch = sender_->NextBatch();
    if (!batch.ok()) return Close("cannot read the local log: " + batch.error().message, out);
    if (!batch->has_value()) break;
    OutgoingBatch& b = **batch;
    Bytes encoded = EncodeBatch(b.batch_id, b.entries, b.total_behind);
    // The sender packs by EntryCost, so this is our own bug if it ever happens: close
    // rather than send a frame the channel cannot carry.
    if (encoded.size() > kMaxPeerMessageBytes) return Close("a batch outgrew one message", out);
    out.push_back(SendMessage{std::move(encoded)});
  }
}

void SyncSession::UpdateDone() {
  if (initial_sync_done_ || closed_ || !Ready()) return;
  const bool peer_done = peer_total_behind_ == 0 && pending_.empty();
  initial_sync_done_ = peer_done && sender_->Idle();
}

std::vector<Action> SyncSession::Start() {
  std::vector<Action> out;
  if (started_ || closed_) return out;
  started_ = true;
  // IK gives the responder only weak forward secrecy until the initiator's first transport
  // message arrives (SECURITY §4.2): the responder stays silent until then.
  if (role_ == Role::kInitiator) SendHello(out);
  return out;
}

std::vector<Action> SyncSession::OnMessage(ByteView plaintext) {
  std::vector<Action> out;
  if (closed_) return out;
  Result<PeerMsg> decoded = DecodePeerMessage(plaintext);
  if (!decoded.ok()) {
    Close("protocol violation: " + decoded.error().message, out);
    return out;
  }
  PeerMsg& msg = *decoded;
  if (auto* close = std::get_if<CloseMsg>(&msg)) {
    Close("peer closed the session: " + close->reason, out);
    return out;
  }
  if (std::holds_alternative<KeepaliveMsg>(msg)) return out;  // liveness only
  if (auto* hello = std::get_if<HelloMsg>(&msg)) {
    HandleHello(hello->heads, out);
  } else if (!Ready()) {
    Close("protocol violation: a message before the Hellos", out);
  } else if (auto* batch = std::get_if<BatchMsg>(&msg)) {
    HandleBatch(batch->batch_id, std::move(batch->entries), std::move(batch->headers),
                batch->total_behind, out);
  } else if (auto* ack = std::get_if<AckMsg>(&msg)) {
    HandleAck(ack->batch_id, out);
  } else if (auto* fork = std::get_if<ForkMsg>(&msg)) {
    HandleFork(std::move(fork->existing), std::move(fork->conflicting), out);
  } else if (auto* request = std::get_if<BodyRequestMsg>(&msg)) {
    HandleBodyRequest(request->ids, out);
  } else if (auto* reply = std::get_if<BodyReplyMsg>(&msg)) {
    HandleBodyReply(std::move(reply->entries), reply->ids, out);
  }
  UpdateDone();
  return out;
}

void SyncSession::HandleHello(const std::map<log::DeviceKey, log::FeedHead>& heads,
                              std::vector<Action>& out) {
  if (hello_received_) return Close("protocol violation: a second Hello", out);
  if (role_ == Role::kInitiator && !hello_sent_) {
    return Close("protocol violation: the responder spoke first", out);
  }
  hello_received_ = true;
  Status checked = sender_->CheckHeads(heads);
  if (!checked.ok()) return Close("cannot read the local log: " + checked.error().message, out);
  if (role_ == Role::kResponder) {
    started_ = true;
    SendHello(out);
    if (closed_) return;
  }
  for (auto& [existing, conflicting] : forks_waiting_) SendFork(existing, conflicting, out);
  forks_waiting_.clear();
  Pump(out);
  RequestRepairs(out);
  // The edge learns whether the peer holds more of a feed than we do (of our own feed: we
  // were restored from an older copy and must not author until we have caught up).
  if (!closed_) out.push_back(PeerHeads{heads});
}

// Asks the peer for every wanted body not yet asked in this session, up to the session cap.
void SyncSession::RequestRepairs(std::vector<Action>& out) {
  if (closed_ || !Ready()) return;
  while (repairs_asked_total_ < kMaxRepairsPerSession) {
    const size_t room = kMaxRepairsPerSession - repairs_asked_total_;
    std::vector<log::EntryId> ids;
    for (const log::EntryId& id : source_.WantedBodies(room + repairs_asked_.size())) {
      if (ids.size() == kMaxBodyRequestIds || ids.size() == room) break;
      if (!repairs_asked_.contains(id)) ids.push_back(id);
    }
    if (ids.empty()) return;
    for (const log::EntryId& id : ids) repairs_asked_.insert(id);
    repairs_asked_total_ += ids.size();
    out.push_back(SendMessage{EncodeBodyRequest(ids)});
    if (ids.size() < kMaxBodyRequestIds) return;
  }
}

// Answers with whole copies of the requested entries this side holds intact and may share,
// packed into replies that each fit one message. Ids we lack are left out, not errors.
void SyncSession::HandleBodyRequest(const std::vector<log::EntryId>& ids,
                                    std::vector<Action>& out) {
  std::vector<log::Envelope> reply;
  size_t bytes = kBatchFramingBytes;
  for (const log::EntryId& id : ids) {
    Result<std::optional<log::Envelope>> copy = source_.IntactCopy(id);
    if (!copy.ok()) return Close("cannot read the local log: " + copy.error().message, out);
    if (!copy->has_value()) continue;
    // A copy goes whole or not at all: a body this peer may not have stays here.
    Result<log::EntryHeader> header = log::DecodeHeader((*copy)->header);
    if (!header.ok() || source_.MaySend(**copy, *header) != Share::kWhole) continue;
    const size_t cost = EntryCost(**copy);
    if (!reply.empty() && bytes + cost > kMaxPeerMessageBytes) {
      out.push_back(SendMessage{EncodeBodyReply(reply)});
      reply.clear();
      bytes = kBatchFramingBytes;
    }
    bytes += cost;
    reply.push_back(std::move(**copy));
  }
  if (!reply.empty()) out.push_back(SendMessage{EncodeBodyReply(reply)});
}

// Only copies of entries we asked for are taken; anything else is a protocol violation.
void SyncSession::HandleBodyReply(std::vector<log::Envelope> entries,
                                  const std::vector<log::EntryId>& ids, std::vector<Action>& out) {
  for (const log::EntryId& id : ids) {
    if (!repairs_asked_.contains(id)) {
      return Close("protocol violation: a body that was not asked for", out);
    }
  }
  for (const log::EntryId& id : ids) repairs_asked_.erase(id);
  if (!entries.empty()) out.push_back(RepairEntries{std::move(entries)});
}

std::vector<Action> SyncSession::OnRepaired() {
  std::vector<Action> out;
  sender_->ForgetWithheld();
  Pump(out);
  UpdateDone();
  return out;
}

std::vector<Action> SyncSession::OnRepairWanted() {
  std::vector<Action> out;
  RequestRepairs(out);
  return out;
}

void SyncSession::HandleBatch(uint64_t batch_id, std::vector<log::Envelope> entries,
                              std::vector<log::EntryHeader> headers, uint64_t total_behind,
                              std::vector<Action>& out) {
  if (pending_.size() >= kMaxInFlightBatches) {
    return Close("protocol violation: more batches than the flow-control window", out);
  }
  if (batch_id != last_batch_received_ + 1) {
    return Close("protocol violation: batch " + std::to_string(batch_id) + " out of order", out);
  }
  // Ascending, contiguous seq per author: what the protocol promises and ingest expects.
  std::map<log::DeviceKey, uint64_t> last;
  for (const log::EntryHeader& h : headers) {
    auto [it, inserted] = last.try_emplace(h.author, h.seq);
    if (!inserted && h.seq != it->second + 1) {
      return Close("protocol violation: entries not in ascending seq per author", out);
    }
    it->second = h.seq;
  }
  last_batch_received_ = batch_id;
  peer_total_behind_ = total_behind;
  entries_received_ += entries.size();
  // The peer holds what it sent: never send those entries back to it.
  for (const auto& [author, seq] : last) sender_->PeerHas(author, seq);
  out.push_back(Progress{entries_received_, total_behind});
  if (entries.empty()) {
    if (pending_.empty()) {
      out.push_back(SendMessage{EncodeAck(batch_id)});
    } else {
      pending_.push_back(PendingStore{batch_id, true});
    }
    return;
  }
  pending_.push_back(PendingStore{batch_id, false});
  out.push_back(StoreBatch{batch_id, std::move(entries), std::move(headers)});
}

void SyncSession::HandleAck(uint64_t batch_id, std::vector<Action>& out) {
  Status acked = sender_->OnAck(batch_id);
  if (!acked.ok()) return Close("protocol violation: " + acked.error().message, out);
  Pump(out);
}

void SyncSession::HandleFork(log::Envelope existing, log::Envelope conflicting,
                             std::vector<Action>& out) {
  if (auto key = ForkKeyOf(conflicting); key && forks_seen_.size() < kMaxForksRemembered) {
    forks_seen_.insert(*key);
  }
  out.push_back(RecordFork{std::move(existing), std::move(conflicting)});
}

std::vector<Action> SyncSession::OnBatchStored(uint64_t batch_id, const Status& result) {
  std::vector<Action> out;
  if (closed_) return out;
  if (pending_.empty() || pending_.front().empty || pending_.front().batch_id != batch_id) {
    Close("the store reported batch " + std::to_string(batch_id) +
              ", which is not the next one awaiting storage",
          out);
    return out;
  }
  if (!result.ok()) {
    // All or nothing: a batch with one bad entry is refused whole, and so is this peer.
    Close("batch " + std::to_string(batch_id) + " rejected: " + result.error().message, out);
    return out;
  }
  // Acked only now, after the store committed: an ack is a promise that survives a crash.
  out.push_back(SendMessage{EncodeAck(batch_id)});
  pending_.pop_front();
  while (!pending_.empty() && pending_.front().empty) {
    out.push_back(SendMessage{EncodeAck(pending_.front().batch_id)});
    pending_.pop_front();
  }
  UpdateDone();
  return out;
}

std::vector<Action> SyncSession::OnLocalChange() {
  std::vector<Action> out;
  Pump(out);
  UpdateDone();
  return out;
}

void SyncSession::SendFork(const log::Envelope& existing, const log::Envelope& conflicting,
                           std::vector<Action>& out) {
  // Only well-formed proofs leave; the edge built them, so anything else is its bug.
  if (!HasEntrySizes(existing) || !HasEntrySizes(conflicting)) return;
  std::optional<ForkKey> key = ForkKeyOf(conflicting);
  if (!key || forks_seen_.contains(*key)) return;
  if (forks_seen_.size() < kMaxForksRemembered) forks_seen_.insert(*key);
  out.push_back(SendMessage{EncodeFork(existing, conflicting)});
}

std::vector<Action> SyncSession::OnForkDetected(const log::Envelope& existing,
                                                const log::Envelope& conflicting) {
  std::vector<Action> out;
  if (closed_) return out;
  if (!Ready()) {
    if (forks_waiting_.size() < kMaxForksWaiting) {
      forks_waiting_.emplace_back(existing, conflicting);
    }
    return out;
  }
  SendFork(existing, conflicting, out);
  return out;
}

}  // namespace accord::sync
