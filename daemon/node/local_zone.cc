#include "daemon/node/local_zone.h"

#include <date/tz.h>

#include <cstdlib>
#include <exception>

#include "base/zone_name.h"
#include "daemon/state/schedule.h"

namespace accord::daemon {

std::string LocalTimeZoneName() {
  // TZ wins over /etc/localtime, as for the C library. An empty or unreadable TZ means UTC
  // to the C library as well, so that is the answer here too rather than /etc/localtime.
  if (const char* tz = std::getenv("TZ"); tz != nullptr) {
    const std::string name = ZoneNameFromTz(tz);
    if (!name.empty() && state::IsKnownTimeZone(name)) return name;
    return "UTC";
  }
  try {
    return std::string(date::current_zone()->name());
  } catch (const std::exception&) {
    return "UTC";
  }
}

}  // namespace accord::daemon
