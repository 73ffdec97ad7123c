// What a member may write, given the folded state: which version a command acts on and the
// refusals (a retired agreement, one's own proposal, one's own space request ...). Pure
// functions of the state; any thread. Parsing requests and writing entries do not belong here.
#ifndef ACCORD_DAEMON_STATE_RULES_H_
#define ACCORD_DAEMON_STATE_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::state {

// kRefused for a retired agreement: nothing more is said about it (propose a new one).
Status CheckNotRetired(const Agreement& agreement);

// The version a command acts on: `named` if set, else the single pending version, else (if
// `allow_active`) the latest active one. kAmbiguous with several pending versions (the
// message lists them), kRefused with none to act on. REQUIRES: `named`, if set, is the id of
// one of the agreement's versions.
Result<const Version*> TargetVersion(const Agreement& agreement,
                                     const std::optional<log::EntryId>& named, bool allow_active);

// The version a counter answers: CheckNotRetired, then TargetVersion with the active allowed.
Result<const Version*> CounterTarget(const Agreement& agreement,
                                     const std::optional<log::EntryId>& named);

// The terms of a proposal or counter as the member said them; nullopt where nothing was said.
struct ProposalTerms {
  std::optional<Schedule> schedule;
  std::optional<int64_t> review_every_ms;  // milliseconds
};

// The counter to `parent` (a version of `agreement`): unsaid terms carry over from `parent`.
Proposed CounterTo(const Agreement& agreement, const Version& parent, std::string text,
                   ProposalTerms said);

// Accepting (or declining) `version`, the TargetVersion without the active one: kRefused for
// `me`'s own proposal, an active version, and the stance `me` already holds on it.
Status MayTakeStance(const Version& version, const MemberId& me, bool accept);

// Acknowledging `request`: kRefused for `me`'s own request and one `me` already acknowledged.
Status MayAcknowledge(const SpaceRequest& request, const MemberId& me);

// Withdrawing `target` (`retract`): it must be one of `me`'s own needs, boundaries,
// appreciations, check-ins or space requests, not withdrawn yet, and a space request must
// still be open at `now_ms` (unix milliseconds), the time the retract will carry: the rule
// the fold applies to a retract it receives. kNotFound when `target` is none of the state's
// items; kRefused for another member's item, an agreement or one of its versions, a
// reflection, a space request that has ended, and an item already withdrawn.
Status MayRetract(const State& state, const log::EntryId& target, const MemberId& me,
                  int64_t now_ms);

// The request `back` ends: the newest of `me`'s requests in space at `now_ms` (unix
// milliseconds). kRefused when `me` is not in a space time.
Result<log::EntryId> RequestToEnd(const Live& state, const MemberId& me, int64_t now_ms);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_RULES_H_
