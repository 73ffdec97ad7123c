// The agreement commands of Handlers: propose, counter, accept, decline, retire, list, show.
#include <algorithm>

#include "base/duration.h"
#include "base/text.h"
#include "daemon/ipc/handlers.h"
#include "daemon/ipc/resolve.h"
#include "daemon/ipc/views.h"
#include "daemon/node/local_zone.h"
#include "daemon/state/schedule.h"

namespace accord::daemon {

namespace {

constexpr size_t kMaxAgreementTextBytes = 4000;  // bytes

struct Terms {
  std::optional<state::Schedule> schedule;
  int64_t review_every_s = 0;
};

Result<Terms> ParseTerms(const std::string& schedule, const std::string& zone,
                         const std::string& review, int64_t now_ms) {
  Terms t;
  if (!schedule.empty()) {
    Result<state::Schedule> s =
        state::ParseSchedule(schedule, zone.empty() ? LocalTimeZoneName() : zone, now_ms);
    if (!s.ok()) return s.error();
    t.schedule = std::move(*s);
  }
  if (!review.empty()) {
    Result<std::chrono::seconds> d = ParseDuration(review);
    if (!d.ok()) return d.error();
    t.review_every_s = d->count();
  }
  return t;
}

void SetSchedule(const state::Schedule& s, proto::Schedule* out) {
  out->set_spec(s.spec);
  out->set_time_zone(s.time_zone);
  out->set_weekdays(s.weekdays);
  out->set_start_minute(s.start_minute);
  out->set_end_minute(s.end_minute);
  out->set_every_weeks(s.every_weeks);
  out->set_anchor_day(s.anchor_day);
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

const state::Version* FindVersion(const state::Agreement& a, const log::EntryId& id) {
  for (const state::Version& v : a.versions)
    if (v.by.id == id) return &v;
  return nullptr;
}

Error Retired(const state::Agreement& a) {
  return MakeError(ErrorCode::kRefused, "agreement " + ToHex(a.id).substr(0, 8) +
                                            " is retired; propose a new one instead");
}

// The version a command acts on: the one named, else the single pending version. With two
// concurrent counters pending, the user has to say which.
Result<const state::Version*> TargetVersion(const AgreementRef& ref, bool allow_active) {
  const state::Agreement& a = *ref.agreement;
  if (ref.version) return FindVersion(a, *ref.version);
  if (a.pending.size() > 1) {
    std::string message =
        "agreement " + ToHex(a.id).substr(0, 8) + " has several pending versions; name one:";
    for (const log::EntryId& id : a.pending) message += " " + ToHex(id).substr(0, 12);
    return MakeError(ErrorCode::kAmbiguous, message);
  }
  if (a.pending.size() == 1) return FindVersion(a, a.pending.front());
  if (allow_active && a.latest_active) return FindVersion(a, *a.latest_active);
  return MakeError(ErrorCode::kRefused, "agreement " + ToHex(a.id).substr(0, 8) +
                                            " has no pending version; it is already active");
}

}  // namespace

Result<proto::Response> Handlers::Propose(const proto::ProposeRequest& r) {
  ACCORD_RETURN_IF_ERROR(
      CheckAgreementText(r.text(), r.schedule(), r.time_zone(), r.review_every()));
  Result<Terms> terms = ParseTerms(r.schedule(), r.time_zone(), r.review_every(), node_.NowMs());
  if (!terms.ok()) return terms.error();
  proto::Body b;
  auto* p = b.mutable_proposal();
  p->set_text(r.text());
  if (terms->schedule) SetSchedule(*terms->schedule, p->mutable_schedule());
  p->set_review_every_s(terms->review_every_s);
  return Written(node_.Write(b), r.text());
}

Result<proto::Response> Handlers::Counter(const proto::CounterRequest& r) {
  ACCORD_RETURN_IF_ERROR(
      CheckAgreementText(r.text(), r.schedule(), r.time_zone(), r.review_every()));
  const state::State& s = node_.State();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  if (ref->agreement->status == state::AgreementStatus::kRetired) return Retired(*ref->agreement);
  Result<const state::Version*> parent = TargetVersion(*ref, /*allow_active=*/true);
  if (!parent.ok()) return parent.error();
  Result<Terms> terms = ParseTerms(r.schedule(), r.time_zone(), r.review_every(), node_.NowMs());
  if (!terms.ok()) return terms.error();
  // Unsaid terms carry over from the version being countered.
  if (!terms->schedule && r.schedule().empty()) terms->schedule = (*parent)->schedule;
  if (r.review_every().empty()) terms->review_every_s = (*parent)->review_every_ms / 1000;

  proto::Body b;
  auto* p = b.mutable_proposal();
  p->set_agreement_id(ref->agreement->id.data(), ref->agreement->id.size());
  p->set_parent_version((*parent)->by.id.data(), (*parent)->by.id.size());
  p->set_text(r.text());
  if (terms->schedule) SetSchedule(*terms->schedule, p->mutable_schedule());
  p->set_review_every_s(terms->review_every_s);
  return Written(node_.Write(b), r.text());
}

Result<proto::Response> Handlers::AgreementAction(const proto::AgreementActionRequest& r) {
  const state::State& s = node_.State();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  const state::Agreement& a = *ref->agreement;
  if (a.status == state::AgreementStatus::kRetired) return Retired(a);
  if (r.note().size() > kMaxAgreementTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the note is too long");
  }
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.note(), "note"));

  proto::Body b;
  if (r.action() == proto::AgreementActionRequest::RETIRE) {
    b.mutable_retire()->set_agreement_id(a.id.data(), a.id.size());
    b.mutable_retire()->set_note(r.note());
    return Written(node_.Write(b), "");
  }

  Result<const state::Version*> target = TargetVersion(*ref, /*allow_active=*/false);
  if (!target.ok()) return target.error();
  const state::Version& v = **target;
  const std::string short_id = ToHex(v.by.id).substr(0, 8);
  if (v.by.member == node_.me()) {
    return MakeError(ErrorCode::kRefused,
                     "you proposed version " + short_id + "; it already counts as accepted by you");
  }
  if (v.active) {
    return MakeError(ErrorCode::kRefused,
                     "version " + short_id + " is already active; to end it, use accord retire");
  }
  const bool accept = r.action() == proto::AgreementActionRequest::ACCEPT;
  for (const state::Stance& st : v.stances) {
    if (st.member == node_.me() && (st.kind == state::StanceKind::kAccepted) == accept) {
      return MakeError(ErrorCode::kRefused, std::string("you already ") +
                                                (accept ? "accepted" : "declined") + " version " +
                                                short_id);
    }
  }
  if (accept) {
    b.mutable_acceptance()->set_agreement_id(a.id.data(), a.id.size());
    b.mutable_acceptance()->set_version(v.by.id.data(), v.by.id.size());
  } else {
    b.mutable_decline()->set_agreement_id(a.id.data(), a.id.size());
    b.mutable_decline()->set_version(v.by.id.data(), v.by.id.size());
    b.mutable_decline()->set_note(r.note());
  }
  return Written(node_.Write(b), "");
}

Result<proto::Response> Handlers::ListAgreements(const proto::ListAgreementsRequest& r) {
  const state::State& s = node_.State();
  ViewBuilder v(s, node_.me(), node_.NowMs());
  proto::Response out;
  out.mutable_agreements();
  for (const state::Agreement& a : s.agreements) {
    bool shown = r.filter() == proto::ListAgreementsRequest::ALL ||
                 (r.filter() == proto::ListAgreementsRequest::ACTIVE &&
                  a.status == state::AgreementStatus::kActive) ||
                 (r.filter() == proto::ListAgreementsRequest::PENDING &&
                  a.status != state::AgreementStatus::kRetired && !a.pending.empty());
    if (shown) *out.mutable_agreements()->add_agreements() = v.Agreement(a, false);
  }
  return out;
}

Result<proto::Response> Handlers::Show(const proto::ShowRequest& r) {
  const state::State& s = node_.State();
  Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
  if (!ref.ok()) return ref.error();
  ViewBuilder v(s, node_.me(), node_.NowMs());
  proto::Response out;
  *out.mutable_show()->mutable_agreement() = v.Agreement(*ref->agreement, true);
  return out;
}

}  // namespace accord::daemon
