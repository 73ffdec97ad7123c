// accord_history_bench: issue 14's "What it must show" in one run. For each log size it makes
// a home through the real Node API (bench/history_log.h), then starts the real accordd on it
// and measures cold start, RSS, `status` after a write and the list commands, printing each
// figure beside its smallest-log twin and the issue's bound. See bench/README.md.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/text.h"
#include "bench/bench_support.h"
#include "bench/history_cache.h"
#include "bench/history_daemon.h"
#include "bench/history_log.h"
#include "bench/history_report.h"
#include "crypto/random.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

constexpr int kStartTimeoutS = 900;             // s, for a daemon to answer its first status
constexpr int kCallTimeoutS = 600;              // s, for one IPC answer
constexpr int kGenerateTimeoutS = 6 * 60 * 60;  // s, for one log to be made
constexpr uint64_t kMiB = 1024 * 1024;          // bytes

struct Options {
  std::vector<uint64_t> sizes = {1'000, 100'000, 1'000'000};
  int starts = 5;     // cold starts per size
  int reps = 15;      // IPC calls per figure
  int cli_reps = 3;   // CLI runs per figure (0: none)
  int idle_s = 60;    // s the idle daemon is watched for wake-ups (0: not)
  std::string cache;  // empty: no cache
  bool eatmydata = true;
};

using Steady = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<std::vector<uint64_t>> ParseSizes(const std::string& text) {
  std::vector<uint64_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);  // "1e6" as well as "1000000"
    if (end == item.c_str() || *end != '\0' || v < 1) return std::nullopt;
    out.push_back(static_cast<uint64_t>(v));
  }
  if (out.empty()) return std::nullopt;
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options o;
  if (const char* env = std::getenv("ACCORD_HISTORY_SIZES"); env && *env) {
    std::optional<std::vector<uint64_t>> sizes = ParseSizes(env);
    if (!sizes) return std::nullopt;
    o.sizes = *sizes;
  }
  if (const char* env = std::getenv("ACCORD_HISTORY_CACHE"); env && *env) o.cache = env;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--sizes" && has_value) {
      std::optional<std::vector<uint64_t>> sizes = ParseSizes(argv[++i]);
      if (!sizes) return std::nullopt;
      o.sizes = *sizes;
    } else if (a == "--starts" && has_value) {
      o.starts = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--reps" && has_value) {
      o.reps = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--cli-reps" && has_value) {
      o.cli_reps = std::max(0, std::atoi(argv[++i]));
    } else if (a == "--idle-seconds" && has_value) {
      o.idle_s = std::max(0, std::atoi(argv[++i]));
    } else if (a == "--cache" && has_value) {
      o.cache = argv[++i];
    } else if (a == "--no-eatmydata") {
      o.eatmydata = false;
    } else {
      return std::nullopt;
    }
  }
  return o;
}

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream in(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(in, dir, ':')) {
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The child: makes one log and prints what the parent parses (and a cache keeps).
int GenerateMain(const std::string& home, const std::string& partner, const std::string& n) {
  Result<HistoryReport> r = GenerateHistory(home, partner, std::stoull(n));
  if (!r.ok()) {
    std::fprintf(stderr, "generate: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("entries %llu\nseconds %.1f\n", static_cast<unsigned long long>(r->entries),
              r->seconds);
  for (const auto& [kind, count] : r->kinds)
    std::printf("kind %s %llu\n", kind.c_str(), static_cast<unsigned long long>(count));
  return 0;
}

// What the child printed, as one line for the output.
std::string GenerationLine(const std::string& record, uint64_t user_entries, bool cached,
                           const std::string& how) {
  std::stringstream in(record);
  std::string word, kinds;
  uint64_t entries = 0;
  double seconds = 0;
  while (in >> word) {
    if (word == "entries") {
      in >> entries;
    } else if (word == "seconds") {
      in >> seconds;
    } else if (word == "kind") {
      std::string name;
      std::getline(in >> std::ws, name);
      const size_t space = name.rfind(' ');
      kinds += (kinds.empty() ? "" : ", ") + name.substr(space + 1) + " " + name.substr(0, space);
    }
  }
  std::stringstream out;
  out << GroupedThousands(user_entries) << " user entries (" << GroupedThousands(entries)
      << " in the store): generated in " << seconds << " s"
      << (seconds > 0
              ? " (" + std::to_string(static_cast<uint64_t>(user_entries / seconds)) + " entries/s)"
              : "")
      << ", " << how << (cached ? ", taken from the cache" : "") << "\n    " << kinds;
  return out.str();
}

uint64_t BytesUnder(const std::filesystem::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir, ec))
    if (f.is_regular_file(ec)) total += f.file_size(ec);
  return total;
}

// Makes (or takes from the cache) the home for one size; the generation line, or an error.
Result<std::string> MakeHome(const Options& o, const std::optional<HistoryCache>& cache,
                             const std::filesystem::path& work, uint64_t n,
                             const std::filesystem::path& home) {
  const std::string eatmydata = o.eatmydata ? FindOnPath("eatmydata") : "";
  const std::string how = eatmydata.empty() ? "every write fsynced" : "under eatmydata";
  if (cache) {
    if (std::optional<std::string> record = cache->Fetch(n, home))
      return GenerationLine(*record, n, true, how);
  }
  // The child runs this binary; eatmydata (when used) covers the child alone, never accordd.
  std::vector<std::string> argv;
  if (!eatmydata.empty()) argv.push_back(eatmydata);
  argv.insert(argv.end(), {std::filesystem::read_symlink("/proc/self/exe").string(), "--generate",
                           home.string(), (work / ("partner-" + std::to_string(n))).string(),
                           std::to_string(n)});
  testing::CommandResult r = testing::RunProcess(argv, "", kGenerateTimeoutS);
  if (r.exit_code != 0) return MakeError(ErrorCode::kInternal, "generation failed: " + r.err);
  if (cache) {
    if (Status s = cache->Keep(n, home, r.out); !s.ok())
      std::fprintf(stderr, "cache: %s\n", s.error().message.c_str());
  }
  return GenerationLine(r.out, n, false, how);
}

// Times one request `reps` times (each on a fresh connection) and takes the median; `before`
// runs ahead of each timed call (the write for "status after a write").
Figure TimeCalls(const std::filesystem::path& socket, const proto::Request& request, int reps,
                 const std::function<Status()>& before = nullptr) {
  std::vector<double> ms;
  Figure f;
  for (int i = 0; i < reps; ++i) {
    if (before) {
      if (Status s = before(); !s.ok()) {
        f.error = s.error().message;
        return f;
      }
    }
    Result<TimedCall> call = CallOnce(socket, request, kCallTimeoutS);
    if (!call.ok()) {
      f.error = call.error().message;
      return f;
    }
    ms.push_back(call->ms);
    f.note = std::to_string(ItemsIn(call->response)) + " items, " +
             std::to_string(call->response.ByteSizeLong()) + " bytes";
  }
  f.value = Median(ms);
  return f;
}

Figure TimeCli(const std::filesystem::path& home, const std::string& command, int reps) {
  std::vector<double> ms;
  Figure f;
  for (int i = 0; i < reps; ++i) {
    const Steady::time_point t0 = Steady::now();
    testing::CommandResult r = testing::RunProcess(
        {testing::AccordBinary(), "--home", home.string(), command}, "", kCallTimeoutS);
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    if (r.exit_code != 0) {
      f.error = "exit " + std::to_string(r.exit_code) + ": " + r.err.substr(0, 120);
      return f;
    }
    f.note = std::to_string(r.out.size()) + " bytes of output";
  }
  f.value = Median(ms);
  return f;
}

// Context switches of the daemon while nothing is asked of it for `seconds` (after a second
// for the last connection to be let go).
Figure CountIdleWakeUps(const TimedDaemon& daemon, int seconds) {
  Figure f;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  Result<uint64_t> before = daemon.ContextSwitches();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  Result<uint64_t> after = daemon.ContextSwitches();
  if (!before.ok() || !after.ok()) {
    f.error = (before.ok() ? after : before).error().message;
    return f;
  }
  f.value = static_cast<double>(*after - *before);
  return f;
}

struct Figures {
  Figure cold_start, rss, status_idle, status_after_write, needs, agreements, space, due, idle;
  std::vector<Figure> cli;
};

const std::vector<std::string> kCliCommands = {"status", "needs", "agreements", "space", "due"};

Figures Measure(const Options& o, const std::filesystem::path& home) {
  Figures out;
  std::vector<double> starts, rss;
  std::unique_ptr<TimedDaemon> daemon;
  for (int i = 0; i < o.starts; ++i) {
    if (daemon) daemon->Stop();
    daemon = std::make_unique<TimedDaemon>(home);
    Result<double> ms = daemon->Start(kStartTimeoutS);
    if (!ms.ok()) {
      out.cold_start.error = ms.error().message;
      return out;
    }
    starts.push_back(*ms);
    if (Result<uint64_t> kib = daemon->RssKiB(); kib.ok())
      rss.push_back(static_cast<double>(*kib) * 1024 / kMiB);
  }
  out.cold_start.value = Median(starts);
  out.cold_start.note = "first " + std::to_string(static_cast<int>(starts.front())) + " ms";
  if (!rss.empty()) out.rss.value = Median(rss);
  const std::filesystem::path socket = daemon->socket();
  out.status_idle = TimeCalls(socket, StatusRequest(), o.reps);
  int written = 0;
  out.status_after_write = TimeCalls(socket, StatusRequest(), o.reps, [&]() -> Status {
    Result<TimedCall> w = CallOnce(
        socket, AppreciateRequest("Thank you for the bench, #" + std::to_string(++written)),
        kCallTimeoutS);
    if (!w.ok()) return w.error();
    return Status::Ok();
  });
  out.needs = TimeCalls(socket, NeedsRequest(), o.reps);
  out.agreements = TimeCalls(socket, AgreementsRequest(), o.reps);
  out.space = TimeCalls(socket, SpaceRequest(), o.reps);
  out.due = TimeCalls(socket, DueRequest(), o.reps);
  if (o.cli_reps > 0)
    for (const std::string& c : kCliCommands) out.cli.push_back(TimeCli(home, c, o.cli_reps));
  if (o.idle_s > 0) out.idle = CountIdleWakeUps(*daemon, o.idle_s);
  daemon->Stop();
  return out;
}

std::vector<Metric> Metrics(const Options& o, const std::vector<Figures>& all) {
  const std::string n = std::to_string(o.reps);
  std::vector<Metric> m = {
      {"cold start: spawn of accordd to its first answered status, median of " +
           std::to_string(o.starts) + " (warm page cache)",
       "ms",
       {},
       {{1'000'000, 2, 300}}},
      {"RSS after start (VmRSS after the first status, median)",
       "MiB",
       {},
       {{100'000, 0, 32}, {1'000'000, 0, 48}}},
      {"status right after a write (one appreciation), IPC, median of " + n,
       "ms",
       {},
       {{1'000'000, 2, std::nullopt}}},
      {"status with no change before it, IPC, median of " + n + " (no bound)", "ms", {}, {}},
      {"needs, IPC, median of " + n, "ms", {}, {{1'000'000, 2, std::nullopt}}},
      {"agreements (current: the default), IPC, median of " + n,
       "ms",
       {},
       {{1'000'000, 2, std::nullopt}}},
      {"space, IPC, median of " + n, "ms", {}, {{1'000'000, 2, std::nullopt}}},
      {"due, IPC, median of " + n, "ms", {}, {{1'000'000, 2, std::nullopt}}},
      {"idle wake-ups: context switches of all its threads in " + std::to_string(o.idle_s) +
           " s with nothing asked (discovery off, the partner offline and never reached)",
       "switches",
       {},
       {}},
  };
  for (uint64_t size : o.sizes) m.back().bounds.push_back({size, 0, 0.0});
  for (const Figures& f : all) {
    const Figure* figs[] = {&f.cold_start,  &f.rss,   &f.status_after_write,
                            &f.status_idle, &f.needs, &f.agreements,
                            &f.space,       &f.due,   &f.idle};
    for (size_t i = 0; i < m.size(); ++i) m[i].by_size.push_back(*figs[i]);
  }
  if (o.idle_s == 0) m.erase(m.begin() + 8);
  if (o.cli_reps > 0) {
    for (size_t c = 0; c < kCliCommands.size(); ++c) {
      Metric cli{"accord " + kCliCommands[c] + " (CLI process start to exit), median of " +
                     std::to_string(o.cli_reps) + " (no bound)",
                 "ms",
                 {},
                 {}};
      for (const Figures& f : all)
        cli.by_size.push_back(c < f.cli.size() ? f.cli[c] : Figure{std::nullopt, "not run", ""});
      m.push_back(std::move(cli));
    }
  }
  return m;
}

int BenchMain(const Options& o) {
  std::optional<HistoryCache> cache;
  if (!o.cache.empty()) {
    Result<HistoryCache> c = HistoryCache::Open(o.cache);
    if (!c.ok()) {
      std::fprintf(stderr, "cache: %s\n", c.error().message.c_str());
      return 1;
    }
    cache = std::move(*c);
  }
  BenchDir work;
  std::cout << "accord_history_bench (issue 14): " << o.sizes.size()
            << " log sizes\nmix: " << HistoryMixText() << "\n\ngeneration:\n";
  std::vector<Figures> all;
  std::vector<std::string> stores;
  for (uint64_t n : o.sizes) {
    const std::filesystem::path home = work.path() / ("home-" + std::to_string(n));
    Result<std::string> made = MakeHome(o, cache, work.path(), n, home);
    if (!made.ok()) {
      std::fprintf(stderr, "%s\n", made.error().message.c_str());
      return 1;
    }
    std::cout << "  " << *made << std::endl;
    stores.push_back(GroupedThousands(n) + ": " + std::to_string(BytesUnder(home) / kMiB) + " MiB");
    all.push_back(Measure(o, home));
    std::error_code ec;
    std::filesystem::remove_all(home, ec);  // a 10^6 home is large; the next size starts clean
  }
  std::cout << "home size on disk before the daemon ran:";
  for (const std::string& s : stores) std::cout << "  " << s;
  std::cout << "\n";
  Verdicts v = PrintMetrics(std::cout, o.sizes, Metrics(o, all));
  std::cout << "\nbounds of issue 14: " << v.pass << " PASS, " << v.fail << " FAIL";
  if (v.not_run > 0) std::cout << ", " << v.not_run << " at sizes not made in this run";
  std::cout << "\n";
  return 0;
}

}  // namespace
}  // namespace accord::bench

int main(int argc, char** argv) {
  if (!accord::crypto::Init()) {
    std::fprintf(stderr, "libsodium failed to initialise\n");
    return 1;
  }
  if (argc == 5 && std::string(argv[1]) == "--generate")
    return accord::bench::GenerateMain(argv[2], argv[3], argv[4]);
  std::optional<accord::bench::Options> o = accord::bench::ParseOptions(argc, argv);
  if (!o) {
    std::fprintf(stderr,
                 "usage: accord_history_bench [--sizes 1000,100000,1000000] [--starts N] "
                 "[--reps N] [--cli-reps N] [--idle-seconds N] [--cache DIR] [--no-eatmydata]\n"
                 "  (ACCORD_HISTORY_SIZES and ACCORD_HISTORY_CACHE set the same)\n");
    return 2;
  }
  return accord::bench::BenchMain(*o);
}
