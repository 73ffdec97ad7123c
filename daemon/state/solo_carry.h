// Carrying a joiner's solo log into the pact it joins (SPEC §4 "Both partners prepare first",
// docs/pairing.md "Pairing two prepared logs"): which solo entries are written again, in what
// order, with which references. Pure; any thread. Reading the solo log and writing the copies
// (in one transaction) is the node's business (daemon/node/node_prepared.cc).
#ifndef ACCORD_DAEMON_STATE_SOLO_CARRY_H_
#define ACCORD_DAEMON_STATE_SOLO_CARRY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <vector>

#include "base/result.h"
#include "daemon/log/header.h"
#include "daemon/state/events.h"

namespace accord::state {

// One solo entry to write again in the pact.
struct CarryStep {
  log::EntryId solo_id{};        // the solo entry this re-authors
  UserKind kind;                 // as written alone: its references still name solo entries
  int64_t original_time_ms = 0;  // unix ms: the solo entry's time (its own original, if any)
};

struct CarryPlan {
  std::vector<CarryStep> steps;  // in the solo log's order (Lamport, across both feeds)
  size_t shared = 0;             // steps of shared kinds
  size_t reflections = 0;        // steps of the private kind
  size_t forgotten = 0;          // reflections erased alone (forget): not carried, nor the Forget
};

// Plans the carrying of `solo`, every decoded entry of the joiner's solo log (any order):
// everything `device` wrote in its shared feed and its private chain `chain`, in the order
// it wrote them (Lamport; every own entry's clock is above all before it), except its own
// MemberCreated and its chain's PrivateChainStarted (the pact's chain gets its own), and
// except a Forgot and the reflection it names: erased alone, it stays erased. kRefused, with
// what to do, if the log is not one person's solo log: an entry of another device (this
// device already shares a log with someone), or a control entry other than `device`'s
// MemberCreated (it already let someone in, or changed its devices or keys). Nothing else is
// refused or left out: an open space request, a retired agreement, a check-in about a
// retired agreement are carried as they are.
Result<CarryPlan> PlanCarry(std::span<const Event> solo, const log::DeviceKey& device,
                            const log::DeviceKey& chain);

// `kind` with every entry reference (agreement, parent version, version, space request,
// retracted item) that names a key of `new_ids` replaced by its value. References to
// anything else are kept.
UserKind RemapReferences(UserKind kind, const std::map<log::EntryId, log::EntryId>& new_ids);

// Writes one step (references already remapped) and returns the new entry's id.
using CarryWriter =
    std::function<Result<log::EntryId>(const UserKind& kind, int64_t original_time_ms)>;

// Writes the plan's steps in order through `write`, each remapped to the copies written
// before it. Stops at the first error and returns it: the caller undoes what was written
// (the node writes all of it in one transaction). Returns solo id -> id of its copy.
Result<std::map<log::EntryId, log::EntryId>> CarryOut(const CarryPlan& plan,
                                                      const CarryWriter& write);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_SOLO_CARRY_H_
