#include "daemon/state/due.h"

#include <algorithm>
#include <limits>

namespace accord::state {
namespace {

// Times come from authors' clocks, so arithmetic on them saturates instead of overflowing.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}
int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_sub_overflow(a, b, &out)) return out;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

const Version* FindVersion(const Agreement& a, const log::EntryId& id) {
  for (const Version& v : a.versions) {
    if (v.by.id == id) return &v;
  }
  return nullptr;
}

}  // namespace

std::vector<DueItem> Due(const Live& state, int64_t now_ms) {
  std::vector<DueItem> out;
  for (const Agreement& a : state.agreements) {
    if (a.status != AgreementStatus::kActive || !a.latest_active) continue;
    const Version* v = FindVersion(a, *a.latest_active);
    if (v == nullptr || v->review_every_ms <= 0) continue;
    const int64_t last_review = std::max(
        v->active_since_ms, a.last_check_in_ms.value_or(std::numeric_limits<int64_t>::min()));
    const int64_t due = SaturatingAdd(last_review, v->review_every_ms);
    if (now_ms < due) continue;
    out.push_back(DueItem{a.id, v->by.id, last_review, due, SaturatingSub(now_ms, due)});
  }
  return out;
}

std::vector<SpaceRequest> InSpaceNow(const Live& state, int64_t now_ms) {
  std::vector<SpaceRequest> out;
  for (const SpaceRequest& r : state.space_requests) {
    if (r.start_ms <= now_ms && now_ms < r.end_ms && state.IsCurrentMember(r.by.member)) {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace accord::state
