// The symmetric keys a device holds for opening and sealing bodies: pact epoch keys and the
// member's person key generations. Owned by the daemon thread; the store persists them
// wrapped under the storage key.
#ifndef ACCORD_DAEMON_LOG_KEY_RING_H_
#define ACCORD_DAEMON_LOG_KEY_RING_H_

#include <cstdint>
#include <map>

#include "crypto/secret.h"
#include "daemon/log/header.h"

namespace accord::log {

class KeyRing {
 public:
  void AddEpochKey(uint64_t epoch, crypto::SecretKey key);
  void AddPersonKey(uint64_t generation, crypto::SecretKey key);

  // The key that seals/opens a body of `scope` at `epoch`, or null if unknown.
  // kShared and kControl use epoch keys; kPrivate uses person-key generations.
  const crypto::SecretKey* KeyFor(Scope scope, uint64_t epoch) const;

  // The newest epoch / person generation; REQUIRES: at least one key of that kind.
  uint64_t current_epoch() const { return epochs_.rbegin()->first; }
  uint64_t current_person_generation() const { return person_.rbegin()->first; }
  bool has_epoch_keys() const { return !epochs_.empty(); }
  bool has_person_keys() const { return !person_.empty(); }

  const std::map<uint64_t, crypto::SecretKey>& epoch_keys() const { return epochs_; }
  const std::map<uint64_t, crypto::SecretKey>& person_keys() const { return person_; }

 private:
  std::map<uint64_t, crypto::SecretKey> epochs_;
  std::map<uint64_t, crypto::SecretKey> person_;
};

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_KEY_RING_H_
