// Store: fork proofs, frozen feeds, wrapped keys and metadata (the small tables beside
// the entries; see store.cc for the entries themselves).
#include <string>

#include "daemon/store/store.h"

namespace accord::store {

namespace {

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorrupt, "stored data fails its checks: " + what);
}

// The conflicting side of a proof must be what the proof says it is.
Status CheckProof(const log::ForkProof& proof) {
  const log::Envelope& c = proof.conflicting;
  Result<log::EntryHeader> header = log::DecodeHeader(c.header);
  if (!header.ok() || c.signature.size() != log::kSignatureBytes ||
      header->author != proof.author || header->seq != proof.seq ||
      log::ComputeEntryId(c.header) != proof.conflicting_id ||
      proof.conflicting_id == proof.existing_id) {
    return MakeError(ErrorCode::kInvalidArgument, "fork proof does not hold together");
  }
  return Status::Ok();
}

}  // namespace

Status Store::EraseBody(const EntryId& id) {
  {
    Transaction txn(*db_);
    ACCORD_RETURN_IF_ERROR(txn.status());
    Result<Query> erase = db_->Prepare("UPDATE entries SET sealed_body = NULL WHERE entry_id = ?");
    if (!erase.ok()) return erase.error();
    erase->Bind(1, id);
    ACCORD_RETURN_IF_ERROR(erase->Run());
    Result<Query> found = db_->Prepare("SELECT 1 FROM entries WHERE entry_id = ?");
    if (!found.ok()) return found.error();
    found->Bind(1, id);
    Result<bool> row = found->Step();
    if (!row.ok()) return row.error();
    if (!*row) return MakeError(ErrorCode::kNotFound, "no stored entry has this id");
    Result<Query> record = db_->Prepare("INSERT OR IGNORE INTO erased (entry_id) VALUES (?)");
    if (!record.ok()) return record.error();
    record->Bind(1, id);
    ACCORD_RETURN_IF_ERROR(record->Run());
    ACCORD_RETURN_IF_ERROR(txn.Commit());
  }
  return db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Status Store::FinishInterruptedErase() {
  bool any = false;
  {
    Result<Query> q = db_->Prepare("SELECT 1 FROM erased LIMIT 1");
    if (!q.ok()) return q.error();
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    any = *row;
  }  // the read is over before the checkpoint, which cannot run beside it
  // A crash or power loss after an erase's commit leaves its old page images in the WAL (the
  // checkpoint did not run, or its truncation was never synced): drop them now.
  return any ? db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)") : Status::Ok();
}

Result<std::set<EntryId>> Store::ErasedIds() const {
  Result<Query> q = db_->Prepare("SELECT entry_id FROM erased");
  if (!q.ok()) return q.error();
  std::set<EntryId> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    EntryId id;
    if (!q->Fixed(0, id)) return Corrupt("an erased id is not 32 bytes");
    out.insert(id);
  }
  return out;
}

Status Store::RecordFork(const log::ForkProof& proof) {
  ACCORD_RETURN_IF_ERROR(CheckProof(proof));
  Transaction txn(*db_);
  ACCORD_RETURN_IF_ERROR(txn.status());
  {
    Result<Query> held = db_->Prepare(
        "SELECT header, signature FROM entries WHERE entry_id = ? AND author = ? AND seq = ?");
    if (!held.ok()) return held.error();
    held->Bind(1, proof.existing_id).Bind(2, proof.author);
    held->Bind(3, static_cast<int64_t>(proof.seq));
    Result<bool> row = held->Step();
    if (!row.ok()) return row.error();
    if (!*row) {
      return MakeError(ErrorCode::kNotFound,
                       "the stored side of the fork proof is not in the store; store the batch "
                       "before its forks");
    }
    Result<Query> insert = db_->Prepare(
        "INSERT OR IGNORE INTO forks (author, seq, existing_id, existing_header, "
        "existing_signature, conflicting_id, conflicting_header, conflicting_signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    insert->Bind(1, proof.author).Bind(2, static_cast<int64_t>(proof.seq));
    insert->Bind(3, proof.existing_id).Bind(4, held->Blob(0)).Bind(5, held->Blob(1));
    insert->Bind(6, proof.conflicting_id).Bind(7, proof.conflicting.header);
    insert->Bind(8, proof.conflicting.signature);
    ACCORD_RETURN_IF_ERROR(insert->Run());
  }
  Result<Query> freeze = db_->Prepare(
      "INSERT INTO frozen (author, from_seq) VALUES (?, ?) "
      "ON CONFLICT (author) DO UPDATE SET from_seq = min(from_seq, excluded.from_seq)");
  if (!freeze.ok()) return freeze.error();
  freeze->Bind(1, proof.author).Bind(2, static_cast<int64_t>(proof.seq));
  ACCORD_RETURN_IF_ERROR(freeze->Run());
  ACCORD_RETURN_IF_ERROR(txn.Commit());
  auto [it, inserted] = frozen_.try_emplace(proof.author, proof.seq);
  if (!inserted) it->second = std::min(it->second, proof.seq);
  return Status::Ok();
}

Result<std::vector<StoredFork>> Store::Forks() const {
  Result<Query> q = db_->Prepare(
      "SELECT author, seq, existing_id, existing_header, existing_signature, conflicting_id, "
      "conflicting_header, conflicting_signature FROM forks ORDER BY author, seq");
  if (!q.ok()) return q.error();
  std::vector<StoredFork> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    StoredFork fork;
    if (!q->Fixed(0, fork.author) || !q->Fixed(2, fork.existing_id) ||
        !q->Fixed(5, fork.conflicting_id)) {
      return Corrupt("fork key sizes");
    }
    fork.seq = static_cast<uint64_t>(q->Int64(1));
    fork.existing.header = q->Blob(3);
    fork.existing.signature = q->Blob(4);
    fork.conflicting.header = q->Blob(6);
    fork.conflicting.signature = q->Blob(7);
    out.push_back(std::move(fork));
  }
}

Status Store::PutWrappedKey(const WrappedKey& key) {
  Result<Query> q = db_->Prepare(
      "INSERT INTO wrapped_keys (kind, generation, wrapped) VALUES (?, ?, ?) "
      "ON CONFLICT (kind, generation) DO UPDATE SET wrapped = excluded.wrapped");
  if (!q.ok()) return q.error();
  q->Bind(1, static_cast<int64_t>(key.kind)).Bind(2, static_cast<int64_t>(key.generation));
  q->Bind(3, key.wrapped);
  return q->Run();
}

Status Store::DeleteWrappedKeys(WrappedKeyKind kind) {
  Result<Query> q = db_->Prepare("DELETE FROM wrapped_keys WHERE kind = ?");
  if (!q.ok()) return q.error();
  q->Bind(1, static_cast<int64_t>(kind));
  return q->Run();
}

Result<std::vector<WrappedKey>> Store::WrappedKeys() const {
  Result<Query> q =
      db_->Prepare("SELECT kind, generation, wrapped FROM wrapped_keys ORDER BY kind, generation");
  if (!q.ok()) return q.error();
  std::vector<WrappedKey> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    WrappedKey key;
    const int64_t kind = q->Int64(0);
    if (kind != static_cast<int64_t>(WrappedKeyKind::kEpoch) &&
        kind != static_cast<int64_t>(WrappedKeyKind::kPerson)) {
      return Corrupt("wrapped key kind " + std::to_string(kind));
    }
    key.kind = static_cast<WrappedKeyKind>(kind);
    key.generation = static_cast<uint64_t>(q->Int64(1));
    key.wrapped = q->Blob(2);
    out.push_back(std::move(key));
  }
}

Status Store::SetMeta(std::string_view key, ByteView value) {
  Result<Query> q = db_->Prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!q.ok()) return q.error();
  q->BindText(1, key).Bind(2, value);
  return q->Run();
}

Result<std::optional<Bytes>> Store::GetMeta(std::string_view key) const {
  Result<Query> q = db_->Prepare("SELECT value FROM meta WHERE key = ?");
  if (!q.ok()) return q.error();
  q->BindText(1, key);
  Result<bool> row = q->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<Bytes>();
  return std::optional<Bytes>(q->Blob(0));
}

}  // namespace accord::store
