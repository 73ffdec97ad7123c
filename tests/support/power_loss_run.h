// Running a workload through every crash point of power_loss_vfs.h: once to count its I/O
// events, then once per event with the power cut just before it (and once after the last),
// each surviving disk rebooted into a fresh copy and handed to a check. Test thread only.
// A workload is any function of a directory (the store's append path, a snapshot path).
#ifndef ACCORD_TESTS_SUPPORT_POWER_LOSS_RUN_H_
#define ACCORD_TESTS_SUPPORT_POWER_LOSS_RUN_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "tests/support/power_loss_vfs.h"

namespace accord::testing {

struct CrashPoint {
  size_t before_event = 0;  // the cut fell just before events[before_event] (== count: after all)
  Survival survival = Survival::kSyncedOnly;
  std::string what;  // the event cut, for messages
};

struct PowerLossCoverage {
  size_t events = 0;  // I/O events of one whole run
  size_t writes = 0;
  size_t syncs = 0;  // file fsyncs
  size_t dir_syncs = 0;
  size_t runs = 0;     // workload runs with a cut
  size_t reboots = 0;  // distinct surviving disks checked
};

// Runs `workload(dir)` in a fresh directory under `scratch` for every crash point; the
// workload must stop at its first failed step (every I/O after the cut fails) and keep what
// it was told was durable outside the directory. `after_reboot(dir, point)` gets a copy of
// the directory holding the surviving disk (power back on, nothing watched) and checks it.
// Fails the test (and stops) at the first point whose check fails, or if the workload does
// not do the same I/O on every run (the crash points would not be the same points).
PowerLossCoverage RunThroughEveryCrashPoint(
    const std::filesystem::path& scratch,
    const std::function<void(const std::filesystem::path&)>& workload,
    const std::function<void(const std::filesystem::path&, const CrashPoint&)>& after_reboot);

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_POWER_LOSS_RUN_H_
