#include "daemon/ipc/views.h"

#include <algorithm>

namespace accord::daemon {

namespace {
constexpr size_t kUpcomingShown = 3;  // scheduled occurrences listed per version
}

std::string IdHex(const log::EntryId& id) { return ToHex(id); }

namespace {
void SetWithdrawn(const std::optional<state::Withdrawal>& w, proto::WithdrawnView* out) {
  out->set_id(IdHex(w->by.id));
  out->set_time_ms(w->by.time_ms);
  out->set_note(w->note);
}
}  // namespace

proto::AgreementStatus StatusView(state::AgreementStatus status) {
  switch (status) {
    case state::AgreementStatus::kActive:
      return proto::AGREEMENT_STATUS_ACTIVE;
    case state::AgreementStatus::kPending:
      return proto::AGREEMENT_STATUS_PENDING;
    case state::AgreementStatus::kRetired:
      return proto::AGREEMENT_STATUS_RETIRED;
  }
  return proto::AGREEMENT_STATUS_UNSPECIFIED;
}

proto::Damage DamageView(log::Damage damage) {
  switch (damage) {
    case log::Damage::kNone:
      return proto::DAMAGE_UNSPECIFIED;
    case log::Damage::kHeader:
      return proto::DAMAGE_HEADER;
    case log::Damage::kBody:
      return proto::DAMAGE_BODY;
    case log::Damage::kMissingBody:
      return proto::DAMAGE_MISSING_BODY;
  }
  return proto::DAMAGE_UNSPECIFIED;
}

proto::Scope ScopeView(log::Scope scope) {
  switch (scope) {
    case log::Scope::kShared:
      return proto::SCOPE_SHARED;
    case log::Scope::kPrivate:
      return proto::SCOPE_PRIVATE;
    case log::Scope::kControl:
      return proto::SCOPE_CONTROL;
  }
  return proto::SCOPE_UNSPECIFIED;
}

std::string ViewBuilder::NameOf(const state::MemberId& member) const {
  const state::Member* m = state_.FindMember(member);
  return m ? m->name : "unknown (" + ToHex(member).substr(0, 8) + ")";
}

proto::MemberView ViewBuilder::Member(const state::Member& m) const {
  proto::MemberView v;
  v.set_member_id(ToHex(m.id));
  v.set_name(m.name);
  v.set_is_me(m.id == me_);
  v.set_left(m.left);
  for (const state::Device& d : m.devices)
    if (!d.removed) v.add_device_keys(ToHex(d.key));
  return v;
}

proto::NoteView ViewBuilder::Note(const state::Authored& by, const std::string& text,
                                  const std::optional<state::Withdrawal>& withdrawn) const {
  proto::NoteView v;
  v.set_id(IdHex(by.id));
  v.set_author_member(ToHex(by.member));
  v.set_author_name(NameOf(by.member));
  v.set_time_ms(by.time_ms);
  v.set_text(text);
  if (withdrawn) SetWithdrawn(withdrawn, v.mutable_withdrawn());
  return v;
}

proto::ReplyView ViewBuilder::Reply(const state::Authored& by, const std::string& note) const {
  proto::ReplyView v;
  v.set_id(IdHex(by.id));
  v.set_member_id(ToHex(by.member));
  v.set_name(NameOf(by.member));
  v.set_time_ms(by.time_ms);
  v.set_note(note);
  return v;
}

proto::VersionView ViewBuilder::Version(const state::Agreement& a, size_t index) const {
  const state::Version& ver = a.versions[index];
  proto::VersionView v;
  v.set_id(IdHex(ver.by.id));
  v.set_number(static_cast<int32_t>(index + 1));
  v.set_author_member(ToHex(ver.by.member));
  v.set_author_name(NameOf(ver.by.member));
  v.set_time_ms(ver.by.time_ms);
  v.set_text(ver.text);
  if (ver.schedule) {
    auto* s = v.mutable_schedule();
    s->set_spec(ver.schedule->spec);
    s->set_time_zone(ver.schedule->time_zone);
    for (const state::Occurrence& o :
         state::NextOccurrences(*ver.schedule, now_ms_, kUpcomingShown))
      s->add_next_starts_ms(o.start_ms);
  }
  v.set_review_every_s(ver.review_every_ms / 1000);
  if (ver.parent) v.set_counters(IdHex(*ver.parent));
  v.add_accepted_by(NameOf(ver.by.member));
  for (const state::Stance& s : ver.stances) {
    if (s.member == ver.by.member) continue;
    if (s.kind == state::StanceKind::kAccepted) {
      v.add_accepted_by(NameOf(s.member));
    } else {
      v.add_declined_by(NameOf(s.member));
      *v.add_declines() = Reply(s.by, s.note);
    }
  }
  bool pending = std::find(a.pending.begin(), a.pending.end(), ver.by.id) != a.pending.end();
  v.set_status(a.status == state::AgreementStatus::kRetired ? proto::VERSION_STATUS_RETIRED
               : ver.active && a.latest_active == ver.by.id ? proto::VERSION_STATUS_ACTIVE
               : pending                                    ? proto::VERSION_STATUS_PENDING
                                                            : proto::VERSION_STATUS_SUPERSEDED);
  return v;
}

proto::AgreementView ViewBuilder::Agreement(const state::Agreement& a, bool full) const {
  proto::AgreementView v;
  v.set_id(IdHex(a.id));
  v.set_status(StatusView(a.status));
  for (size_t i = 0; i < a.versions.size(); ++i) {
    const log::EntryId& id = a.versions[i].by.id;
    if (a.latest_active == id) *v.mutable_active() = Version(a, i);
    if (std::find(a.pending.begin(), a.pending.end(), id) != a.pending.end()) {
      *v.add_pending() = Version(a, i);
    }
    if (full) *v.add_history() = Version(a, i);
  }
  if (!v.has_active() && v.pending_size() == 0 && !a.versions.empty()) {
    *v.add_pending() = Version(a, a.versions.size() - 1);  // retired before anything activated
  }
  if (!a.retirements.empty()) {
    v.set_retired_by(NameOf(a.retirements.front().by.member));
    v.set_retire_note(a.retirements.front().note);
  }
  if (full && check_ins_ != nullptr) {
    for (const state::CheckIn& c : *check_ins_)
      if (c.agreement == a.id) *v.add_check_ins() = CheckIn(c);
  }
  return v;
}

proto::CheckInView ViewBuilder::CheckIn(const state::CheckIn& c) const {
  proto::CheckInView v;
  v.set_id(IdHex(c.by.id));
  v.set_author_member(ToHex(c.by.member));
  v.set_author_name(NameOf(c.by.member));
  v.set_time_ms(c.by.time_ms);
  v.set_feeling(c.feeling);
  v.set_note(c.note);
  if (c.agreement) v.set_agreement_id(IdHex(*c.agreement));
  if (c.withdrawn) SetWithdrawn(c.withdrawn, v.mutable_withdrawn());
  return v;
}

proto::SpaceView ViewBuilder::Space(const state::SpaceRequest& s) const {
  proto::SpaceView v;
  v.set_id(IdHex(s.by.id));
  v.set_member(ToHex(s.by.member));
  v.set_name(NameOf(s.by.member));
  v.set_start_ms(s.start_ms);
  v.set_end_ms(s.end_ms);
  v.set_message(s.message);
  for (const state::SpaceAck& ack : s.acks) {
    v.add_acked_by(NameOf(ack.by.member));
    *v.add_acks() = Reply(ack.by, ack.note);
  }
  v.set_active(s.start_ms <= now_ms_ && now_ms_ < s.end_ms);
  if (s.withdrawn) SetWithdrawn(s.withdrawn, v.mutable_withdrawn());
  return v;
}

bool ViewBuilder::WaitsForMe(const state::Agreement& a) const {
  if (a.status == state::AgreementStatus::kRetired) return false;
  for (const state::Version& ver : a.versions) {
    if (std::find(a.pending.begin(), a.pending.end(), ver.by.id) == a.pending.end()) continue;
    if (ver.by.member == me_) continue;
    bool has_stance = std::any_of(ver.stances.begin(), ver.stances.end(),
                                  [&](const state::Stance& s) { return s.member == me_; });
    if (!has_stance) return true;
  }
  return false;
}

}  // namespace accord::daemon
