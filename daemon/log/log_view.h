// LogView: the read-only questions validation asks about the log (heads, ids, frozen feeds,
// known devices). Implemented by the store adapter and by the batch overlay; no SQLite here.
// Called on the daemon thread. Policy (who may be a device) belongs to whoever implements it.
#ifndef ACCORD_DAEMON_LOG_LOG_VIEW_H_
#define ACCORD_DAEMON_LOG_LOG_VIEW_H_

#include <cstdint>
#include <optional>

#include "daemon/log/author.h"
#include "daemon/log/header.h"

namespace accord::log {

class LogView {
 public:
  virtual ~LogView() = default;

  // The author's highest contiguous entry; seq 0 when nothing is held.
  virtual FeedHead Head(const DeviceKey& author) const = 0;
  // The id of the author's entry at `seq`, or nullopt if it is not held.
  virtual std::optional<EntryId> IdAt(const DeviceKey& author, uint64_t seq) const = 0;
  // True once a fork by this author has been seen: nothing more of its feed is accepted.
  virtual bool IsFrozen(const DeviceKey& author) const = 0;
  // True if the key is a device of the pact (from pairing or the membership entries).
  virtual bool IsKnownDevice(const DeviceKey& device) const = 0;
};

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_LOG_VIEW_H_
