#include "bench/history_cache.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "bench/history_log.h"
#include "crypto/hash.h"
#include "tests/support/process.h"

namespace accord::bench {
namespace {

constexpr const char* kRecordFile = "generated.txt";

Status HashFileInto(const std::filesystem::path& path, crypto::Blake2b256Hasher& hasher) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read " + path.string());
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize n = in.gcount();
    if (n > 0)
      hasher.Update(ByteView(reinterpret_cast<const uint8_t*>(buf.data()), static_cast<size_t>(n)));
  }
  return Status::Ok();
}

}  // namespace

Result<HistoryCache> HistoryCache::Open(const std::filesystem::path& dir) {
  crypto::Blake2b256Hasher hasher;
  const std::string version = "accord history bench mix " + std::to_string(kHistoryMixVersion);
  hasher.Update(AsBytes(version));
  ACCORD_RETURN_IF_ERROR(HashFileInto(testing::AccorddBinary(), hasher));
  ACCORD_RETURN_IF_ERROR(HashFileInto("/proc/self/exe", hasher));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  return HistoryCache(dir, ToHex(hasher.Final()).substr(0, 16));
}

std::filesystem::path HistoryCache::EntryDir(uint64_t user_entries) const {
  return dir_ / (std::to_string(user_entries) + "-" + key_);
}

std::optional<std::string> HistoryCache::Fetch(uint64_t user_entries,
                                               const std::filesystem::path& home) const {
  const std::filesystem::path entry = EntryDir(user_entries);
  std::ifstream record_in(entry / kRecordFile);
  if (!record_in) return std::nullopt;  // written last: its absence means no complete entry
  std::stringstream record;
  record << record_in.rdbuf();
  std::error_code ec;
  std::filesystem::copy(entry / "home", home, std::filesystem::copy_options::recursive, ec);
  if (ec) return std::nullopt;
  return record.str();
}

Status HistoryCache::Keep(uint64_t user_entries, const std::filesystem::path& home,
                          const std::string& record) const {
  std::error_code ec;
  const std::string prefix = std::to_string(user_entries) + "-";
  for (const auto& old : std::filesystem::directory_iterator(dir_, ec)) {
    if (old.path().filename().string().rfind(prefix, 0) == 0)
      std::filesystem::remove_all(old.path(), ec);  // an older key of the same size
  }
  const std::filesystem::path entry = EntryDir(user_entries);
  std::filesystem::create_directories(entry, ec);
  std::filesystem::copy(home, entry / "home", std::filesystem::copy_options::recursive, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot copy into the cache: " + ec.message());
  std::ofstream out(entry / kRecordFile);
  out << record;
  out.close();
  if (!out) return MakeError(ErrorCode::kIo, "cannot write the cache record");
  return Status::Ok();
}

}  // namespace accord::bench
