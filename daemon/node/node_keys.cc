#include "daemon/node/node_keys.h"

#include "crypto/aead.h"
#include "crypto/epoch_seal.h"

namespace accord::daemon::node_internal {

std::string KeyPurpose(store::WrappedKeyKind kind, uint64_t generation) {
  return std::string(kind == store::WrappedKeyKind::kEpoch ? "accord/epoch/" : "accord/person/") +
         std::to_string(generation);
}

Status StoreKey(store::Store& s, const crypto::SecretKey& storage_key, store::WrappedKeyKind kind,
                uint64_t generation, const crypto::SecretKey& key) {
  store::WrappedKey w;
  w.kind = kind;
  w.generation = generation;
  w.wrapped = crypto::WrapKey(storage_key, AsBytes(KeyPurpose(kind, generation)), key);
  return s.PutWrappedKey(w);
}

Result<std::vector<state::EpochStarted::Recipient>> SealToDevices(
    const std::vector<state::Device>& devices, const log::PactId& pact, uint64_t number,
    const crypto::SecretKey& key) {
  std::vector<state::EpochStarted::Recipient> out;
  for (const state::Device& d : devices) {
    Result<Bytes> box = crypto::SealEpochKey(d.x25519, pact, number, key);
    if (!box.ok()) {
      return MakeError(box.code(), "cannot seal the new key to device " +
                                       ToHex(d.key).substr(0, 8) + ": " + box.error().message);
    }
    out.push_back({d.key, std::move(*box)});
  }
  return out;
}

}  // namespace accord::daemon::node_internal
