// A simulated household for the fold's property test: 2-4 members with one to three devices
// each, writing entries with real Lamport clocks (max seen + 1) and syncing pairwise, driven
// by a list of choices so rapidcheck can shrink a failing history. Test-only; one thread.
#ifndef ACCORD_TESTS_DAEMON_STATE_HISTORY_SIM_H_
#define ACCORD_TESTS_DAEMON_STATE_HISTORY_SIM_H_

#include <cstdint>
#include <vector>

#include "daemon/state/events.h"

namespace accord::state::testing {

// Every choice is one action (sync, need, proposal, counter, accept, decline, retire,
// check-in, space ask/ack/back, appreciation, reflection, retract, membership change), its
// low bits selecting the kind and the rest its arguments. Devices only refer to entries they have
// seen. Returns every entry written, in writing order.
std::vector<Event> SimulateHistory(const std::vector<uint32_t>& choices);

}  // namespace accord::state::testing

#endif  // ACCORD_TESTS_DAEMON_STATE_HISTORY_SIM_H_
