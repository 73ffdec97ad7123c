#include "daemon/net/kept_port.h"

#include <array>
#include <charconv>
#include <string>

#include "crypto/private_file.h"

namespace accord::daemon {

constexpr size_t kMaxPortFileBytes = 16;  // bytes: "65535\n" with room to spare

Result<uint16_t> ReadKeptPort(const std::filesystem::path& file) {
  std::array<uint8_t, kMaxPortFileBytes> buffer{};
  Result<size_t> size = crypto::ReadPrivateFile(file, buffer);
  if (!size.ok()) return size.error();
  std::string text(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*size));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return MakeError(ErrorCode::kCorrupt,
                     file.native() + " does not hold a port; remove it to pick a new one");
  }
  return static_cast<uint16_t>(value);
}

Status KeepPort(const std::filesystem::path& file, uint16_t port) {
  const std::string text = std::to_string(port) + "\n";
  return crypto::WriteNewPrivateFile(file, AsBytes(text));
}

}  // namespace accord::daemon
