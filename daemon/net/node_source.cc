#include "daemon/net/node_source.h"

namespace accord::daemon {

bool MayHaveFeed(Node& node, const log::DeviceKey& peer, const log::DeviceKey& author) {
  if (!node.IsNamedAuthor(author)) return false;
  const log::DeviceKey device = node.DeviceOfAuthor(author);
  if (device == author) return true;  // a device's shared feed
  std::optional<state::MemberId> owner = node.MemberOf(device);
  std::optional<state::MemberId> theirs = node.MemberOf(peer);
  return owner && theirs && *owner == *theirs;
}

std::map<log::DeviceKey, log::FeedHead> NodeSource::Heads() const {
  std::map<log::DeviceKey, log::FeedHead> heads = node_.store().Heads();
  std::erase_if(heads, [this](const auto& h) { return !MayHaveFeed(node_, peer_, h.first); });
  return heads;
}

std::vector<log::EntryId> NodeSource::WantedBodies(size_t limit) const {
  std::vector<log::EntryId> out;
  for (const auto& [id, damaged] : node_.Damaged()) {
    if (out.size() >= limit) break;
    if (MayHaveFeed(node_, peer_, damaged.author)) out.push_back(id);
  }
  return out;
}

bool NodeSource::SameMember(const log::DeviceKey& author) const {
  std::optional<state::MemberId> a = node_.MemberOf(author);
  std::optional<state::MemberId> p = node_.MemberOf(peer_);
  return a && p && *a == *p;
}

sync::Share NodeSource::MaySend(const log::Envelope& entry, const log::EntryHeader& header) const {
  if (!MayHaveFeed(node_, peer_, header.author)) return sync::Share::kNothing;
  if (node_.HeaderDamaged(header.author, header.seq)) return sync::Share::kNothing;
  // Private entries written before private chains existed (log format 1) sit in their
  // device's shared feed: other members get them header-only, as they always did.
  if (header.scope == log::Scope::kPrivate && !SameMember(header.author)) {
    return sync::Share::kHeaderOnly;
  }
  // Epochs (docs/sync.md "Leaving and removed devices"): a device that left or was removed
  // gets nothing written from its end on; one that cannot hold the entry's epoch key, the
  // header alone.
  if (header.scope != log::Scope::kPrivate) {
    const state::OrderKey key{header.lamport, header.author, log::ComputeEntryId(entry.header)};
    switch (node_.Epochs().ShareWith(peer_, header.scope, header.epoch, key)) {
      case state::EpochShare::kNothing:
        return sync::Share::kNothing;
      case state::EpochShare::kHeaderOnly:
        return sync::Share::kHeaderOnly;
      case state::EpochShare::kWhole:
        break;
    }
  }
  // The damage list is empty nearly always: only then is the id worth hashing.
  if (!node_.Damaged().empty() && node_.BodyUnsendable(log::ComputeEntryId(entry.header))) {
    return sync::Share::kHeaderOnly;
  }
  return sync::Share::kWhole;
}

}  // namespace accord::daemon
