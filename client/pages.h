// Long lists come a page at a time (ipc.proto PageRequest), newest first. `--limit N` asks for
// one page of N; `--all` (a limit of 0) follows the pages to the oldest and joins them into
// one response, so a list longer than one frame still prints as one document. Client only.
#ifndef ACCORD_CLIENT_PAGES_H_
#define ACCORD_CLIENT_PAGES_H_

#include "accord/ipc.pb.h"
#include "base/result.h"
#include "client/ipc_client.h"

namespace accord::client {

// The items a list shows when no --limit or --all is given: a screenful.
constexpr uint32_t kScreenfulItems = 20;

// If `request` asked for a whole paged list and `response` is its first page, asks for the
// older pages in turn and appends them to `response`. Bounded: it stops when the daemon's
// cursor is empty, and fails (kInternal) on a cursor that does not move on or on more pages
// than the list has items.
Status FollowPages(IpcClient& client, proto::Request request, proto::Response& response);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_PAGES_H_
