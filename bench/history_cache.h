// Generated homes kept between runs of the history bench (optional: --cache DIR). A home is
// keyed by its size, the mix version and the bytes of both the accordd binary and the bench
// binary (which generates through the daemon's own Node code), so a stale one is never used.
// Bench only; one thread.
#ifndef ACCORD_BENCH_HISTORY_CACHE_H_
#define ACCORD_BENCH_HISTORY_CACHE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "base/result.h"

namespace accord::bench {

class HistoryCache {
 public:
  // REQUIRES: crypto::Init(). Reads both binaries once to key the entries.
  static Result<HistoryCache> Open(const std::filesystem::path& dir);

  // Copies the cached home for `user_entries` to `home` (which must not exist) and returns
  // what was recorded with it (the generator's output); nullopt if none matches.
  std::optional<std::string> Fetch(uint64_t user_entries, const std::filesystem::path& home) const;
  // Keeps a copy of `home` with the generator's output, replacing any older entry of that size.
  Status Keep(uint64_t user_entries, const std::filesystem::path& home,
              const std::string& record) const;

 private:
  HistoryCache(std::filesystem::path dir, std::string key)
      : dir_(std::move(dir)), key_(std::move(key)) {}
  std::filesystem::path EntryDir(uint64_t user_entries) const;

  std::filesystem::path dir_;
  std::string key_;  // hex, of the binaries and the mix version
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_HISTORY_CACHE_H_
