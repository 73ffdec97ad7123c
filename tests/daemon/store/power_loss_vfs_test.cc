// The power-loss VFS itself (tests/support/power_loss_vfs.h), on plain SQLite in WAL mode:
// with synchronous=FULL (the store's setting) no acknowledged commit is lost at any crash
// point; with synchronous=OFF some are, so the model does discard what was never synced.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "tests/support/power_loss_run.h"
#include "tests/support/temp_dir.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kRows = 4;  // commits of the workload

bool Exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Commits rows 1..kRows one by one; `acknowledged` is the last whose COMMIT returned ok.
void CommitRows(const fs::path& dir, const std::string& synchronous, int& acknowledged) {
  acknowledged = 0;
  sqlite3* db = nullptr;
  const std::string path = (dir / "t.db").string();
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) ==
          SQLITE_OK &&
      Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous) &&
      Exec(db, "CREATE TABLE t (x INTEGER PRIMARY KEY, pad BLOB)")) {
    for (int i = 1; i <= kRows; ++i) {
      if (!Exec(db, "INSERT INTO t VALUES (" + std::to_string(i) + ", zeroblob(600))")) break;
      acknowledged = i;
    }
  }
  sqlite3_close(db);
}

// Rows held after the reboot (-1: the database does not open or fails integrity_check).
int RowsAfterReboot(const fs::path& dir) {
  sqlite3* db = nullptr;
  const std::string path = (dir / "t.db").string();
  if (!fs::exists(path)) return 0;  // created, never made durable
  int rows = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    std::string integrity;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      integrity = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    // A database that never got its table is empty, not damaged.
    if (integrity == "ok" && sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(x), 0) FROM t",
                                                -1, &stmt, nullptr) != SQLITE_OK) {
      rows = 0;
    } else if (integrity == "ok" && sqlite3_step(stmt) == SQLITE_ROW &&
               sqlite3_column_int(stmt, 0) == sqlite3_column_int(stmt, 1)) {
      rows = sqlite3_column_int(stmt, 0);  // contiguous from 1
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

TEST(PowerLossVfs, FullSyncKeepsEveryAcknowledgedCommitAtEveryCrashPoint) {
  TempDir scratch;
  int acknowledged = 0;
  PowerLossCoverage coverage = RunThroughEveryCrashPoint(
      scratch.path(), [&](const fs::path& dir) { CommitRows(dir, "FULL", acknowledged); },
      [&](const fs::path& dir, const CrashPoint&) {
        const int rows = RowsAfterReboot(dir);
        EXPECT_GE(rows, acknowledged) << "an acknowledged commit was lost";
      });
  EXPECT_GE(coverage.syncs, static_cast<size_t>(kRows));
  EXPECT_GT(coverage.dir_syncs, 0u);           // the new WAL's name was made durable, and seen
  EXPECT_GT(coverage.reboots, coverage.runs);  // torn and in-order disks beside the synced one
}

TEST(PowerLossVfs, WithoutSyncSomeAcknowledgedCommitsAreLost) {
  TempDir scratch;
  int acknowledged = 0;
  size_t lost = 0;
  RunThroughEveryCrashPoint(
      scratch.path(), [&](const fs::path& dir) { CommitRows(dir, "OFF", acknowledged); },
      [&](const fs::path& dir, const CrashPoint& point) {
        if (point.survival == Survival::kSyncedOnly && RowsAfterReboot(dir) < acknowledged) {
          ++lost;
        }
      });
  EXPECT_GT(lost, 0u);
}

}  // namespace
}  // namespace accord::testing
