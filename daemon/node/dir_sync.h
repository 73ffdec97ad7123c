// Making a rename durable: fsync of the directory that holds it. Blocking; the daemon's main
// thread (start-over, re-keying).
#ifndef ACCORD_DAEMON_NODE_DIR_SYNC_H_
#define ACCORD_DAEMON_NODE_DIR_SYNC_H_

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "base/result.h"

namespace accord::daemon {

inline Status SyncDir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot open " + dir.native());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return MakeError(ErrorCode::kIo, "fsync " + dir.native() + " failed");
  return Status::Ok();
}

inline bool PathExists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(p, ec));
}

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_DIR_SYNC_H_
