// Private chains (docs/log-format.md "Private chains"): each device keeps its private entries
// (reflections, forgets) in a second hash chain of its own, authored by a signing key derived
// from the device's key and the pact id, so other members' devices never hold a header,
// count, time or size of them. The chain's first entry, PrivateChainStart, is sealed under the
// person key and carries the device's signature binding the chain key to the device: the
// member's other devices accept the chain on that proof alone. Pure; any thread.
#ifndef ACCORD_DAEMON_LOG_PRIVATE_CHAIN_H_
#define ACCORD_DAEMON_LOG_PRIVATE_CHAIN_H_

#include "accord/entry.pb.h"
#include "base/bytes.h"
#include "crypto/sign.h"
#include "daemon/log/header.h"

namespace accord::log {

// The signing key of `device`'s private chain in `pact`.
crypto::SigningKey PrivateChainKey(const crypto::SigningKey& device, const PactId& pact);

// The body of a chain's first entry: `device` vouches for `chain` in `pact`.
proto::Body PrivateChainStartBody(const crypto::SigningKey& device, const PactId& pact,
                                  const DeviceKey& chain);

// True if `body` is a PrivateChainStart whose binding is `device_key`'s valid signature for
// the chain key `chain` in `pact`. `device_key` is then the body's device.
bool BindsPrivateChain(const proto::Body& body, const PactId& pact, const DeviceKey& chain,
                       DeviceKey& device_key);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_PRIVATE_CHAIN_H_
