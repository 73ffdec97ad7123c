// Store: several changes as one transaction (Store::Atomically), for joining a pact with a
// prepared log (docs/pairing.md "Pairing two prepared logs").
#include "daemon/store/store.h"

namespace accord::store {

Status Store::Atomically(const std::function<Status()>& work) {
  Status result = [&]() -> Status {
    Transaction txn(*db_);
    ACCORD_RETURN_IF_ERROR(txn.status());
    ACCORD_RETURN_IF_ERROR(work());
    return txn.Commit();
  }();
  if (result.ok()) return result;
  // Rolled back: the caches may hold what the work stored before it failed.
  heads_.clear();
  frozen_.clear();
  if (Status reloaded = LoadCaches(); !reloaded.ok()) {
    return MakeError(reloaded.code(),
                     result.error().message +
                         "; then reading the store back failed: " + reloaded.error().message);
  }
  return result;
}

Status Store::DropWrappedKeys(WrappedKeyKind kind) {
  Result<Query> q = db_->Prepare("DELETE FROM wrapped_keys WHERE kind = ?");
  if (!q.ok()) return q.error();
  q->Bind(1, static_cast<int64_t>(kind));
  return q->Run();
}

}  // namespace accord::store
