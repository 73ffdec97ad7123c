#include "daemon/node/start_over.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "daemon/node/dir_sync.h"

namespace accord::daemon {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxNameAttempts = 100;  // set-aside-STAMP, -1, ... -99 within one second

std::string Stamp(int64_t now_unix_ms) {
  const std::time_t t = static_cast<std::time_t>(now_unix_ms / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

Result<std::optional<fs::path>> SetStoreAside(const InstancePaths& paths, int64_t now_unix_ms) {
  const fs::path db = paths.database;
  std::vector<fs::path> moving;
  for (const fs::path& p :
       {db, fs::path(db.native() + "-wal"), fs::path(db.native() + "-shm"), paths.key_dir}) {
    if (PathExists(p)) moving.push_back(p);
  }
  if (moving.empty()) return std::optional<fs::path>();

  const std::string base = "set-aside-" + Stamp(now_unix_ms);
  fs::path aside;
  for (int i = 0; i < kMaxNameAttempts; ++i) {
    fs::path candidate = paths.data_dir / (i == 0 ? base : base + "-" + std::to_string(i));
    if (::mkdir(candidate.c_str(), 0700) == 0) {
      aside = candidate;
      break;
    }
    if (errno != EEXIST) {
      return MakeError(ErrorCode::kIo,
                       "cannot create " + candidate.native() + ": " + std::strerror(errno));
    }
  }
  if (aside.empty()) return MakeError(ErrorCode::kIo, "cannot name a set-aside directory");

  for (const fs::path& p : moving) {
    const fs::path to = aside / p.filename();
    if (::rename(p.c_str(), to.c_str()) != 0) {
      return MakeError(ErrorCode::kIo, "cannot move " + p.native() + " to " + to.native() + ": " +
                                           std::strerror(errno) + "; nothing was deleted");
    }
  }
  ACCORD_RETURN_IF_ERROR(SyncDir(aside));
  ACCORD_RETURN_IF_ERROR(SyncDir(paths.data_dir));
  if (paths.key_dir.parent_path() != paths.data_dir) {
    ACCORD_RETURN_IF_ERROR(SyncDir(paths.key_dir.parent_path()));
  }
  return std::optional<fs::path>(aside);
}

}  // namespace accord::daemon
