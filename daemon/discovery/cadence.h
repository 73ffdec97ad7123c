// When beacons go out (SPEC §5): every 45 s ± 20 % (plus at start and on address changes,
// which the sender decides), and pairing beacons every second while an invitation is open.
// Pure: the randomness comes in as a number in [0, 1).
#ifndef ACCORD_DAEMON_DISCOVERY_CADENCE_H_
#define ACCORD_DAEMON_DISCOVERY_CADENCE_H_

#include <chrono>

namespace accord::discovery {

constexpr std::chrono::seconds kBeaconInterval{45};
constexpr double kBeaconJitter = 0.2;  // ± 20 %: devices started together drift apart
constexpr std::chrono::seconds kPairingBeaconInterval{1};

inline std::chrono::milliseconds NextBeaconDelay(double unit_random) {
  const double base = std::chrono::duration<double, std::milli>(kBeaconInterval).count();
  const double factor = 1.0 - kBeaconJitter + 2.0 * kBeaconJitter * unit_random;
  return std::chrono::milliseconds(static_cast<int64_t>(base * factor));
}

}  // namespace accord::discovery

#endif  // ACCORD_DAEMON_DISCOVERY_CADENCE_H_
