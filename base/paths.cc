#include "base/paths.h"

#include <unistd.h>

#include <cstdlib>

namespace accord {

namespace {

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

}  // namespace

Result<InstancePaths> ResolveInstancePaths(const std::optional<std::string>& home_flag) {
  namespace fs = std::filesystem;
  InstancePaths p;
  std::optional<std::string> home = home_flag ? home_flag : Env("ACCORD_HOME");
  if (home) {
    fs::path dir = fs::absolute(*home).lexically_normal();
    p.data_dir = dir;
    p.key_dir = dir / "keys";
    p.socket_dir = dir / "run";
  } else {
    std::optional<std::string> data = Env("XDG_DATA_HOME");
    if (!data) {
      std::optional<std::string> user_home = Env("HOME");
      if (!user_home) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "neither --home, ACCORD_HOME, XDG_DATA_HOME nor HOME is set; "
                         "pass --home DIR");
      }
      data = *user_home + "/.local/share";
    }
    p.data_dir = fs::path(*data) / "accord";
    p.key_dir = p.data_dir / "keys";
    std::optional<std::string> runtime = Env("XDG_RUNTIME_DIR");
    p.socket_dir = runtime ? fs::path(*runtime) / "accord" : p.data_dir / "run";
  }
  p.key_file = p.key_dir / "device.key";
  p.database = p.data_dir / "accord.db";
  p.socket = p.socket_dir / "accord.sock";
  if (p.socket.native().size() > kMaxSocketPathBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "socket path " + p.socket.native() +
                         " is too long for a Unix socket; choose a shorter --home");
  }
  return p;
}

}  // namespace accord
