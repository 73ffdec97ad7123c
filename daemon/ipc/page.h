// Paging a long list for the client (ipc.proto PageRequest / PageInfo): newest first, at most
// a page's worth per response, with the cursor for the next, older page. Daemon thread.
#ifndef ACCORD_DAEMON_IPC_PAGE_H_
#define ACCORD_DAEMON_IPC_PAGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "accord/ipc.pb.h"
#include "base/bytes.h"
#include "base/result.h"
#include "daemon/log/header.h"

namespace accord::daemon {

// The most items one response carries, whatever the request asks: a client that wants the
// whole list follows `older` (one frame stays far below the IPC frame limit).
constexpr size_t kMaxPageItems = 1000;

// The cursor a PageRequest names: nullopt for the newest page. kInvalidArgument if `before`
// is not a whole 64-digit hex id.
Result<std::optional<log::EntryId>> PageCursor(const proto::PageRequest& page);

// Emits the items of `items` (kept oldest first, LWW order) that `include` keeps, newest
// first, from the one after the cursor, at most the page's limit of them; returns the total
// kept and the next cursor. kNotFound if the cursor names no item of the list.
template <typename T, typename Include, typename Emit>
Result<proto::PageInfo> PageNewestFirst(const std::vector<T>& items, const proto::PageRequest& page,
                                        Include&& include, Emit&& emit) {
  Result<std::optional<log::EntryId>> cursor = PageCursor(page);
  if (!cursor.ok()) return cursor.error();
  const size_t limit =
      page.limit() == 0 ? kMaxPageItems : std::min<size_t>(page.limit(), kMaxPageItems);
  proto::PageInfo info;
  bool started = !cursor->has_value();
  size_t emitted = 0;
  const T* last = nullptr;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (!include(*it)) continue;
    info.set_total(info.total() + 1);
    if (!started) {
      started = it->by.id == **cursor;
      continue;
    }
    if (emitted == limit) {
      if (last != nullptr) info.set_older(ToHex(last->by.id));
      last = nullptr;  // the cursor is set; keep counting the total
      continue;
    }
    emit(*it);
    last = &*it;
    ++emitted;
  }
  if (!started) return MakeError(ErrorCode::kNotFound, "the page to continue from is gone");
  return info;
}

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_PAGE_H_
