#include "base/zone_name.h"

namespace accord {

namespace {
constexpr std::string_view kZoneinfo = "zoneinfo/";
}  // namespace

std::string ZoneNameFromPath(std::string_view path) {
  const size_t at = path.rfind(kZoneinfo);
  if (at == std::string_view::npos) return "";
  path.remove_prefix(at + kZoneinfo.size());
  // The database's "posix/" and "right/" trees hold the same zones under their usual names.
  for (std::string_view tree : {"posix/", "right/"}) {
    if (path.substr(0, tree.size()) == tree) path.remove_prefix(tree.size());
  }
  return std::string(path);
}

std::string ZoneNameFromTz(std::string_view tz) {
  if (!tz.empty() && tz.front() == ':') tz.remove_prefix(1);
  if (tz.find(kZoneinfo) != std::string_view::npos) return ZoneNameFromPath(tz);
  return std::string(tz);
}

}  // namespace accord
