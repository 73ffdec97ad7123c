#include "daemon/log/key_ring.h"

namespace accord::log {

void KeyRing::AddEpochKey(uint64_t epoch, crypto::SecretKey key) {
  epochs_.insert_or_assign(epoch, std::move(key));
}

void KeyRing::AddPersonKey(uint64_t generation, crypto::SecretKey key) {
  person_.insert_or_assign(generation, std::move(key));
}

const crypto::SecretKey* KeyRing::KeyFor(Scope scope, uint64_t epoch) const {
  const auto& keys = scope == Scope::kPrivate ? person_ : epochs_;
  auto it = keys.find(epoch);
  return it == keys.end() ? nullptr : &it->second;
}

}  // namespace accord::log
