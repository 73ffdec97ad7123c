// Id prefixes as users type them, like git's: any unique hex prefix of at least 4 digits;
// an ambiguous one lists the candidates. Pure functions of the state.
#ifndef ACCORD_DAEMON_IPC_RESOLVE_H_
#define ACCORD_DAEMON_IPC_RESOLVE_H_

#include <optional>
#include <string_view>

#include "base/result.h"
#include "daemon/state/state.h"

namespace accord::daemon {

constexpr size_t kMinIdPrefix = 4;  // hex digits

struct AgreementRef {
  const state::Agreement* agreement = nullptr;
  std::optional<log::EntryId> version;  // set when the prefix named a specific later version
};

// Matches agreement ids (version 1) and the ids of later versions. kInvalidArgument for a
// prefix that is not hex or too short, kNotFound, kAmbiguous (message lists candidates).
Result<AgreementRef> ResolveAgreement(const state::Live& state, std::string_view prefix);
Result<const state::SpaceRequest*> ResolveSpaceRequest(const state::Live& state,
                                                       std::string_view prefix);
// One of this device's member's reflections (the only ones a device holds).
Result<log::EntryId> ResolveReflection(const state::State& state, std::string_view prefix);
// Any item the state lists, withdrawn or not: needs, boundaries, appreciations, check-ins,
// space requests, agreement versions and reflections (`retract` says which it refuses).
Result<log::EntryId> ResolveItem(const state::State& state, std::string_view prefix);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_RESOLVE_H_
