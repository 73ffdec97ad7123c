// `accord retract` (SPEC §6): withdraw one of my own needs, boundaries, appreciations,
// check-ins or open space requests. What may be withdrawn is state/rules.h's MayRetract, the
// rule the fold applies to a retract from any device.
#include "base/text.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/resolve.h"
#include "daemon/state/rules.h"

namespace accord::daemon {

namespace {
constexpr size_t kMaxNoteBytes = 2000;  // bytes
}  // namespace

Result<proto::Response> Handlers::Retract(const proto::RetractRequest& r) {
  if (r.note().size() > kMaxNoteBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the note is too long");
  }
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.note(), "note"));
  const state::State& s = node_.State();
  Result<log::EntryId> target = ResolveItem(s, r.id());
  if (!target.ok()) return target.error();
  ACCORD_RETURN_IF_ERROR(state::MayRetract(s, *target, node_.member(), node_.NowMs()));
  return Written(node_.Write(state::Retracted{*target, r.note()}), "");
}

}  // namespace accord::daemon
