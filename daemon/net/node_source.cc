#include "daemon/net/node_source.h"

namespace accord::daemon {

bool NodeSource::SameMember(const log::DeviceKey& author) const {
  std::optional<state::MemberId> a = node_.MemberOf(author);
  std::optional<state::MemberId> p = node_.MemberOf(peer_);
  return a && p && *a == *p;
}

sync::Share NodeSource::MaySend(const log::Envelope& entry, const log::EntryHeader& header) const {
  if (node_.HeaderDamaged(header.author, header.seq)) return sync::Share::kNothing;
  // Private entries stay with their member's own devices (SPEC §4: reflections never leave).
  if (header.scope == log::Scope::kPrivate && !SameMember(header.author)) {
    return sync::Share::kHeaderOnly;
  }
  // The damage list is empty nearly always: only then is the id worth hashing.
  if (!node_.Damaged().empty() && node_.BodyUnsendable(log::ComputeEntryId(entry.header))) {
    return sync::Share::kHeaderOnly;
  }
  return sync::Share::kWhole;
}

}  // namespace accord::daemon
