#include "daemon/ipc/page.h"

#include <algorithm>

namespace accord::daemon {

Result<std::optional<log::EntryId>> PageCursor(const proto::PageRequest& page) {
  if (page.before().empty()) return std::optional<log::EntryId>();
  std::optional<Bytes> raw = FromHex(page.before());
  log::EntryId id{};
  if (!raw || raw->size() != id.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "a page cursor is a whole 64-digit hex id");
  }
  std::copy(raw->begin(), raw->end(), id.begin());
  return std::optional<log::EntryId>(id);
}

}  // namespace accord::daemon
