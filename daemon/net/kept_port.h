// The TCP port a daemon without --listen picks once and keeps in its home, so that the
// addresses its partners remember stay valid across restarts (SPEC §5). Blocking file I/O on
// the daemon thread at start-up. Binding the port is PeerManager's.
#ifndef ACCORD_DAEMON_NET_KEPT_PORT_H_
#define ACCORD_DAEMON_NET_KEPT_PORT_H_

#include <cstdint>
#include <filesystem>

#include "base/result.h"

namespace accord::daemon {

// The kept port. kNotFound if none was kept yet; kCorrupt (naming the file) for anything but
// a decimal port in 1..65535.
Result<uint16_t> ReadKeptPort(const std::filesystem::path& file);
// Keeps `port` (0600, written atomically). kAlreadyExists if a port is kept already.
Status KeepPort(const std::filesystem::path& file, uint16_t port);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_KEPT_PORT_H_
