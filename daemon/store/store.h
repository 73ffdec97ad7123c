// Store: the device's SQLite database of sealed entries, fork proofs, frozen feeds, wrapped
// keys and metadata (docs/store-schema.md). One thread only: the daemon thread.
// Validation is daemon/log (ingest.h); keys are wrapped/unwrapped by crypto/aead.h callers.
#ifndef ACCORD_DAEMON_STORE_STORE_H_
#define ACCORD_DAEMON_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "daemon/log/author.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/validate.h"
#include "daemon/store/migrate.h"
#include "daemon/store/sqlite.h"

namespace accord::store {

using log::DeviceKey;
using log::EntryId;
using log::FeedHead;

// An entry as stored: its id, decoded header and the author's bytes (sealed_body is empty
// once erased).
struct StoredEntry {
  int64_t arrival = 0;  // the row's place in arrival order (rowid)
  EntryId id{};
  log::EntryHeader header;
  log::Envelope envelope;
};

// A fork proof as kept: both sides' headers and signatures (sealed bodies are not needed).
struct StoredFork {
  DeviceKey author{};
  uint64_t seq = 0;
  EntryId existing_id{};
  log::Envelope existing;  // header + signature
  EntryId conflicting_id{};
  log::Envelope conflicting;  // header + signature
};

enum class WrappedKeyKind : int {
  kEpoch = 1,   // pact epoch key; generation = epoch
  kPerson = 2,  // the member's person key
};

struct WrappedKey {
  WrappedKeyKind kind = WrappedKeyKind::kEpoch;
  uint64_t generation = 0;
  Bytes wrapped;  // crypto::WrapKey output; never the key itself
};

class Store {
 public:
  // Opens or creates the database (open.h: mode 0600, PRAGMAs, quick_check, migrations) and
  // loads the head and frozen caches; finishes an erase a crash cut short (EraseBody's
  // checkpoint). kCorrupt with what to do if the file is damaged.
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& path);
  // For tests of the migration machinery: the given migrations instead of the built-in ones.
  static Result<std::unique_ptr<Store>> OpenWith(const std::filesystem::path& path,
                                                 std::span<const Migration> migrations);
  ~Store();

  // Stores validated entries in one transaction: all of them or, on any failure, none (and
  // the head cache is unchanged). Each must be its author's next entry (kAlreadyExists if
  // the seq is occupied, kInternal for a gap or a broken chain).
  Status AppendBatch(std::span<const log::VerifiedEntry> entries);
  // Stores one own entry; durable when this returns (synchronous=FULL), so it may be sent.
  Status AppendOwn(const log::AuthoredEntry& entry);

  // The author's envelopes with seq >= from_seq, ascending, at most `limit`.
  Result<std::vector<log::Envelope>> ReadRange(const DeviceKey& author, uint64_t from_seq,
                                               size_t limit) const;
  // Every author's head, from the in-memory cache (updated only after a COMMIT succeeds).
  const std::map<DeviceKey, FeedHead>& Heads() const { return heads_; }
  FeedHead Head(const DeviceKey& author) const;
  Result<std::optional<EntryId>> IdAt(const DeviceKey& author, uint64_t seq) const;
  Result<log::Envelope> GetEnvelope(const EntryId& id) const;  // kNotFound
  // Every entry in arrival order (each author's entries ascending), for refolding.
  // Stops at the first error `visit` returns and returns it.
  Status ForEachEntry(const std::function<Status(const StoredEntry&)>& visit) const;
  // At most `limit` entries that arrived after `after_arrival`, in arrival order: for work
  // that walks the log in slices between other requests (log --verify).
  Result<std::vector<StoredEntry>> ReadArrivals(int64_t after_arrival, size_t limit) const;
  // At most `limit` entries that arrived before `before_arrival`, newest first (log --limit).
  Result<std::vector<StoredEntry>> ReadArrivalsBefore(int64_t before_arrival, size_t limit) const;
  // Puts a whole copy in place of the stored bytes of entry `id` (a repair: integrity.h).
  // REQUIRES: log::IsIntactCopy(id, envelope). kNotFound if no such entry is stored.
  Status ReplaceEntryBytes(const EntryId& id, const log::Envelope& envelope);
  Result<uint64_t> EntryCount() const;  // counted in the database
  // The same number from the heads cache, without touching the database: feeds are contiguous
  // from seq 1 (checked when the store opens, kept by every append), so it is the sum of heads.
  uint64_t CachedEntryCount() const;

  // Keeps the proof and freezes the author from proof.seq, in one transaction. The existing
  // side must be stored already (store the batch first): kNotFound otherwise;
  // kInvalidArgument if the conflicting envelope does not match the proof.
  Status RecordFork(const log::ForkProof& proof);
  Result<std::vector<StoredFork>> Forks() const;
  // author -> first refused seq.
  const std::map<DeviceKey, uint64_t>& FrozenAuthors() const { return frozen_; }

  Status PutWrappedKey(const WrappedKey& key);  // replaces the same kind and generation
  Result<std::vector<WrappedKey>> WrappedKeys() const;
  // Drops every wrapped key of `kind` (a new device replacing its own person key by its
  // member's, store_records.cc).
  Status DeleteWrappedKeys(WrappedKeyKind kind);

  // Crypto-shreds one entry's body (SPEC §3 `forget`): sealed_body becomes NULL and the id is
  // recorded as erased, in one transaction; then the WAL is checkpointed and truncated so the
  // old page images leave the WAL too (secure_delete zeroes the freed pages). Idempotent;
  // kNotFound if no entry has this id.
  Status EraseBody(const EntryId& id);
  Result<std::set<EntryId>> ErasedIds() const;

  Status SetMeta(std::string_view key, ByteView value);
  Result<std::optional<Bytes>> GetMeta(std::string_view key) const;

  Result<int> SchemaVersion() const;

  // Addresses where peers were last reached (store_peers.cc). The address is sealed by the
  // caller (it is a presence hint); one per device, the newest replacing the older.
  Status RememberPeer(const DeviceKey& device, std::string_view sealed_address, int64_t seen_ms);
  struct PeerRow {
    DeviceKey device{};
    std::string sealed_address;
    int64_t last_seen_ms = 0;
  };
  Result<std::vector<PeerRow>> Peers() const;

  // Drops every entry, fork proof and frozen feed, in one transaction: for a device that
  // joins a partner's pact (its solo log is replaced; its entries are carried, node_prepared.cc).
  Status ResetLog();

  // store_atomic.cc. Runs `work` as one transaction: what it changes through this store is
  // kept only if it returns Ok and the COMMIT succeeds, durably and all at once (a crash
  // leaves all or nothing); otherwise none of it is, and the head and frozen caches are read
  // back from the database. The transactions of the calls inside become savepoints, and an
  // own entry appended inside is durable only at the end. REQUIRES: not called inside itself.
  Status Atomically(const std::function<Status()>& work);
  // Drops every wrapped key of `kind` (a joiner's solo epoch keys, replaced by the pact's).
  Status DropWrappedKeys(WrappedKeyKind kind);

 private:
  struct Row {
    const EntryId* id;
    const log::EntryHeader* header;
    const log::Envelope* envelope;
  };

  explicit Store(std::unique_ptr<Sqlite> db) : db_(std::move(db)) {}
  Status LoadCaches();
  Status AppendRows(std::span<const Row> rows);
  // ReadArrivals' query with its bound and limit (the two parameters).
  Result<std::vector<StoredEntry>> ReadArrivalRange(const char* sql, int64_t bound,
                                                    size_t limit) const;
  // EraseBody's second half again, at Open when bodies were erased: page images an erase cut
  // short by a crash or a power loss left in the WAL go.
  Status FinishInterruptedErase();

  // Cached statements are state of the connection, not of the store's contents.
  std::unique_ptr<Sqlite> db_;
  std::map<DeviceKey, FeedHead> heads_;
  std::map<DeviceKey, uint64_t> frozen_;
};

}  // namespace accord::store

#endif  // ACCORD_DAEMON_STORE_STORE_H_
