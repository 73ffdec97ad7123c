// `accordd --start-over`: moves this instance's store (database, -wal, -shm) and key
// directory aside into a new timestamped directory next to them, never deleting anything, so
// that the daemon can run as a fresh device. Daemon main thread, before the store is opened.
#ifndef ACCORD_DAEMON_NODE_START_OVER_H_
#define ACCORD_DAEMON_NODE_START_OVER_H_

#include <cstdint>
#include <filesystem>
#include <optional>

#include "base/paths.h"
#include "base/result.h"

namespace accord::daemon {

// Moves whatever exists of the store and key directory into
// `data_dir/set-aside-YYYYMMDDTHHMMSSZ[-N]` (0700; renames only, then fsync of both
// directories). Returns that directory, or nullopt if there was nothing to move. kIo if a
// rename fails (what was moved stays in the new directory; nothing is lost either way).
Result<std::optional<std::filesystem::path>> SetStoreAside(const InstancePaths& paths,
                                                           int64_t now_unix_ms);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_START_OVER_H_
