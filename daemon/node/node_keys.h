// Node internals shared by its .cc files: meta keys and wrapping keys for the store.
// Daemon thread only; not for use outside daemon/node.
#ifndef ACCORD_DAEMON_NODE_NODE_KEYS_H_
#define ACCORD_DAEMON_NODE_NODE_KEYS_H_

#include <string>
#include <string_view>

#include "crypto/secret.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"
#include "daemon/store/store.h"

namespace accord::daemon::node_internal {

constexpr std::string_view kMetaPact = "pact_id";
// This device's public signing key, recorded by `init` once the key file is written (or at
// the first open of an older store whose log proves it): the key file must match it.
constexpr std::string_view kMetaDeviceKey = "device_key";
// The names `init` was given, sealed under the storage key (the database holds no plaintext),
// kept until the MemberCreated entry that carries them is written; empty afterwards.
constexpr std::string_view kMetaInitProfile = "init_profile";
// The member this device joined as another device of (node_device.cc), until the entry that
// added it is folded here; absent for a member's first device (its key is the member id).
constexpr std::string_view kMetaMember = "member_id";

std::string KeyPurpose(store::WrappedKeyKind kind, uint64_t generation);
Status StoreKey(store::Store& s, const crypto::SecretKey& storage_key, store::WrappedKeyKind kind,
                uint64_t generation, const crypto::SecretKey& key);

// `key` boxed (crypto/epoch_seal.h) to each of `devices` for an EpochStart or a
// PersonKeyStart numbered `number`, in the order given. An error names the device.
Result<std::vector<state::EpochStarted::Recipient>> SealToDevices(
    const std::vector<state::Device>& devices, const log::PactId& pact, uint64_t number,
    const crypto::SecretKey& key);

}  // namespace accord::daemon::node_internal

#endif  // ACCORD_DAEMON_NODE_NODE_KEYS_H_
