// The IANA zone name a TZ value or a zoneinfo path names, read as text: no file is opened and
// no time zone database consulted, so the name may still be unknown to a database. Pure; any
// thread. Both programs use it: the client to send its zone, the daemon for its own default.
#ifndef ACCORD_BASE_ZONE_NAME_H_
#define ACCORD_BASE_ZONE_NAME_H_

#include <string>
#include <string_view>

namespace accord {

// "Europe/Paris" and ":Europe/Paris" name Europe/Paris, and so does a path into a zoneinfo
// directory ("/usr/share/zoneinfo/Europe/Paris", ":/usr/share/zoneinfo/Europe/Paris").
// Anything else comes back as written, less a leading ':'; "" for "" and ":".
std::string ZoneNameFromTz(std::string_view tz);

// The zone a path into a zoneinfo directory names (the target of an /etc/localtime link:
// "/usr/share/zoneinfo/Asia/Tokyo", "../usr/share/zoneinfo/UTC"); "" if it names none.
std::string ZoneNameFromPath(std::string_view path);

}  // namespace accord

#endif  // ACCORD_BASE_ZONE_NAME_H_
