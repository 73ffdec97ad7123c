// The durable steps of a re-key (node_rekey.cc, docs/identity.md "Re-keying after a fork"),
// named for tests that stop a re-key between two of them as a crash would. Main thread only;
// nothing in the daemon sets the hook.
#ifndef ACCORD_DAEMON_NODE_REKEY_STEPS_H_
#define ACCORD_DAEMON_NODE_REKEY_STEPS_H_

#include <functional>

#include "base/result.h"

namespace accord::daemon {

enum class RekeyStep {
  kNextKeyWritten,    // (1) keys/device.key.next written and synced
  kStoreCommitted,    // (2) the DeviceRekeyed entry and the new device key committed
  kOldKeyMovedAside,  // (3) keys/device.key renamed to device.key.replaced-OLDKEY16
  kKeySwapped,        // (3) .next renamed to keys/device.key and keys/ synced
  kCarryWritten,      // (4) the carried entries written, their transaction not yet committed
};

// Test-only. Called after each step, by Rekey and by FinishInterruptedRekey (which repeats
// step 3): a non-OK status stops the work right there and is returned, as if the process had
// died (nothing after it runs; an open transaction is rolled back). An empty hook (the
// default) is never called.
void SetRekeyStepHookForTesting(std::function<Status(RekeyStep)> hook);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_REKEY_STEPS_H_
