// The state digest: BLAKE2b-256 over a canonical encoding of the shared state, equal on every
// device holding the same entries (SPEC §3). Pure; any thread. The encoding is documented in
// digest.cc and docs/state-digest.md; reflections and anything clock-dependent stay out.
#ifndef ACCORD_DAEMON_STATE_DIGEST_H_
#define ACCORD_DAEMON_STATE_DIGEST_H_

#include "base/bytes.h"
#include "daemon/state/state.h"

namespace accord::state {

Hash32 StateDigest(const State& state);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_DIGEST_H_
