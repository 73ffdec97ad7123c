#include "daemon/store/store_log_view.h"

namespace accord::store {

std::optional<EntryId> StoreLogView::IdAt(const DeviceKey& author, uint64_t seq) const {
  Result<std::optional<EntryId>> id = store_.IdAt(author, seq);
  return id.ok() ? *id : std::nullopt;
}

bool StoreLogView::IsFrozen(const DeviceKey& author) const {
  return store_.FrozenAuthors().contains(author);
}

}  // namespace accord::store
