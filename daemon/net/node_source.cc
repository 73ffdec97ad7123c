#include "daemon/net/node_source.h"

namespace accord::daemon {

bool NodeSource::SameMember(const log::DeviceKey& author) const {
  std::optional<state::MemberId> a = node_.MemberOf(author);
  std::optional<state::MemberId> p = node_.MemberOf(peer_);
  return a && p && *a == *p;
}

Result<std::optional<log::Envelope>> NodeSource::IntactCopy(const log::EntryId& id) const {
  Result<std::optional<log::Envelope>> copy = node_.IntactCopy(id);
  if (!copy.ok() || !copy->has_value()) return copy;
  Result<log::EntryHeader> header = log::DecodeHeader((*copy)->header);
  if (!header.ok()) return std::optional<log::Envelope>();
  if (header->scope == log::Scope::kPrivate && !SameMember(header->author)) {
    return std::optional<log::Envelope>();  // reflections never leave their member (SPEC §4)
  }
  return copy;
}

Result<std::vector<log::Envelope>> NodeSource::Read(const log::DeviceKey& author, uint64_t from_seq,
                                                    size_t limit) const {
  Result<std::vector<log::Envelope>> envelopes = node_.store().ReadRange(author, from_seq, limit);
  if (!envelopes.ok()) return envelopes;
  if (!node_.Damaged().empty()) {
    // A body held damaged or missing goes header-only: the chain stays whole for the peer,
    // the rest of the feed follows, and the peer fetches the body from whoever holds it.
    for (log::Envelope& e : *envelopes) {
      if (e.header.size() == log::kHeaderBytes &&
          node_.BodyUnsendable(log::ComputeEntryId(e.header))) {
        e.sealed_body.clear();
      }
    }
  }
  std::optional<bool> same_member;  // asked at most once per call, and only if needed
  for (log::Envelope& e : *envelopes) {
    if (e.header.size() != log::kHeaderBytes ||
        e.header[log::HeaderLayout::kScope] != static_cast<uint8_t>(log::Scope::kPrivate)) {
      continue;
    }
    // Private entries stay with their member's own devices (SPEC §4: reflections never leave).
    if (!same_member) same_member = SameMember(author);
    if (!*same_member) e.sealed_body.clear();
  }
  return envelopes;
}

}  // namespace accord::daemon
