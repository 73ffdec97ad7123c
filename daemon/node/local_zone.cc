#include "daemon/node/local_zone.h"

#include <date/tz.h>

#include <cstdlib>
#include <exception>
#include <string_view>

#include "daemon/state/schedule.h"

namespace accord::daemon {

std::string LocalTimeZoneName() {
  // TZ wins over /etc/localtime, as for the C library. An empty or unreadable TZ means UTC
  // to the C library as well, so that is the answer here too rather than /etc/localtime.
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    std::string_view name = tz;
    if (!name.empty() && name.front() == ':') name.remove_prefix(1);
    // A file path into the database ("/usr/share/zoneinfo/Europe/Paris") names its zone.
    if (const size_t at = name.find("zoneinfo/"); at != std::string_view::npos) {
      name.remove_prefix(at + 9);
    }
    if (!name.empty() && state::IsKnownTimeZone(name)) return std::string(name);
    return "UTC";
  }
  try {
    return std::string(date::current_zone()->name());
  } catch (const std::exception&) {
    return "UTC";
  }
}

}  // namespace accord::daemon
