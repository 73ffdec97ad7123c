#include "tests/model/model_entries.h"

#include <utility>

#include "daemon/log/entry.h"

namespace accord::model {

// ---- ModelEntries ----------------------------------------------------------------------

ModelEntries::ModelEntries(int entries_per_device) {
  for (int d = 0; d < kModelDevices; ++d) {
    for (int i = 0; i < entries_per_device; ++i) {
      const std::string text =
          "need " + std::string(1, static_cast<char>('A' + d)) + std::to_string(i + 1);
      log::Envelope e = feed_.Write(d, log::testing::NeedBody(text)).envelope;
      index_[log::ComputeEntryId(e.header)] = {d, i};
      ids_[d].push_back(log::ComputeEntryId(e.header));
      chains_[d].push_back(std::move(e));
    }
  }
}

std::vector<log::DeviceKey> ModelEntries::devices() const {
  return {feed_.device(0), feed_.device(1), feed_.device(2)};
}

int ModelEntries::DeviceOf(const log::DeviceKey& author) const {
  for (int d = 0; d < kModelDevices; ++d) {
    if (feed_.device(d) == author) return d;
  }
  return -1;
}

std::optional<std::pair<int, int>> ModelEntries::Find(const log::EntryId& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string ModelEntries::Name(const log::EntryId& id) const {
  std::optional<std::pair<int, int>> found = Find(id);
  if (!found) return "?";
  return std::string(1, static_cast<char>('A' + found->first)) + std::to_string(found->second + 1);
}

// ---- ModelCache ------------------------------------------------------------------------

uint32_t ModelCache::Id(const Bytes& bytes) {
  auto [it, inserted] = ids_.try_emplace(bytes, static_cast<uint32_t>(ids_.size() + 1));
  return it->second;
}

const ModelCache::Stored* ModelCache::FindStore(const std::string& key) const {
  auto it = stores_.find(key);
  return it == stores_.end() ? nullptr : &it->second;
}

const ModelCache::Stored& ModelCache::AddStore(const std::string& key, Stored stored) {
  return stores_.insert_or_assign(key, std::move(stored)).first->second;
}

}  // namespace accord::model
