#include "bench/ratio_reporter.h"

#include <cstdio>

namespace accord::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
    std::string name = run.run_name.function_name;
    auto it = run.counters.find("items_per_second");
    if (it != run.counters.end()) rates_[name] = it->second;
    seconds_[name] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
  }
}

void RatioReporter::Finalize() {
  std::printf("\nRatios (same run; items/s of the first over the second):\n");
  for (const Ratio& r : ratios_) {
    auto n = rates_.find(r.numerator);
    auto d = rates_.find(r.denominator);
    if (n == rates_.end() || d == rates_.end() || d->second <= 0) {
      std::printf("  %-58s (not measured)\n", r.label.c_str());
      continue;
    }
    std::printf("  %-58s %10.0f/s vs %10.0f/s = %.3f\n", r.label.c_str(), n->second, d->second,
                n->second / d->second);
  }
  ConsoleReporter::Finalize();
}

}  // namespace accord::bench
