#include "daemon/sync/sender.h"

#include <algorithm>
#include <string>
#include <utility>

#include "daemon/sync/wire.h"

namespace accord::sync {

namespace {

// Entries read from the source at a time. Those that do not fit the batch are read again
// for the next one; a small chunk bounds that waste (and the memory of one read) while a
// batch of small entries still needs only a handful of reads.
constexpr size_t kReadChunk = 16;  // entries

Error Corrupt(const std::string& why) {
  return MakeError(ErrorCode::kCorrupt, "local log: " + why);
}

// Reads `author`'s entry at `seq` and checks it is what was asked for.
Result<std::pair<log::Envelope, log::EntryHeader>> ReadOne(const SyncSource& source,
                                                           const log::DeviceKey& author,
                                                           uint64_t seq) {
  Result<std::vector<log::Envelope>> read = source.Read(author, seq, 1);
  if (!read.ok()) return read.error();
  if (read->empty()) return Corrupt("no entry at seq " + std::to_string(seq));
  log::Envelope& entry = read->front();
  if (!HasEntrySizes(entry)) return Corrupt("entry with wrong field sizes");
  Result<log::EntryHeader> header = log::DecodeHeader(entry.header);
  if (!header.ok() || header->author != author || header->seq != seq) {
    return Corrupt("asked for seq " + std::to_string(seq) + " and got another entry");
  }
  return std::make_pair(std::move(entry), *header);
}

}  // namespace

void Sender::PeerHas(const log::DeviceKey& author, uint64_t seq) {
  Cursor& c = cursors_[author];
  c.peer_has = std::max(c.peer_has, seq);
}

Status Sender::CheckHeads(const std::map<log::DeviceKey, log::FeedHead>& peer_heads) {
  const std::map<log::DeviceKey, log::FeedHead> ours = source_.Heads();
  for (const auto& [author, theirs] : peer_heads) {
    PeerHas(author, theirs.seq);
    auto it = ours.find(author);
    // Only the side that holds the peer's head seq can compare; if the peer is ahead, it
    // compares our head against its own entry instead.
    if (it == ours.end() || it->second.seq < theirs.seq) continue;
    log::EntryId our_id = it->second.id;
    if (it->second.seq > theirs.seq) {
      auto entry = ReadOne(source_, author, theirs.seq);
      if (!entry.ok()) return entry.error();
      our_id = log::ComputeEntryId(entry->first.header);
    }
    if (our_id != theirs.id) {
      Cursor& c = cursors_[author];
      c.forked = true;
      c.evidence_seq = theirs.seq;
    }
  }
  return Status::Ok();
}

uint64_t Sender::SendableEnd(const Cursor& c, const log::FeedHead& head) {
  const uint64_t next = std::max(c.peer_has, c.sent) + 1;
  if (c.withheld_at != 0 && c.withheld_at >= next) return std::min(head.seq, c.withheld_at - 1);
  return head.seq;
}

uint64_t Sender::Remaining(const std::map<log::DeviceKey, log::FeedHead>& heads) const {
  uint64_t total = 0;
  for (const auto& [author, head] : heads) {
    auto it = cursors_.find(author);
    const Cursor c = it == cursors_.end() ? Cursor{} : it->second;
    if (c.forked) {
      total += c.evidence_seq != 0 ? 1 : 0;
      continue;
    }
    const uint64_t next = NextSeq(c);
    const uint64_t end = SendableEnd(c, head);
    if (end >= next) total += end - next + 1;
  }
  return total;
}

uint64_t Sender::Behind() const {
  uint64_t total = 0;
  for (const auto& [author, head] : source_.Heads()) {
    auto it = cursors_.find(author);
    const Cursor c = it == cursors_.end() ? Cursor{} : it->second;
    if (c.forked) continue;
    uint64_t end = head.seq;
    if (c.withheld_at > c.peer_has) end = std::min(end, c.withheld_at - 1);
    if (end > c.peer_has) total += end - c.peer_has;
  }
  return total;
}

Result<bool> Sender::Fill(const log::DeviceKey& author, const log::FeedHead& head, Cursor& c,
                          OutgoingBatch& batch, InFlight& record, size_t& bytes) {
  auto add = [&](log::Envelope entry, uint64_t seq) {
    bytes += EntryCost(entry);
    batch.entries.push_back(std::move(entry));
    uint64_t& last = record.last_seq[author];
    last = std::max(last, seq);
  };
  if (c.forked) {
    if (c.evidence_seq == 0) return true;
    auto entry = ReadOne(source_, author, c.evidence_seq);
    if (!entry.ok()) return entry.error();
    const Share share = source_.MaySend(entry->first, entry->second);
    if (share != Share::kNothing) {
      if (share == Share::kHeaderOnly) entry->first.sealed_body.clear();
      if (batch.entries.size() == kMaxEntriesPerBatch ||
          bytes + EntryCost(entry->first) > kMaxPeerMessageBytes) {
        return false;
      }
      add(std::move(entry->first), c.evidence_seq);
    }
    c.evidence_seq = 0;
    return true;
  }

  uint64_t next = NextSeq(c);
  const uint64_t end = SendableEnd(c, head);
  while (next <= end) {
    const size_t room = kMaxEntriesPerBatch - batch.entries.size();
    if (room == 0) return false;
    const size_t limit =
        static_cast<size_t>(std::min<uint64_t>({kReadChunk, room, end - next + 1}));
    Result<std::vector<log::Envelope>> chunk = source_.Read(author, next, limit);
    if (!chunk.ok()) return chunk.error();
    if (chunk->empty()) return Corrupt("no entry at seq " + std::to_string(next));
    if (chunk->size() > limit) return Corrupt("more entries than asked for");
    for (log::Envelope& entry : *chunk) {
      if (!HasEntrySizes(entry)) return Corrupt("entry with wrong field sizes");
      Result<log::EntryHeader> header = log::DecodeHeader(entry.header);
      if (!header.ok() || header->author != author || header->seq != next) {
        return Corrupt("asked for seq " + std::to_string(next) + " and got another entry");
      }
      // The peer cannot take anything after a gap, so a withheld entry ends the feed here.
      const Share share = source_.MaySend(entry, *header);
      if (share == Share::kNothing) {
        c.withheld_at = next;
        return true;
      }
      if (share == Share::kHeaderOnly) entry.sealed_body.clear();
      if (bytes + EntryCost(entry) > kMaxPeerMessageBytes) return false;
      add(std::move(entry), next);
      c.sent = next++;
    }
  }
  return true;
}

Result<std::optional<OutgoingBatch>> Sender::NextBatch() {
  if (in_flight_.size() >= kMaxInFlightBatches) return std::optional<OutgoingBatch>();
  const std::map<log::DeviceKey, log::FeedHead> heads = source_.Heads();
  OutgoingBatch batch;
  batch.batch_id = next_batch_id_;
  InFlight record;
  record.batch_id = next_batch_id_;
  size_t bytes = kBatchFramingBytes;
  std::vector<log::DeviceKey> order = source_.SendOrder();
  for (const auto& [author, head] : heads) {
    if (std::find(order.begin(), order.end(), author) == order.end()) order.push_back(author);
  }
  for (const log::DeviceKey& author : order) {
    auto head = heads.find(author);
    if (head == heads.end()) continue;
    Result<bool> more = Fill(author, head->second, cursors_[author], batch, record, bytes);
    if (!more.ok()) return more.error();
    if (!*more) break;
  }
  if (batch.entries.empty() && told_behind_ == 0) return std::optional<OutgoingBatch>();
  batch.total_behind = Remaining(heads);
  told_behind_ = batch.total_behind;
  in_flight_.push_back(std::move(record));
  ++next_batch_id_;
  return std::optional<OutgoingBatch>(std::move(batch));
}

void Sender::ForgetWithheld() {
  for (auto& [author, c] : cursors_) c.withheld_at = 0;
}

std::map<log::DeviceKey, std::pair<uint64_t, uint64_t>> Sender::Unacked() const {
  std::map<log::DeviceKey, std::pair<uint64_t, uint64_t>> out;
  for (const auto& [author, c] : cursors_) {
    if (c.sent > c.peer_has) out[author] = {c.peer_has + 1, c.sent};
  }
  return out;
}

Status Sender::OnAck(uint64_t batch_id) {
  if (in_flight_.empty() || in_flight_.front().batch_id != batch_id) {
    return MakeError(ErrorCode::kInvalidArgument, "ack for batch " + std::to_string(batch_id) +
                                                      ", which is not the oldest sent");
  }
  for (const auto& [author, seq] : in_flight_.front().last_seq) PeerHas(author, seq);
  in_flight_.pop_front();
  return Status::Ok();
}

}  // namespace accord::sync
