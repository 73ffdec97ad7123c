// The client's time zone, sent with `propose` and `counter` so that a schedule is read in
// the zone of the person typing it (SPEC §6). Client only; reads TZ and /etc. The daemon
// checks the name against its time zone database; nothing here knows which names exist.
#ifndef ACCORD_CLIENT_TIME_ZONE_H_
#define ACCORD_CLIENT_TIME_ZONE_H_

#include <filesystem>
#include <string>

namespace accord::client {

// TZ if set (an IANA name, ":Area/City" or a zoneinfo path; set but empty is UTC, as for the
// C library), else the system's zone: the target of the /etc/localtime link, else the name in
// /etc/timezone. "" when none can be told: the daemon then uses its own zone.
std::string ClientTimeZone();

// The same with the environment and the file system given: `tz` is TZ's value (nullptr when
// unset), `root` the directory that holds etc/ ("/" for the real system).
std::string ClientTimeZone(const char* tz, const std::filesystem::path& root);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_TIME_ZONE_H_
