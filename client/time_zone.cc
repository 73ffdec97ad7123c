#include "client/time_zone.h"

#include <cstdlib>
#include <fstream>
#include <string_view>
#include <system_error>

#include "base/zone_name.h"

namespace accord::client {

namespace {

constexpr size_t kMaxZoneNameBytes = 64;  // bytes; longer than any IANA name

// The first line of /etc/timezone ("Europe/Berlin"), trimmed; "" if absent or odd.
std::string ZoneFromTimezoneFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  const size_t begin = line.find_first_not_of(" \t");
  const size_t end = line.find_last_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  line = line.substr(begin, end - begin + 1);
  return line.size() <= kMaxZoneNameBytes ? line : "";
}

}  // namespace

std::string ClientTimeZone(const char* tz, const std::filesystem::path& root) {
  if (tz != nullptr) {
    // TZ="" and TZ=":" mean UTC to the C library, so they do here: the times this client
    // prints are read in that zone too.
    std::string name = ZoneNameFromTz(tz);
    return name.empty() ? "UTC" : name;
  }
  std::error_code ec;
  const std::filesystem::path link = root / "etc" / "localtime";
  if (std::filesystem::is_symlink(link, ec)) {
    const std::filesystem::path target = std::filesystem::read_symlink(link, ec);
    if (!ec) {
      std::string name = ZoneNameFromPath(target.string());
      if (!name.empty()) return name;
    }
  }
  return ZoneFromTimezoneFile(root / "etc" / "timezone");
}

std::string ClientTimeZone() { return ClientTimeZone(std::getenv("TZ"), "/"); }

}  // namespace accord::client
