// Deriving one agreement (versions, stances, activation, pending, retirement) from the
// entries that name it. Pure; called by Fold::View. Who counts as a member is membership.h.
#ifndef ACCORD_DAEMON_STATE_AGREEMENTS_H_
#define ACCORD_DAEMON_STATE_AGREEMENTS_H_

#include <map>
#include <optional>

#include "daemon/state/events.h"
#include "daemon/state/membership.h"
#include "daemon/state/state.h"

namespace accord::state {

// Everything applied that names one agreement root, kept by Fold::Apply as it arrives.
struct AgreementEntries {
  std::map<OrderKey, const Event*> proposals;    // the root (Proposed) and its counters
  std::map<OrderKey, const Event*> stances;      // Accepted and Declined
  std::map<OrderKey, const Event*> retirements;  // Retired
  std::map<OrderKey, const Event*> check_ins;    // CheckedIn about it
};

// nullopt while the root entry is missing or does not count. Rules (SPEC §3):
// - a counter is a version once its parent is; a counter not LWW-after its parent is void
//   (an honest author has seen the parent, so its Lamport clock is higher);
// - a member's stance on a version is their LWW-latest Accepted/Declined of it; the version's
//   own entry counts as its author's acceptance;
// - a version is active when every current member's stance on it is an acceptance;
// - pending: versions LWW-after the latest active one that are neither countered nor active;
// - any counted Retired retires the agreement, whatever else.
std::optional<Agreement> BuildAgreement(const log::EntryId& root, const AgreementEntries& entries,
                                        const Membership& membership);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_AGREEMENTS_H_
