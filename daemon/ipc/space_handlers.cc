// The space commands of Handlers: ask, ack, back, space.
#include "base/duration.h"
#include "base/text.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/resolve.h"
#include "daemon/ipc/views.h"
#include "daemon/state/due.h"
#include "daemon/state/rules.h"

namespace accord::daemon {

namespace {
constexpr size_t kRecentShown = 5;           // finished space requests listed by `space`
constexpr size_t kUpcomingPerAgreement = 4;  // scheduled occurrences per agreement
constexpr size_t kMaxMessageBytes = 2000;    // bytes
}  // namespace

Result<proto::Response> Handlers::AskSpace(const proto::AskSpaceRequest& r) {
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.message(), "space message"));
  Result<std::chrono::seconds> d = ParseDuration(r.duration());
  if (!d.ok()) return d.error();
  if (r.message().size() > kMaxMessageBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the message is too long");
  }
  state::SpaceAsked ask{std::chrono::milliseconds(*d).count(), r.message()};
  return Written(node_.Write(std::move(ask)), r.message());
}

Result<proto::Response> Handlers::AckSpace(const proto::AckSpaceRequest& r) {
  if (r.note().size() > kMaxMessageBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the note is too long");
  }
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.note(), "note"));
  const state::Live& s = node_.Live();
  Result<const state::SpaceRequest*> req = ResolveSpaceRequest(s, r.request());
  if (!req.ok()) return req.error();
  ACCORD_RETURN_IF_ERROR(state::MayAcknowledge(**req, node_.member()));
  return Written(node_.Write(state::SpaceAcked{(*req)->by.id, r.note()}), "");
}

Result<proto::Response> Handlers::Back() {
  Result<log::EntryId> mine = state::RequestToEnd(node_.Live(), node_.member(), node_.NowMs());
  if (!mine.ok()) return mine.error();
  return Written(node_.Write(state::SpaceEnded{*mine}), "");
}

Result<proto::Response> Handlers::Space() {
  const state::Live& s = node_.Live();
  const int64_t now = node_.NowMs();
  ViewBuilder v(s, node_.member(), now);
  proto::Response out;
  auto* sp = out.mutable_space();
  for (const state::SpaceRequest& r : state::InSpaceNow(s, now)) *sp->add_in_space() = v.Space(r);
  size_t shown = 0;
  for (auto it = s.space_requests.rbegin(); it != s.space_requests.rend() && shown < kRecentShown;
       ++it) {
    if (it->end_ms <= now) {
      *sp->add_recent() = v.Space(*it);
      ++shown;
    }
  }
  for (const state::Agreement& a : s.agreements) {
    if (a.status != state::AgreementStatus::kActive || !a.latest_active) continue;
    for (const state::Version& ver : a.versions) {
      if (ver.by.id != *a.latest_active || !ver.schedule) continue;
      for (const state::Occurrence& o :
           state::NextOccurrences(*ver.schedule, now, kUpcomingPerAgreement)) {
        auto* u = sp->add_upcoming();
        u->set_agreement_id(ToHex(a.id));
        u->set_text(ver.text);
        u->set_start_ms(o.start_ms);
        u->set_end_ms(o.end_ms);
      }
    }
  }
  return out;
}

}  // namespace accord::daemon
