// When beacons go out (SPEC §5): sealed beacons every 45 s ± 20 % (and at start and on an
// address change, which the sender decides), pairing beacons every second while an invitation
// is open. Pure: the randomness comes in as a number in [0, 1]. Any thread.
#ifndef ACCORD_DAEMON_DISCOVERY_CADENCE_H_
#define ACCORD_DAEMON_DISCOVERY_CADENCE_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace accord::discovery {

constexpr std::chrono::seconds kBeaconInterval{45};  // mean time between sealed beacons
constexpr double kBeaconJitter = 0.2;  // ± 20 %: daemons started together drift apart
constexpr std::chrono::seconds kPairingBeaconInterval{1};  // while an invitation is open

// 36..54 s, uniform when `unit_random` is; values outside [0, 1] (or NaN) count as its
// nearest end.
inline std::chrono::milliseconds NextBeaconDelay(double unit_random) {
  const double u = std::isnan(unit_random) ? 0.0 : std::clamp(unit_random, 0.0, 1.0);
  const double interval_ms =
      static_cast<double>(std::chrono::milliseconds(kBeaconInterval).count());
  const double factor = 1.0 - kBeaconJitter + 2.0 * kBeaconJitter * u;
  return std::chrono::milliseconds(std::llround(interval_ms * factor));
}

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_CADENCE_H_
