// StoreLogView: the log as validation sees it (log::LogView) over a Store's heads, ids and
// frozen feeds, with the pact's device list supplied by the caller (the folded membership).
// Same thread as the Store. No validation or membership policy here.
#ifndef ACCORD_DAEMON_STORE_STORE_LOG_VIEW_H_
#define ACCORD_DAEMON_STORE_STORE_LOG_VIEW_H_

#include <functional>
#include <optional>
#include <utility>

#include "daemon/log/log_view.h"
#include "daemon/store/store.h"

namespace accord::store {

class StoreLogView : public log::LogView {
 public:
  using KnownDevice = std::function<bool(const DeviceKey&)>;

  // `store` must outlive the view.
  StoreLogView(const Store& store, KnownDevice known) : store_(store), known_(std::move(known)) {}

  FeedHead Head(const DeviceKey& author) const override { return store_.Head(author); }
  // A read error yields nullopt, which validation reports as kInternal for an occupied seq:
  // the batch fails and can be retried, it is never misjudged.
  std::optional<EntryId> IdAt(const DeviceKey& author, uint64_t seq) const override;
  bool IsFrozen(const DeviceKey& author) const override;
  bool IsKnownDevice(const DeviceKey& device) const override { return known_ && known_(device); }

 private:
  const Store& store_;
  KnownDevice known_;
};

}  // namespace accord::store

#endif  // ACCORD_DAEMON_STORE_STORE_LOG_VIEW_H_
