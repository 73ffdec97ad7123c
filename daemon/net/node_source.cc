#include "daemon/net/node_source.h"

namespace accord::daemon {

Result<std::vector<log::Envelope>> NodeSource::Read(const log::DeviceKey& author, uint64_t from_seq,
                                                    size_t limit) const {
  Result<std::vector<log::Envelope>> envelopes = node_.store().ReadRange(author, from_seq, limit);
  if (!envelopes.ok()) return envelopes;
  std::optional<bool> same_member;  // asked at most once per call, and only if needed
  for (log::Envelope& e : *envelopes) {
    if (e.header.size() != log::kHeaderBytes ||
        e.header[log::HeaderLayout::kScope] != static_cast<uint8_t>(log::Scope::kPrivate)) {
      continue;
    }
    // Private entries stay with their member's own devices (SPEC §4: reflections never leave).
    if (!same_member) {
      std::optional<state::MemberId> a = node_.MemberOf(author);
      std::optional<state::MemberId> p = node_.MemberOf(peer_);
      same_member = a && p && *a == *p;
    }
    if (!*same_member) e.sealed_body.clear();
  }
  return envelopes;
}

}  // namespace accord::daemon
