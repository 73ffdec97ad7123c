// Where a daemon instance keeps its data, keys and socket (SPEC §6): everything in --home DIR
// (or ACCORD_HOME), else $XDG_DATA_HOME/accord and $XDG_RUNTIME_DIR/accord/accord.sock.
// Shared by accordd and accord so both always agree. Pure apart from reading the environment.
#ifndef ACCORD_BASE_PATHS_H_
#define ACCORD_BASE_PATHS_H_

#include <filesystem>
#include <optional>
#include <string>

#include "base/result.h"

namespace accord {

struct InstancePaths {
  std::filesystem::path data_dir;  // database lives here (0700)
  std::filesystem::path key_dir;   // key file lives here (0700)
  std::filesystem::path key_file;
  std::filesystem::path database;
  std::filesystem::path socket_dir;  // 0700
  std::filesystem::path socket;
};

// `home` is the --home flag if given. Falls back to ACCORD_HOME, then XDG variables, then
// ~/.local/share and /run/user/<uid> (or the data dir when that does not exist).
// kInvalidArgument when nothing usable is set (no HOME at all) or a socket path would
// exceed the sun_path limit.
Result<InstancePaths> ResolveInstancePaths(const std::optional<std::string>& home);

constexpr size_t kMaxSocketPathBytes = 107;  // bytes, sizeof(sockaddr_un::sun_path) - 1

}  // namespace accord

#endif  // ACCORD_BASE_PATHS_H_
