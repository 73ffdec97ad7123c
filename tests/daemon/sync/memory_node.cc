#include "tests/daemon/sync/memory_node.h"

#include <cstdlib>

#include "daemon/log/ingest.h"
#include "daemon/log/integrity.h"
#include "daemon/log/validate.h"

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
  for (const log::VerifiedEntry& entry : plan->to_store) {
    Append(entry.envelope);
    if (log::IsWithheld(entry.header, entry.envelope) && entry.header.scope != log::Scope::kPrivate)
      wanted_.insert(entry.id);
  }
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

std::optional<log::Envelope> MemoryNode::Get(const log::EntryId& id) const {
  for (const auto& [author, feed] : feeds_) {
    for (size_t i = 0; i < feed.ids.size(); ++i) {
      if (feed.ids[i] == id) return feed.entries[i];
    }
  }
  return std::nullopt;
}

void MemoryNode::Damage(const log::EntryId& id) {
  for (auto& [author, feed] : feeds_) {
    for (size_t i = 0; i < feed.ids.size(); ++i) {
      if (feed.ids[i] != id) continue;
      if (feed.entries[i].sealed_body.empty()) std::abort();  // the test's own bug
      feed.entries[i].sealed_body[0] ^= 0x01;
      wanted_.insert(id);
    }
  }
}

size_t MemoryNode::Repair(std::span<const log::Envelope> copies) {
  size_t repaired = 0;
  for (const log::Envelope& copy : copies) {
    const log::EntryId id = log::ComputeEntryId(copy.header);
    if (!wanted_.contains(id) || !log::IsIntactCopy(id, copy)) continue;
    for (auto& [author, feed] : feeds_) {
      for (size_t i = 0; i < feed.ids.size(); ++i) {
        if (feed.ids[i] == id) feed.entries[i] = copy;
      }
    }
    wanted_.erase(id);
    ++repaired;
  }
  return repaired;
}

std::vector<log::EntryId> MemoryNode::WantedBodies(size_t limit) const {
  std::vector<log::EntryId> out;
  for (const log::EntryId& id : wanted_) {
    if (out.size() == limit) break;
    out.push_back(id);
  }
  return out;
}

Share MemoryNode::MaySend(const log::Envelope& entry, const log::EntryHeader& header) const {
  if (!may_send_(header)) return Share::kNothing;
  if (header_only_(header) || wanted_.contains(log::ComputeEntryId(entry.header))) {
    return Share::kHeaderOnly;
  }
  return Share::kWhole;
}

Result<std::optional<log::Envelope>> MemoryNode::IntactCopy(const log::EntryId& id) const {
  std::optional<log::Envelope> held = Get(id);
  if (!held || wanted_.contains(id)) {
    return std::optional<log::Envelope>();
  }
  return held;
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
