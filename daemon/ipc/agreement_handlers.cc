// The agreement commands of Handlers: propose, counter, accept, decline, retire, list, show.
#include <algorithm>

#include "base/duration.h"
#include "base/text.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/resolve.h"
#include "daemon/ipc/views.h"
#include "daemon/node/local_zone.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/rules.h"
#include "daemon/state/schedule.h"

namespace accord::daemon {

namespace {

constexpr size_t kMaxAgreementTextBytes = 4000;  // bytes

// The terms as parsed from what was typed; nullopt where nothing was typed.
Result<state::ProposalTerms> ParseTerms(const std::string& schedule, const std::string& zone,
                                        const std::string& review, int64_t now_ms) {
  state::ProposalTerms t;
  if (!schedule.empty()) {
    // The client's zone is checked here, with words about where it came from; the daemon's
    // own (LocalTimeZoneName) is always one the database knows.
    if (!zone.empty() &&
        (zone.size() > state::kMaxTimeZoneBytes || !state::IsKnownTimeZone(zone))) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown time zone '" + zone.substr(0, state::kMaxTimeZoneBytes) +
                           "' (your TZ or system setting): set TZ to an IANA name such as "
                           "Europe/Berlin or America/New_York");
    }
    Result<state::Schedule> s =
        state::ParseSchedule(schedule, zone.empty() ? LocalTimeZoneName() : zone, now_ms);
    if (!s.ok()) return s.error();
    t.schedule = std::move(*s);
  }
  if (!review.empty()) {
    Result<std::chrono::seconds> d = ParseDuration(review);
    if (!d.ok()) return d.error();
    t.review_every_ms = std::chrono::milliseconds(*d).count();
  }
  return t;
}

// The text and the terms as typed, before anything is parsed or written.
Status CheckAgreementText(const std::string& text, const std::string& schedule,
                          const std::string& zone, const std::string& review) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "the agreement text is empty");
  if (text.size() > kMaxAgreementTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the agreement text is too long");
  }
  ACCORD_RETURN_IF_ERROR(CheckUserText(text, "agreement text"));
  ACCORD_RETURN_IF_ERROR(CheckUserText(schedule, "schedule"));
  ACCORD_RETURN_IF_ERROR(CheckUserText(zone, "time zone"));
  return CheckUserText(review, "review interval");
}

}  // namespace

Result<proto::Response> Handlers::Propose(const proto::ProposeRequest& r) {
  ACCORD_RETURN_IF_ERROR(
      CheckAgreementText(r.text(), r.schedule(), r.time_zone(), r.review_every()));
  Result<state::ProposalTerms> terms =
      ParseTerms(r.schedule(), r.time_zone(), r.review_every(), node_.NowMs());
  if (!terms.ok()) return terms.error();
  state::Proposed proposal;
  proposal.text = r.text();
  proposal.schedule = std::move(terms->schedule);
  proposal.review_every_ms = terms->review_every_ms.value_or(0);
  return Written(node_.Write(std::move(proposal)), r.text());
}

Result<proto::Response> Handlers::Counter(const proto::CounterRequest& r) {
  ACCORD_RETURN_IF_ERROR(
      CheckAgreementText(r.text(), r.schedule(), r.time_zone(), r.review_every()));
  const state::Live& s = node_.Live();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  Result<const state::Version*> parent = state::CounterTarget(*ref->agreement, ref->version);
  if (!parent.ok()) return parent.error();
  Result<state::ProposalTerms> terms =
      ParseTerms(r.schedule(), r.time_zone(), r.review_every(), node_.NowMs());
  if (!terms.ok()) return terms.error();
  return Written(
      node_.Write(state::CounterTo(*ref->agreement, **parent, r.text(), std::move(*terms))),
      r.text());
}

Result<proto::Response> Handlers::AgreementAction(const proto::AgreementActionRequest& r) {
  const state::Live& s = node_.Live();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  const state::Agreement& a = *ref->agreement;
  ACCORD_RETURN_IF_ERROR(state::CheckNotRetired(a));
  if (r.note().size() > kMaxAgreementTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the note is too long");
  }
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.note(), "note"));

  if (r.action() == proto::AgreementActionRequest::RETIRE) {
    return Written(node_.Write(state::Retired{a.id, r.note()}), "");
  }
  Result<const state::Version*> target = state::TargetVersion(a, ref->version,
                                                              /*allow_active=*/false);
  if (!target.ok()) return target.error();
  const state::Version& v = **target;
  const bool accept = r.action() == proto::AgreementActionRequest::ACCEPT;
  ACCORD_RETURN_IF_ERROR(state::MayTakeStance(v, node_.member(), accept));
  if (accept) return Written(node_.Write(state::Accepted{a.id, v.by.id}), "");
  return Written(node_.Write(state::Declined{a.id, v.by.id, r.note()}), "");
}

Result<proto::Response> Handlers::ListAgreements(const proto::ListAgreementsRequest& r) {
  const state::Live& s = node_.Live();
  ViewBuilder v(s, node_.member(), node_.NowMs());
  proto::Response out;
  out.mutable_agreements();
  using F = proto::ListAgreementsRequest;
  for (const state::Agreement& a : s.agreements) {
    const bool retired = a.status == state::AgreementStatus::kRetired;
    bool shown = r.filter() == F::ALL ||
                 (r.filter() == F::ACTIVE && a.status == state::AgreementStatus::kActive) ||
                 (r.filter() == F::PENDING && !retired && !a.pending.empty()) ||
                 (r.filter() == F::CURRENT && !retired);
    if (shown) {
      *out.mutable_agreements()->add_agreements() = v.Agreement(a, false);
    } else if (r.filter() == F::CURRENT) {
      out.mutable_agreements()->set_retired_not_shown(out.agreements().retired_not_shown() + 1);
    }
  }
  return out;
}

Result<proto::Response> Handlers::Show(const proto::ShowRequest& r) {
  const state::State& s = node_.State();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  ViewBuilder v(s, node_.member(), node_.NowMs());
  proto::Response out;
  *out.mutable_show()->mutable_agreement() = v.Agreement(*ref->agreement, true);
  return out;
}

}  // namespace accord::daemon
