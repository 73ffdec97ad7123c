// The state digest, version 3 (docs/state-digest.md): a hash of the set of entries the fold
// counts, kept up to date per change in O(1). Each item (a shared or control entry, or a
// freeze of a feed) is hashed on its own; the items' hashes are added modulo 2^256, so the
// sum is the same whatever order the set was built in, and an item leaves it by subtraction.
// Pure; any thread.
#ifndef ACCORD_DAEMON_STATE_ENTRY_SET_DIGEST_H_
#define ACCORD_DAEMON_STATE_ENTRY_SET_DIGEST_H_

#include <cstdint>

#include "base/bytes.h"
#include "daemon/log/header.h"

namespace accord::state {

class EntrySetDigest {
 public:
  void AddEntry(const log::EntryId& id) { Add(EntryItem(id)); }
  void RemoveEntry(const log::EntryId& id) { Remove(EntryItem(id)); }
  void AddFreeze(const log::DeviceKey& author, uint64_t from_seq) {
    Add(FreezeItem(author, from_seq));
  }
  void RemoveFreeze(const log::DeviceKey& author, uint64_t from_seq) {
    Remove(FreezeItem(author, from_seq));
  }

  // BLAKE2b-256(lp("accord/state-digest/v3") sum[32] u64 count), big-endian count.
  Hash32 Final() const;
  uint64_t count() const { return count_; }

  // An item's hash: BLAKE2b-256 of lp(domain) and the item's fields.
  static Hash32 EntryItem(const log::EntryId& id);
  static Hash32 FreezeItem(const log::DeviceKey& author, uint64_t from_seq);

 private:
  void Add(const Hash32& item);
  void Remove(const Hash32& item);

  Hash32 sum_{};  // little-endian 256-bit integer
  uint64_t count_ = 0;
};

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_ENTRY_SET_DIGEST_H_
