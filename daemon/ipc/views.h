// Turning the folded state into the IPC view messages the client renders (and the JSON the
// web page will read). Daemon thread; pure functions of (state, me, now).
#ifndef ACCORD_DAEMON_IPC_VIEWS_H_
#define ACCORD_DAEMON_IPC_VIEWS_H_

#include <optional>
#include <string>

#include "accord/ipc.pb.h"
#include "daemon/log/header.h"
#include "daemon/log/integrity.h"
#include "daemon/state/state.h"

namespace accord::daemon {

class ViewBuilder {
 public:
  // From the live part alone (names, agreements, space): what status, agreements, space
  // and due show. From the whole state, `Agreement(a, true)` lists its check-ins too.
  ViewBuilder(const state::Live& live, const state::MemberId& me, int64_t now_ms)
      : state_(live), me_(me), now_ms_(now_ms) {}
  ViewBuilder(const state::State& state, const state::MemberId& me, int64_t now_ms)
      : state_(state), check_ins_(&state.check_ins), me_(me), now_ms_(now_ms) {}

  std::string NameOf(const state::MemberId& member) const;
  proto::MemberView Member(const state::Member& m) const;
  // A decline or an acknowledgement: who, when, and the note they wrote.
  proto::ReplyView Reply(const state::Authored& by, const std::string& note) const;
  // `withdrawn`, if set, is shown as the note's `withdrawn` (it stays in the history).
  proto::NoteView Note(const state::Authored& by, const std::string& text,
                       const std::optional<state::Withdrawal>& withdrawn = std::nullopt) const;
  proto::VersionView Version(const state::Agreement& a, size_t index) const;
  // `full`: with the whole history and the check-ins about it (`show`; the check-ins only
  // for a builder made from the whole state).
  proto::AgreementView Agreement(const state::Agreement& a, bool full) const;
  proto::CheckInView CheckIn(const state::CheckIn& c) const;
  proto::SpaceView Space(const state::SpaceRequest& s) const;

  // A version "waits for me" when it is pending and I have no stance on it.
  bool WaitsForMe(const state::Agreement& a) const;

 private:
  const state::Live& state_;
  const std::vector<state::CheckIn>* check_ins_ = nullptr;  // with the whole state only
  state::MemberId me_;
  int64_t now_ms_;
};

std::string IdHex(const log::EntryId& id);
// The IPC values of domain enums.
proto::AgreementStatus StatusView(state::AgreementStatus status);
proto::Damage DamageView(log::Damage damage);
proto::Scope ScopeView(log::Scope scope);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_VIEWS_H_
