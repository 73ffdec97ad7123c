// The time zone this machine is set to: the zone a schedule gets when the client sends none.
// Any thread. It reads TZ and /etc/localtime, so it lives at the edge, not in daemon/state.
#ifndef ACCORD_DAEMON_NODE_LOCAL_ZONE_H_
#define ACCORD_DAEMON_NODE_LOCAL_ZONE_H_

#include <string>

namespace accord::daemon {

// The IANA name of the local zone (TZ, else /etc/localtime), "UTC" if none can be found.
std::string LocalTimeZoneName();

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_LOCAL_ZONE_H_
