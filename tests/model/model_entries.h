// What every world of one model-checking search shares (docs/model-check.md): the real
// signed entries each device writes, and caches of interned bytes and of store outcomes.
// Test thread only. The states themselves are sync_model.h's.
#ifndef ACCORD_TESTS_MODEL_MODEL_ENTRIES_H_
#define ACCORD_TESTS_MODEL_MODEL_ENTRIES_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "tests/daemon/log/test_feed.h"
#include "tests/daemon/sync/memory_node.h"

namespace accord::model {

constexpr int kModelDevices = 3;

// Real entries for the model, built once: chain[d] is device d's feed, in seq order.
class ModelEntries {
 public:
  explicit ModelEntries(int entries_per_device);
  const log::testing::TestFeed& feed() const { return feed_; }
  const std::vector<log::Envelope>& chain(int device) const { return chains_[device]; }
  const log::EntryId& id(int device, int index) const { return ids_[device][index]; }
  std::vector<log::DeviceKey> devices() const;
  // Which device wrote `author`'s entries, or -1.
  int DeviceOf(const log::DeviceKey& author) const;
  // (device, index in its chain) of `id`, if it is one of the model's entries.
  std::optional<std::pair<int, int>> Find(const log::EntryId& id) const;
  std::string Name(const log::EntryId& id) const;  // "B2", or "?" for a foreign id

 private:
  log::testing::TestFeed feed_{kModelDevices};
  std::array<std::vector<log::Envelope>, kModelDevices> chains_;
  std::array<std::vector<log::EntryId>, kModelDevices> ids_;
  std::map<log::EntryId, std::pair<int, int>> index_;
};

// What every world of one search shares: numbers for the byte strings the key encodes
// (messages, entries), and the outcome of each distinct store step (validation is pure, so
// a (store contents, batch) pair always gives the same result; each runs IngestBatch once).
class ModelCache {
 public:
  uint32_t Id(const Bytes& bytes);
  size_t interned() const { return ids_.size(); }

  struct Stored {
    Status status;
    size_t stored = 0;
    std::shared_ptr<const sync::testing::MemoryNode> after;  // null if refused
  };
  const Stored* FindStore(const std::string& key) const;
  const Stored& AddStore(const std::string& key, Stored stored);
  size_t validations() const { return stores_.size(); }

 private:
  std::map<Bytes, uint32_t> ids_;
  std::map<std::string, Stored> stores_;
};

}  // namespace accord::model

#endif  // ACCORD_TESTS_MODEL_MODEL_ENTRIES_H_
