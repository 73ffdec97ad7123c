#include "daemon/node/node_keys.h"

#include "crypto/aead.h"

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

}  // namespace accord::daemon::node_internal
