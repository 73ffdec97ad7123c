// TAI64N labels for the sync handshake's anti-replay timestamp (WireGuard's choice).
// Pure; any thread. The caller reads the clock and passes the time in.
#ifndef ACCORD_DAEMON_PEER_TAI64N_H_
#define ACCORD_DAEMON_PEER_TAI64N_H_

#include <cstdint>

#include "base/bytes.h"

namespace accord::peer {

// 8 bytes big-endian 2^62 + seconds, then 4 bytes big-endian nanoseconds (0..999,999,999).
// Big-endian with a fixed bias, so comparing the bytes compares the times.
using Tai64n = FixedBytes<12>;
constexpr size_t kTai64nBytes = 12;  // bytes

// Unix time, not TAI: no leap-second offset is added, since only the ordering of labels
// from one initiator's clock matters. Times before 1970 floor to the second below.
Tai64n Tai64nFromUnixNanos(int64_t unix_nanos);
// The inverse, for labels from 1970 on (for clock-skew reports); earlier ones read as 0.
int64_t UnixNanosFromTai64n(const Tai64n& label);

}  // namespace accord::peer

#endif  // ACCORD_DAEMON_PEER_TAI64N_H_
