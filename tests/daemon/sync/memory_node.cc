#include "tests/daemon/sync/memory_node.h"

#include <cstdlib>

#include "daemon/log/ingest.h"

namespace accord::sync::testing {

MemoryNode::MemoryNode(const log::PactId& pact, const log::KeyRing& keys,
                       const std::vector<log::DeviceKey>& devices)
    : pact_(pact), keys_(keys), devices_(devices.begin(), devices.end()) {}

void MemoryNode::Append(const log::Envelope& entry) {
  Result<log::EntryHeader> header = log::DecodeHeader(entry.header);
  if (!header.ok()) std::abort();  // the test's own bug: Append takes well-formed entries
  Feed& feed = feeds_[header->author];
  if (header->seq != feed.entries.size() + 1) std::abort();
  feed.entries.push_back(entry);
  feed.ids.push_back(log::ComputeEntryId(entry.header));
}

Result<MemoryNode::StoreReport> MemoryNode::Store(std::span<const log::Envelope> batch) {
  Result<log::IngestPlan> plan = log::IngestBatch(batch, pact_, *this, keys_);
  if (!plan.ok()) return plan.error();
  StoreReport report;
  for (const log::VerifiedEntry& entry : plan->to_store) Append(entry.envelope);
  for (const log::ForkProof& fork : plan->forks) {
    frozen_.insert(fork.author);
    forks_.push_back(fork);
    // The existing side is held by now (ingest orders forks after the batch's entries).
    const log::Envelope& existing = feeds_.at(fork.author).entries.at(fork.seq - 1);
    report.forks.emplace_back(existing, fork.conflicting);
  }
  report.stored = plan->to_store.size();
  report.duplicates = plan->duplicates;
  return report;
}

std::map<log::DeviceKey, std::vector<log::EntryId>> MemoryNode::Feeds() const {
  std::map<log::DeviceKey, std::vector<log::EntryId>> out;
  for (const auto& [author, feed] : feeds_) out[author] = feed.ids;
  return out;
}

size_t MemoryNode::entry_count() const {
  size_t n = 0;
  for (const auto& [author, feed] : feeds_) n += feed.entries.size();
  return n;
}

std::map<log::DeviceKey, log::FeedHead> MemoryNode::Heads() const {
  std::map<log::DeviceKey, log::FeedHead> out;
  for (const auto& [author, feed] : feeds_) {
    if (!feed.ids.empty()) out[author] = log::FeedHead{feed.ids.size(), feed.ids.back()};
  }
  return out;
}

Result<std::vector<log::Envelope>> MemoryNode::Read(const log::DeviceKey& author, uint64_t from_seq,
                                                    size_t limit) const {
  ++reads_;
  std::vector<log::Envelope> out;
  auto it = feeds_.find(author);
  if (it == feeds_.end() || from_seq == 0) return out;
  const std::vector<log::Envelope>& entries = it->second.entries;
  for (uint64_t seq = from_seq; seq <= entries.size() && out.size() < limit; ++seq) {
    out.push_back(entries[seq - 1]);
  }
  return out;
}

log::FeedHead MemoryNode::Head(const log::DeviceKey& author) const {
  auto it = feeds_.find(author);
  if (it == feeds_.end() || it->second.ids.empty()) return log::FeedHead{};
  return log::FeedHead{it->second.ids.size(), it->second.ids.back()};
}

std::optional<log::EntryId> MemoryNode::IdAt(const log::DeviceKey& author, uint64_t seq) const {
  auto it = feeds_.find(author);
  if (it == feeds_.end() || seq == 0 || seq > it->second.ids.size()) return std::nullopt;
  return it->second.ids[seq - 1];
}

}  // namespace accord::sync::testing
