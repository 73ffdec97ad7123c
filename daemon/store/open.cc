#include "daemon/store/open.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace accord::store {

namespace {

constexpr mode_t kFileMode = 0600;  // owner read/write only

struct PragmaSetting {
  const char* name;
  std::string value;
  std::string read_back;  // what `PRAGMA name` must answer afterwards
};

Error IoError(const std::string& what, const std::string& path) {
  return MakeError(ErrorCode::kIo, what + " " + path + ": " + std::strerror(errno));
}

// Tightens a file SQLite or an earlier run left too open; refuses links and foreign files.
Status SecureExisting(const std::string& path, const struct stat& st) {
  if (S_ISLNK(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile, path + " is a symbolic link; refusing to use it");
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile, path + " is not a regular file");
  }
  if (st.st_uid != geteuid()) {
    return MakeError(ErrorCode::kInsecureFile, path + " belongs to another user");
  }
  if ((st.st_mode & 0077) != 0 && chmod(path.c_str(), kFileMode) != 0) {
    return IoError("cannot restrict the mode of", path);
  }
  return Status::Ok();
}

// SQLite gives -wal and -shm the main file's mode, so creating the main file 0600 ourselves
// (before SQLite would create it with 0644 & ~umask) keeps all three private.
Status PrepareFiles(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    ACCORD_RETURN_IF_ERROR(SecureExisting(path, st));
  } else if (errno == ENOENT) {
    int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, kFileMode);
    if (fd < 0) return IoError("cannot create", path);
    close(fd);
  } else {
    return IoError("cannot inspect", path);
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = path + suffix;
    if (lstat(side.c_str(), &st) == 0) ACCORD_RETURN_IF_ERROR(SecureExisting(side, st));
  }
  return Status::Ok();
}

Error Damaged(const std::string& path, const std::string& detail) {
  return MakeError(ErrorCode::kCorrupt,
                   "the database " + path + " is damaged or is not an accord database (" + detail +
                       "). Stop the daemon, move the file aside (with its -wal and -shm), and "
                       "restore it from a backup or start afresh and resync from a partner's "
                       "device.");
}

// Adds the what-to-do hint to corruption found by any step.
Status HintIfCorrupt(const std::string& path, Status status) {
  if (status.code() == ErrorCode::kCorrupt) return Damaged(path, status.error().message);
  return status;
}

Status Configure(Sqlite& db) {
  int on = -1;
  if (sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK || on != 1) {
    return MakeError(ErrorCode::kInternal, "SQLite refused defensive mode");
  }
  if (sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) != SQLITE_OK ||
      on != 0) {
    return MakeError(ErrorCode::kInternal, "SQLite refused trusted_schema off");
  }
  // Set explicitly even where Debian's build defaults agree (SECURITY §6.3), and read back:
  // a PRAGMA SQLite does not accept is silently ignored.
  const PragmaSetting settings[] = {
      {"journal_mode", "WAL", "wal"},
      {"synchronous", "FULL", "2"},  // own entries durable before they are sent (§5.5)
      {"secure_delete", "ON", "1"},
      {"foreign_keys", "ON", "1"},
      {"trusted_schema", "OFF", "0"},
      {"cell_size_check", "ON", "1"},
      {"journal_size_limit", std::to_string(kJournalSizeLimitBytes),
       std::to_string(kJournalSizeLimitBytes)},
      {"busy_timeout", std::to_string(kBusyTimeoutMs), std::to_string(kBusyTimeoutMs)},
  };
  for (const PragmaSetting& s : settings) {
    ACCORD_RETURN_IF_ERROR(db.Exec(std::string("PRAGMA ") + s.name + " = " + s.value));
    Result<std::string> now = db.QueryText(std::string("PRAGMA ") + s.name);
    if (!now.ok()) return now.error();
    if (*now != s.read_back) {
      return MakeError(ErrorCode::kInternal, std::string("SQLite did not accept PRAGMA ") + s.name +
                                                 " = " + s.value + " (it reports '" + *now + "')");
    }
  }
  return Status::Ok();
}

Status QuickCheck(Sqlite& db) {
  constexpr int kReportedProblems = 3;  // rows of quick_check quoted in the error
  Result<Query> q = db.Prepare("PRAGMA quick_check");
  if (!q.ok()) return q.error();
  std::string report;
  for (int i = 0; i < kReportedProblems + 1; ++i) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    const std::string line = q->Text(0);
    if (i == 0 && line == "ok") return Status::Ok();
    if (!report.empty()) report += "; ";
    report += line;
  }
  return MakeError(ErrorCode::kCorrupt, "quick_check reports: " + report);
}

}  // namespace

Result<std::unique_ptr<Sqlite>> OpenDatabase(const std::filesystem::path& path,
                                             std::span<const Migration> migrations) {
  const std::string file = path.string();
  ACCORD_RETURN_IF_ERROR(PrepareFiles(file));
  Result<std::unique_ptr<Sqlite>> db = Sqlite::Open(file);
  if (!db.ok()) return HintIfCorrupt(file, db.error()).error();
  ACCORD_RETURN_IF_ERROR(HintIfCorrupt(file, Configure(**db)));
  ACCORD_RETURN_IF_ERROR(HintIfCorrupt(file, QuickCheck(**db)));
  Result<int> version = SchemaVersion(**db);
  if (!version.ok()) return HintIfCorrupt(file, version.error()).error();
  Status migrated = ApplyMigrations(**db, migrations);
  if (!migrated.ok()) {
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (*version > latest) return migrated.error();  // from a newer accord, not damaged
    return HintIfCorrupt(file, migrated).error();
  }
  return db;
}

}  // namespace accord::store
