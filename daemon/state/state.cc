#include "daemon/state/state.h"

namespace accord::state {

const Member* Live::FindMember(const MemberId& id) const {
  for (const Member& m : members) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

const Agreement* Live::FindAgreement(const log::EntryId& id) const {
  for (const Agreement& a : agreements) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

bool Live::IsCurrentMember(const MemberId& id) const {
  const Member* m = FindMember(id);
  return m != nullptr && !m->left;
}

}  // namespace accord::state
