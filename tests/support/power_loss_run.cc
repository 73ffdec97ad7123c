#include "tests/support/power_loss_run.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace accord::testing {

namespace fs = std::filesystem;

namespace {

std::string Describe(const std::vector<IoEvent>& events, size_t k) {
  if (k >= events.size()) return "after the last of " + std::to_string(events.size()) + " events";
  const IoEvent& e = events[k];
  std::string s = "before event " + std::to_string(k) + " (" + IoKindName(e.kind) + " " + e.file;
  if (e.kind == IoKind::kWrite) {
    s += " @" + std::to_string(e.offset) + "+" + std::to_string(e.size);
  } else if (e.kind == IoKind::kTruncate) {
    s += " to " + std::to_string(e.offset);
  }
  return s + ")";
}

void Fresh(const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
}

}  // namespace

PowerLossCoverage RunThroughEveryCrashPoint(
    const fs::path& scratch, const std::function<void(const fs::path&)>& workload,
    const std::function<void(const fs::path&, const CrashPoint&)>& after_reboot) {
  PowerLossVfs& vfs = PowerLossVfs::Install();
  const fs::path run_dir = scratch / "run";
  const fs::path reboot_dir = scratch / "reboot";
  PowerLossCoverage coverage;

  // The counting run: no cut.
  Fresh(run_dir);
  vfs.Watch(run_dir);
  workload(run_dir);
  const std::vector<IoEvent> events = vfs.events();
  vfs.StopWatching();
  coverage.events = events.size();
  for (const IoEvent& e : events) {
    coverage.writes += e.kind == IoKind::kWrite;
    coverage.syncs += e.kind == IoKind::kSync;
    coverage.dir_syncs += e.kind == IoKind::kDirSync;
  }
  // ACCORD_POWER_LOSS_TRACE=1 prints the counting run's events: the crash points by number.
  if (const char* trace = std::getenv("ACCORD_POWER_LOSS_TRACE"); trace && *trace == '1') {
    for (size_t k = 0; k < events.size(); ++k) std::printf("%s\n", Describe(events, k).c_str());
  }
  if (::testing::Test::HasFailure()) return coverage;

  for (size_t k = 0; k <= events.size(); ++k) {
    Fresh(run_dir);
    vfs.Watch(run_dir, k);
    workload(run_dir);
    ++coverage.runs;
    if (vfs.powered() && k < events.size()) {
      ADD_FAILURE() << "the workload ended before event " << k << " of " << events.size()
                    << " it did on the counting run";
      vfs.StopWatching();
      return coverage;
    }
    vfs.CutNow();
    const std::vector<IoEvent>& seen = vfs.events();
    if (seen.size() != k || !std::equal(seen.begin(), seen.end(), events.begin())) {
      size_t i = 0;
      while (i < seen.size() && i < k && seen[i] == events[i]) ++i;
      ADD_FAILURE() << "the workload's I/O differs from the counting run at event " << i
                    << ": crash points are not repeatable";
      vfs.StopWatching();
      return coverage;
    }
    const std::map<Survival, DiskImage> images = vfs.images();
    vfs.StopWatching();
    std::vector<const DiskImage*> checked;
    for (const auto& [survival, image] : images) {
      bool seen_before = false;
      for (const DiskImage* other : checked) seen_before = seen_before || *other == image;
      if (seen_before) continue;
      checked.push_back(&image);
      CrashPoint point{k, survival, Describe(events, k)};
      SCOPED_TRACE("power cut " + point.what + ", surviving disk: " + SurvivalName(survival));
      fs::remove_all(reboot_dir);
      fs::copy(run_dir, reboot_dir, fs::copy_options::recursive);
      PowerLossVfs::ApplyImage(image, reboot_dir);
      after_reboot(reboot_dir, point);
      ++coverage.reboots;
      if (::testing::Test::HasFailure()) return coverage;
    }
  }
  fs::remove_all(run_dir);
  fs::remove_all(reboot_dir);
  return coverage;
}

}  // namespace accord::testing
