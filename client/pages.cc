#include "client/pages.h"

#include <string>

namespace accord::client {
namespace {

// The page of `request` and of `response`, for the lists that have pages.
proto::PageRequest* RequestPage(proto::Request& request) {
  if (request.has_list_notes()) return request.mutable_list_notes()->mutable_page();
  if (request.has_list_check_ins()) return request.mutable_list_check_ins()->mutable_page();
  return nullptr;
}

const proto::PageInfo* ResponsePage(const proto::Response& response) {
  if (response.has_notes()) return &response.notes().page();
  if (response.has_check_ins()) return &response.check_ins().page();
  return nullptr;
}

void Append(proto::Response& into, const proto::Response& page) {
  if (page.has_notes()) {
    for (const auto& n : page.notes().notes()) *into.mutable_notes()->add_notes() = n;
    *into.mutable_notes()->mutable_page() = page.notes().page();
  } else if (page.has_check_ins()) {
    for (const auto& c : page.check_ins().check_ins())
      *into.mutable_check_ins()->add_check_ins() = c;
    *into.mutable_check_ins()->mutable_page() = page.check_ins().page();
  }
}

}  // namespace

Status FollowPages(IpcClient& client, proto::Request request, proto::Response& response) {
  proto::PageRequest* page = RequestPage(request);
  if (page == nullptr || page->limit() != 0 || ResponsePage(response) == nullptr) {
    return Status::Ok();
  }
  // Every page holds at least one item, so there are at most `total` more of them.
  uint64_t pages_left = ResponsePage(response)->total();
  for (const proto::PageInfo* info = ResponsePage(response); !info->older().empty();
       info = ResponsePage(response)) {
    if (pages_left-- == 0 || info->older() == page->before()) {
      return MakeError(ErrorCode::kInternal, "the daemon's pages do not come to an end");
    }
    page->set_before(info->older());
    if (Status s = client.Send(request); !s.ok()) return s;
    Result<proto::Response> next = client.Receive();
    if (!next.ok()) return next.error();
    if (next->has_error() && next->error().code() != proto::OK) {
      return MakeError(static_cast<ErrorCode>(next->error().code()), next->error().message());
    }
    if (ResponsePage(*next) == nullptr) {
      return MakeError(ErrorCode::kInternal, "the daemon answered a page with something else");
    }
    Append(response, *next);
  }
  return Status::Ok();
}

}  // namespace accord::client
