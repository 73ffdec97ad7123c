// Re-keying a device whose own feed forked (SPEC §4 "Restore from a backup",
// docs/identity.md "Re-keying after a fork"): a new signing key whose first entry,
// DeviceRekeyed, carries the old key's signature vouching for it. Every device accepts the
// new key's feed on that proof alone (validate.cc), and the membership fold makes it a device
// of the old key's member. Pure; any thread.
#ifndef ACCORD_DAEMON_LOG_REKEY_H_
#define ACCORD_DAEMON_LOG_REKEY_H_

#include "accord/entry.pb.h"
#include "crypto/sign.h"
#include "daemon/log/header.h"

namespace accord::log {

// The body of the new key's first entry: `old_device` vouches for `new_device` in `pact`.
proto::Body DeviceRekeyedBody(const crypto::SigningKey& old_device, const PactId& pact,
                              const DeviceKey& new_device);

// True if `body` is a DeviceRekeyed whose binding is its old device key's valid signature
// for `new_device` (the entry's author) in `pact`; that key is then in `old_device`.
bool BindsRekey(const proto::Body& body, const PactId& pact, const DeviceKey& new_device,
                DeviceKey& old_device);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_REKEY_H_
