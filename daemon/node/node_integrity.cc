// Node: integrity of the stored log — which entries are held damaged or without a body this
// device should hold, what may be sent of them, and their repair from a peer's intact copy.
#include "crypto/sign.h"
#include "daemon/log/signatures.h"
#include "daemon/log/validate.h"
#include "daemon/logging.h"
#include "daemon/node/node.h"

namespace accord::daemon {

// Every shared and control entry, and this member's private ones (in private chains, or, from
// log format 1, in the feed of one of its devices) unless erased on purpose. A copy of my
// member's entry that came header-only (relayed by a partner, who never holds the body) is
// missing its body here and is repaired from my member's devices. Another member's format-1
// private entries came without their bodies; their chains never come at all (SPEC §3).
bool Node::ExpectsBody(const log::EntryHeader& header, const log::EntryId& id) {
  if (erased_.count(id) != 0) return false;
  if (WithoutHistory(header)) return false;  // from before this newcomer came
  if (header.scope != log::Scope::kPrivate || header.author == device_key_ ||
      chain_device_.count(header.author) != 0) {
    return true;
  }
  std::optional<state::MemberId> author = MemberOf(header.author);
  return author && *author == member();
}

void Node::NoteIfMissing(const log::VerifiedEntry& e) {
  if (!log::IsWithheld(e.header, e.envelope) || !ExpectsBody(e.header, e.id)) return;
  NoteDamage(e.id, DamagedEntry{log::Damage::kMissingBody, e.header.author, e.header.seq});
}

bool Node::CheckAtRefold(const store::StoredEntry& e) {
  const log::Damage damage = log::CheckStoredBytes(e.id, e.header, e.envelope);
  if (damage == log::Damage::kNone) return true;
  if (damage == log::Damage::kMissingBody && !ExpectsBody(e.header, e.id)) return false;
  damaged_[e.id] = DamagedEntry{damage, e.header.author, e.header.seq};
  return false;
}

void Node::NotifyChange(const ChangeNotice& notice) {
  for (const ChangeListener& listener : change_listeners_) listener(notice);
}

void Node::NoteDamage(const log::EntryId& id, const DamagedEntry& damaged) {
  auto [it, inserted] = damaged_.try_emplace(id, damaged);
  if (!inserted && it->second.damage == damaged.damage) return;
  it->second = damaged;
  LogWarning("entry " + ToHex(id).substr(0, 8) + ": " +
             std::string(log::DamageName(damaged.damage)) + "; asking peers for a good copy");
  NotifyChange(ChangeNotice::Integrity({IntegrityNotice::Kind::kDamaged, id, damaged.damage, ""}));
  if (damaged.damage == log::Damage::kHeader && damaged.author == device_key_) ResignOwn(id);
}

// Our own entry whose header still hashes to its id but whose signature went bad: Ed25519
// is deterministic, so signing the header again gives back exactly what we signed then.
void Node::ResignOwn(const log::EntryId& id) {
  Result<log::Envelope> stored = store_->GetEnvelope(id);
  if (!stored.ok() || stored->header.size() != log::kHeaderBytes ||
      log::ComputeEntryId(stored->header) != id) {
    return;  // the header bytes themselves changed: only a peer's copy can help
  }
  const crypto::Signature signature = identity_->signing.Sign(stored->header);
  log::Envelope copy = *stored;
  copy.signature.assign(signature.begin(), signature.end());
  Result<size_t> repaired = Repair(std::span<const log::Envelope>(&copy, 1), "its own key");
  if (!repaired.ok()) LogWarning("cannot store the re-signed entry: " + repaired.error().message);
}

Result<size_t> Node::CheckSent(const log::DeviceKey& author, uint64_t first, uint64_t last) {
  constexpr size_t kMaxChecked = 8192;  // entries: a few batches' worth, bounded whatever asks
  if (last < first) return size_t{0};
  const size_t count = static_cast<size_t>(std::min<uint64_t>(last - first + 1, kMaxChecked));
  Result<std::vector<log::Envelope>> entries = store_->ReadRange(author, first, count);
  if (!entries.ok()) return entries.error();
  const std::vector<log::SignatureVerdict> verdicts =
      log::VerifySignatures(*entries, log::SignatureThreads());
  size_t damaged = 0;
  for (size_t i = 0; i < entries->size(); ++i) {
    const log::Envelope& e = (*entries)[i];
    Result<log::EntryHeader> header = log::DecodeHeader(e.header);
    if (!header.ok()) continue;  // the store refuses to open with such a row
    Result<std::optional<log::EntryId>> id = store_->IdAt(author, header->seq);
    if (!id.ok()) return id.error();
    if (!*id) continue;
    log::Damage damage = log::CheckStoredEntry(**id, *header, e, verdicts[i]);
    if (damage == log::Damage::kMissingBody) damage = log::Damage::kNone;  // sent header-only
    if (damage == log::Damage::kNone) continue;
    NoteDamage(**id, DamagedEntry{damage, author, header->seq});
    ++damaged;
  }
  return damaged;
}

std::vector<log::EntryId> Node::WantedBodies(size_t limit) const {
  std::vector<log::EntryId> out;
  for (const auto& [id, d] : damaged_) {
    if (out.size() >= limit) break;
    out.push_back(id);
  }
  return out;
}

bool Node::BodyUnsendable(const log::EntryId& id) const { return damaged_.count(id) != 0; }

bool Node::HeaderDamaged(const log::DeviceKey& author, uint64_t seq) const {
  for (const auto& [id, d] : damaged_) {
    if (d.damage == log::Damage::kHeader && d.author == author && d.seq == seq) return true;
  }
  return false;
}

Result<std::optional<log::Envelope>> Node::IntactCopy(const log::EntryId& id) const {
  if (damaged_.count(id) != 0) return std::optional<log::Envelope>();
  Result<log::Envelope> envelope = store_->GetEnvelope(id);
  if (!envelope.ok()) {
    if (envelope.code() == ErrorCode::kNotFound) return std::optional<log::Envelope>();
    return envelope.error();
  }
  // Checked again on the way out: damage we have not noticed yet is never passed on.
  if (!log::IsIntactCopy(id, *envelope)) return std::optional<log::Envelope>();
  return std::optional<log::Envelope>(std::move(*envelope));
}

Result<size_t> Node::Repair(std::span<const log::Envelope> entries, const std::string& from) {
  size_t repaired = 0;
  for (const log::Envelope& copy : entries) {
    const log::EntryId id = log::ComputeEntryId(copy.header);
    auto it = damaged_.find(id);
    if (it == damaged_.end()) continue;  // repaired already (another peer was quicker)
    if (!log::IsIntactCopy(id, copy)) {
      LogWarning("a copy of entry " + ToHex(id).substr(0, 8) + " from " + from +
                 " does not verify; ignored");
      continue;
    }
    Result<log::EntryHeader> header = log::DecodeHeader(copy.header);
    if (!header.ok()) continue;  // IsIntactCopy decoded it; unreachable
    ACCORD_RETURN_IF_ERROR(store_->ReplaceEntryBytes(id, copy));
    const log::Damage was = it->second.damage;
    damaged_.erase(it);
    ++repaired;
    ++repaired_;
    LogInfo("entry " + ToHex(id).substr(0, 8) + " repaired from " + from);
    // An intact copy always has its body; only bodies this device may read are folded.
    if (ExpectsBody(*header, id)) {
      Result<proto::Body> body = OpenStoredBody(*header, copy, keys_);
      if (body.ok()) {
        ACCORD_RETURN_IF_ERROR(FoldEntry(*header, id, *body, /*notify=*/true));
        // Folded now: told as stored, as a received entry is.
        NotifyChange(ChangeNotice::EntriesStored());
      } else {
        LogWarning("repaired entry " + ToHex(id).substr(0, 8) +
                   " cannot be opened: " + body.error().message);
      }
    }
    NotifyChange(ChangeNotice::Integrity({IntegrityNotice::Kind::kRepaired, id, was, from}));
  }
  return repaired;
}

namespace {

// A slice of at most `limit` entries read from `from` on: done when fewer came.
Result<LogSlice> SliceOf(Result<std::vector<store::StoredEntry>> entries, int64_t from,
                         size_t limit) {
  if (!entries.ok()) return entries.error();
  LogSlice slice;
  slice.done = entries->size() < limit;
  slice.last_arrival = entries->empty() ? from : entries->back().arrival;
  slice.entries = std::move(*entries);
  return slice;
}

}  // namespace

Result<LogSlice> Node::ReadLog(int64_t after_arrival, size_t limit) const {
  return SliceOf(store_->ReadArrivals(after_arrival, limit), after_arrival, limit);
}

Result<LogSlice> Node::ReadLogBackward(int64_t before_arrival, size_t limit) const {
  return SliceOf(store_->ReadArrivalsBefore(before_arrival, limit), before_arrival, limit);
}

std::vector<LogRow> Node::LogRows(std::span<const store::StoredEntry> entries,
                                  const std::vector<log::SignatureVerdict>* signatures) {
  std::vector<LogRow> rows;
  rows.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const store::StoredEntry& e = entries[i];
    LogRow row;
    row.id = e.id;
    row.header = e.header;
    log::Damage damage = log::Damage::kNone;
    if (signatures != nullptr && i < signatures->size()) {
      row.verified = true;
      row.signature_ok = (*signatures)[i] == log::SignatureVerdict::kValid;
      damage = log::CheckStoredEntry(e.id, e.header, e.envelope, (*signatures)[i]);
      if (damage == log::Damage::kMissingBody && !ExpectsBody(e.header, e.id))
        damage = log::Damage::kNone;
      if (damage != log::Damage::kNone) {
        NoteDamage(e.id, DamagedEntry{damage, e.header.author, e.header.seq});
      }
    } else if (auto it = damaged_.find(e.id); it != damaged_.end()) {
      damage = it->second.damage;
    }
    row.damage = damage;
    row.erased = erased_.count(e.id) != 0;
    Result<proto::Body> body =
        damage == log::Damage::kNone && !log::IsWithheld(e.header, e.envelope)
            ? OpenStoredBody(e.header, e.envelope, keys_)
            : Result<proto::Body>(MakeError(ErrorCode::kUnknownEpoch, ""));
    if (body.ok()) row.kind = BodyKindOf(*body);
    // A newcomer's header-only membership entry: its kind as the inviter restated it.
    if (!body.ok()) {
      if (std::optional<proto::Body> restated = RestatedBodyOf(e.id))
        row.kind = BodyKindOf(*restated);
    }
    if (body.ok() && body->has_original_time_ms()) row.original_time_ms = body->original_time_ms();
    if (row.verified && body.ok() && e.header.scope != log::Scope::kPrivate &&
        !body->has_epoch_start()) {
      state::Event event;
      event.author = e.header.author;
      event.seq = e.header.seq;
      event.scope = e.header.scope;
      row.sealed_below_rotation = Epochs().SealsBelowOwnRotation(event, e.header.epoch);
    }
    // Intact bytes that do not open under a key we hold: the author sealed them so. Nothing
    // can repair that, but --verify says so.
    if (row.verified && !body.ok() && body.code() != ErrorCode::kUnknownEpoch) {
      row.undecryptable = true;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace accord::daemon
