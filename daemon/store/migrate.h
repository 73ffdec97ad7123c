// Schema migrations: the numbered daemon/store/schema/NNN_name.sql files, compiled in, applied
// in order, each in its own transaction that also sets PRAGMA user_version.
// Called on the thread that opens the store (the daemon's); the schema is the .sql files.
#ifndef ACCORD_DAEMON_STORE_MIGRATE_H_
#define ACCORD_DAEMON_STORE_MIGRATE_H_

#include <span>

#include "base/result.h"
#include "daemon/store/sqlite.h"

namespace accord::store {

struct Migration {
  int version;       // NNN of the file name; 1, 2, 3 ... without gaps
  const char* name;  // the file name, for messages
  const char* sql;
};

// The migrations built into this binary (generated from schema/*.sql by CMake), in order.
std::span<const Migration> BuiltInMigrations();

// PRAGMA user_version: the number of the last migration applied (0 for a new file).
Result<int> SchemaVersion(Sqlite& db);

// Applies every migration above the current version. A failing migration leaves the file at
// the previous version. kCorrupt if the file's version is newer than any we know (it was
// written by a newer accord). REQUIRES: `migrations` numbered 1, 2, 3 ... in order.
Status ApplyMigrations(Sqlite& db, std::span<const Migration> migrations);

}  // namespace accord::store

#endif  // ACCORD_DAEMON_STORE_MIGRATE_H_
