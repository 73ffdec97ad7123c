#include "daemon/store/store.h"

#include <sqlite3.h>

#include <limits>
#include <string>
#include <utility>

#include "daemon/store/open.h"

namespace accord::store {

namespace {

constexpr size_t kAuthorHexBytes = 8;  // bytes of an author key shown in messages
constexpr uint64_t kMaxSqlInt = std::numeric_limits<int64_t>::max();

std::string Short(const DeviceKey& key) { return ToHex(ByteView(key.data(), kAuthorHexBytes)); }

Error Corrupt(const std::string& what) {
  return MakeError(ErrorCode::kCorrupt, "stored data fails its checks: " + what);
}

int64_t SqlInt(uint64_t v) { return static_cast<int64_t>(v); }  // bit pattern, see 001_init

// Reads header, sealed_body, signature from columns first..first+2.
log::Envelope EnvelopeFrom(const Query& q, int first) {
  log::Envelope e;
  e.header = q.Blob(first);
  e.sealed_body = q.Blob(first + 1);  // empty when NULL (erased)
  e.signature = q.Blob(first + 2);
  return e;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& path) {
  Result<std::unique_ptr<Store>> store = OpenWith(path, BuiltInMigrations());
  if (!store.ok()) return store;
  ACCORD_RETURN_IF_ERROR((*store)->FinishInterruptedErase());  // the built-in schema has `erased`
  return store;
}

Result<std::unique_ptr<Store>> Store::OpenWith(const std::filesystem::path& path,
                                               std::span<const Migration> migrations) {
  Result<std::unique_ptr<Sqlite>> db = OpenDatabase(path, migrations);
  if (!db.ok()) return db.error();
  std::unique_ptr<Store> store(new Store(std::move(*db)));
  ACCORD_RETURN_IF_ERROR(store->LoadCaches());
  return store;
}

Store::~Store() = default;

Status Store::LoadCaches() {
  // SQLite takes a bare column of an aggregate query with max() from the row holding the
  // maximum, so entry_id is the head's id. Feeds are contiguous from 1: count == max.
  Result<Query> q =
      db_->Prepare("SELECT author, max(seq), count(*), entry_id FROM entries GROUP BY author");
  if (!q.ok()) return q.error();
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    DeviceKey author;
    FeedHead head;
    head.seq = static_cast<uint64_t>(q->Int64(1));
    if (!q->Fixed(0, author) || !q->Fixed(3, head.id)) return Corrupt("entry key sizes");
    if (q->Int64(2) != q->Int64(1)) return Corrupt("feed " + Short(author) + " has gaps");
    heads_[author] = head;
  }
  Result<Query> f = db_->Prepare("SELECT author, from_seq FROM frozen");
  if (!f.ok()) return f.error();
  while (true) {
    Result<bool> row = f->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    DeviceKey author;
    if (!f->Fixed(0, author)) return Corrupt("frozen author size");
    frozen_[author] = static_cast<uint64_t>(f->Int64(1));
  }
  return Status::Ok();
}

Status Store::AppendBatch(std::span<const log::VerifiedEntry> entries) {
  std::vector<Row> rows;
  rows.reserve(entries.size());
  for (const auto& e : entries) rows.push_back(Row{&e.id, &e.header, &e.envelope});
  return AppendRows(rows);
}

Status Store::AppendOwn(const log::AuthoredEntry& entry) {
  const Row row{&entry.id, &entry.header, &entry.envelope};
  return AppendRows(std::span<const Row>(&row, 1));
}

Status Store::AppendRows(std::span<const Row> rows) {
  if (rows.empty()) return Status::Ok();
  Transaction txn(*db_);
  ACCORD_RETURN_IF_ERROR(txn.status());
  std::map<DeviceKey, FeedHead> advanced;  // heads as this batch leaves them
  for (const Row& row : rows) {
    const log::EntryHeader& h = *row.header;
    auto it = advanced.find(h.author);
    const FeedHead head = it != advanced.end() ? it->second : Head(h.author);
    const std::string where = "entry " + Short(h.author) + "/" + std::to_string(h.seq);
    if (h.seq <= head.seq) {
      return MakeError(ErrorCode::kAlreadyExists, where + " is already stored");
    }
    // Validation guarantees these; a failure here is our bug, caught before it is stored.
    if (h.seq != head.seq + 1 || h.prev != head.id) {
      return MakeError(ErrorCode::kInternal, where + " does not extend its feed");
    }
    if (row.envelope->header.size() != log::kHeaderBytes ||
        log::ComputeEntryId(row.envelope->header) != *row.id) {
      return MakeError(ErrorCode::kInternal, where + " has an id that is not its header's");
    }
    Result<Query> q = db_->Prepare(
        "INSERT INTO entries (author, seq, entry_id, lamport, scope, header, signature, "
        "sealed_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!q.ok()) return q.error();
    q->Bind(1, h.author).Bind(2, SqlInt(h.seq)).Bind(3, *row.id).Bind(4, SqlInt(h.lamport));
    q->Bind(5, static_cast<int64_t>(h.scope)).Bind(6, row.envelope->header);
    q->Bind(7, row.envelope->signature);
    if (row.envelope->sealed_body.empty()) {
      q->BindNull(8);
    } else {
      q->Bind(8, row.envelope->sealed_body);
    }
    Status inserted = q->Run();
    if (!inserted.ok()) {
      return MakeError(inserted.code(), "storing " + where + ": " + inserted.error().message);
    }
    advanced[h.author] = FeedHead{h.seq, *row.id};
  }
  ACCORD_RETURN_IF_ERROR(txn.Commit());
  for (const auto& [author, head] : advanced) heads_[author] = head;
  return Status::Ok();
}

Result<std::vector<log::Envelope>> Store::ReadRange(const DeviceKey& author, uint64_t from_seq,
                                                    size_t limit) const {
  std::vector<log::Envelope> out;
  if (limit == 0 || from_seq > kMaxSqlInt) return out;
  Result<Query> q = db_->Prepare(
      "SELECT header, sealed_body, signature FROM entries WHERE author = ? AND seq >= ? "
      "ORDER BY seq LIMIT ?");
  if (!q.ok()) return q.error();
  q->Bind(1, author)
      .Bind(2, SqlInt(from_seq))
      .Bind(3, SqlInt(std::min<uint64_t>(limit, kMaxSqlInt)));
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(EnvelopeFrom(*q, 0));
  }
}

FeedHead Store::Head(const DeviceKey& author) const {
  auto it = heads_.find(author);
  return it == heads_.end() ? FeedHead{} : it->second;
}

Result<std::optional<EntryId>> Store::IdAt(const DeviceKey& author, uint64_t seq) const {
  if (seq == 0 || seq > kMaxSqlInt) return std::optional<EntryId>();
  Result<Query> q = db_->Prepare("SELECT entry_id FROM entries WHERE author = ? AND seq = ?");
  if (!q.ok()) return q.error();
  q->Bind(1, author).Bind(2, SqlInt(seq));
  Result<bool> row = q->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<EntryId>();
  EntryId id;
  if (!q->Fixed(0, id)) return Corrupt("entry id size");
  return std::optional<EntryId>(id);
}

Result<log::Envelope> Store::GetEnvelope(const EntryId& id) const {
  Result<Query> q =
      db_->Prepare("SELECT header, sealed_body, signature FROM entries WHERE entry_id = ?");
  if (!q.ok()) return q.error();
  q->Bind(1, id);
  Result<bool> row = q->Step();
  if (!row.ok()) return row.error();
  if (!*row) return MakeError(ErrorCode::kNotFound, "no entry " + ToHex(id));
  return EnvelopeFrom(*q, 0);
}

namespace {

// One row of SELECT arrival, entry_id, header, sealed_body, signature.
Result<StoredEntry> StoredEntryFrom(const Query& q) {
  StoredEntry entry;
  entry.arrival = q.Int64(0);
  if (!q.Fixed(1, entry.id)) return Corrupt("entry id size");
  entry.envelope = EnvelopeFrom(q, 2);
  Result<log::EntryHeader> header = log::DecodeHeader(entry.envelope.header);
  if (!header.ok()) return Corrupt("entry " + ToHex(entry.id) + ": " + header.error().message);
  entry.header = *header;
  return entry;
}

}  // namespace

Status Store::ForEachEntry(const std::function<Status(const StoredEntry&)>& visit) const {
  Result<Query> q = db_->Prepare(
      "SELECT arrival, entry_id, header, sealed_body, signature FROM entries ORDER BY arrival");
  if (!q.ok()) return q.error();
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Status::Ok();
    Result<StoredEntry> entry = StoredEntryFrom(*q);
    if (!entry.ok()) return entry.error();
    ACCORD_RETURN_IF_ERROR(visit(*entry));
  }
}

Result<std::vector<StoredEntry>> Store::ReadArrivals(int64_t after_arrival, size_t limit) const {
  return ReadArrivalRange(
      "SELECT arrival, entry_id, header, sealed_body, signature FROM entries WHERE arrival > ? "
      "ORDER BY arrival LIMIT ?",
      after_arrival, limit);
}

Result<std::vector<StoredEntry>> Store::ReadArrivalsBefore(int64_t before_arrival,
                                                           size_t limit) const {
  return ReadArrivalRange(
      "SELECT arrival, entry_id, header, sealed_body, signature FROM entries WHERE arrival < ? "
      "ORDER BY arrival DESC LIMIT ?",
      before_arrival, limit);
}

Result<std::vector<StoredEntry>> Store::ReadArrivalRange(const char* sql, int64_t bound,
                                                         size_t limit) const {
  std::vector<StoredEntry> out;
  if (limit == 0) return out;
  Result<Query> q = db_->Prepare(sql);
  if (!q.ok()) return q.error();
  q->Bind(1, bound).Bind(2, SqlInt(std::min<uint64_t>(limit, kMaxSqlInt)));
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    Result<StoredEntry> entry = StoredEntryFrom(*q);
    if (!entry.ok()) return entry.error();
    out.push_back(std::move(*entry));
  }
}

Status Store::ReplaceEntryBytes(const EntryId& id, const log::Envelope& envelope) {
  Result<log::EntryHeader> header = log::DecodeHeader(envelope.header);
  if (!header.ok()) return header.error();
  Transaction txn(*db_);
  ACCORD_RETURN_IF_ERROR(txn.status());
  {
    Result<Query> q = db_->Prepare(
        "UPDATE entries SET header = ?, sealed_body = ?, signature = ? "
        "WHERE entry_id = ? AND author = ? AND seq = ?");
    if (!q.ok()) return q.error();
    q->Bind(1, envelope.header).Bind(2, envelope.sealed_body).Bind(3, envelope.signature);
    q->Bind(4, id).Bind(5, header->author).Bind(6, SqlInt(header->seq));
    ACCORD_RETURN_IF_ERROR(q->Run());
  }
  if (sqlite3_changes(db_->handle()) != 1) {
    return MakeError(ErrorCode::kNotFound, "no stored entry " + ToHex(id) + " to repair");
  }
  return txn.Commit();
}

Result<uint64_t> Store::EntryCount() const {
  Result<Query> q = db_->Prepare("SELECT count(*) FROM entries");
  if (!q.ok()) return q.error();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.error();
  return static_cast<uint64_t>(*row ? q->Int64(0) : 0);
}

uint64_t Store::CachedEntryCount() const {
  uint64_t total = 0;
  for (const auto& [author, head] : heads_) total += head.seq;
  return total;
}

Result<int> Store::SchemaVersion() const { return store::SchemaVersion(*db_); }

}  // namespace accord::store
