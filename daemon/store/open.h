// Opening the database file safely: created 0600, every PRAGMA set and read back, integrity
// checked, schema migrated. Called once per store, on the thread that opens it.
// Reading and writing entries is store.h; the schema itself is schema/*.sql.
#ifndef ACCORD_DAEMON_STORE_OPEN_H_
#define ACCORD_DAEMON_STORE_OPEN_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "base/result.h"
#include "daemon/store/migrate.h"
#include "daemon/store/sqlite.h"

namespace accord::store {

constexpr int kBusyTimeoutMs = 5000;                 // ms a writer waits for the lock
constexpr int64_t kJournalSizeLimitBytes = 8 << 20;  // bytes the WAL is cut back to

// Creates the file (mode 0600) if missing; refuses a symlink or a file of another user
// (kInsecureFile) and tightens a group/world-readable mode. Then WAL + synchronous=FULL +
// secure_delete + defensive settings (read back; kInternal if SQLite does not take them),
// PRAGMA quick_check (kCorrupt, with what to do, if it fails or the file is not a
// database), and the migrations (kCorrupt if the file is from a newer accord).
Result<std::unique_ptr<Sqlite>> OpenDatabase(const std::filesystem::path& path,
                                             std::span<const Migration> migrations);

}  // namespace accord::store

#endif  // ACCORD_DAEMON_STORE_OPEN_H_
