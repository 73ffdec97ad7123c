// A console reporter that also prints each benchmark's items/s as a ratio of a baseline
// measured in the same run, so figures compare across machines. Bench only.
#ifndef ACCORD_BENCH_RATIO_REPORTER_H_
#define ACCORD_BENCH_RATIO_REPORTER_H_

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace accord::bench {

struct Ratio {
  std::string label;
  std::string numerator;    // benchmark name (prefix before any '/')
  std::string denominator;  // baseline benchmark name
};

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  // Colours only on a terminal.
  explicit RatioReporter(std::vector<Ratio> ratios, bool color)
      : ConsoleReporter(color ? OO_ColorTabular : OO_Tabular), ratios_(std::move(ratios)) {}
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  std::vector<Ratio> ratios_;
  std::map<std::string, double> rates_;    // items per second by benchmark name
  std::map<std::string, double> seconds_;  // real seconds per iteration by name
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_RATIO_REPORTER_H_
