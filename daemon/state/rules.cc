#include "daemon/state/rules.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "daemon/state/due.h"

namespace accord::state {
namespace {

constexpr size_t kShortIdDigits = 8;    // hex digits naming an agreement or version in a message
constexpr size_t kListedIdDigits = 12;  // hex digits per candidate in an ambiguity message

std::string Short(const log::EntryId& id) { return ToHex(id).substr(0, kShortIdDigits); }

const Version* FindVersion(const Agreement& a, const log::EntryId& id) {
  for (const Version& v : a.versions)
    if (v.by.id == id) return &v;
  return nullptr;
}

template <typename Item>
const Item* FindItem(const std::vector<Item>& items, const log::EntryId& id) {
  for (const Item& item : items)
    if (item.by.id == id) return &item;
  return nullptr;
}

// The part of MayRetract every kind of item shares.
Status MayWithdraw(const State& state, const Authored& by,
                   const std::optional<Withdrawal>& withdrawn, const MemberId& me,
                   const char* what) {
  const std::string named = std::string(what) + " " + Short(by.id);
  if (by.member != me) {
    const Member* author = state.FindMember(by.member);
    return MakeError(ErrorCode::kRefused, named + " was written by " +
                                              (author ? author->name : "another member") +
                                              "; only its author can withdraw it");
  }
  if (withdrawn) return MakeError(ErrorCode::kRefused, named + " is already withdrawn");
  return Status::Ok();
}

}  // namespace

Status CheckNotRetired(const Agreement& agreement) {
  if (agreement.status != AgreementStatus::kRetired) return Status::Ok();
  return MakeError(ErrorCode::kRefused,
                   "agreement " + Short(agreement.id) + " is retired; propose a new one instead");
}

// With two concurrent counters pending, the member has to say which.
Result<const Version*> TargetVersion(const Agreement& agreement,
                                     const std::optional<log::EntryId>& named, bool allow_active) {
  const Agreement& a = agreement;
  if (named) return FindVersion(a, *named);
  if (a.pending.size() > 1) {
    std::string message = "agreement " + Short(a.id) + " has several pending versions; name one:";
    for (const log::EntryId& id : a.pending) message += " " + ToHex(id).substr(0, kListedIdDigits);
    return MakeError(ErrorCode::kAmbiguous, message);
  }
  if (a.pending.size() == 1) return FindVersion(a, a.pending.front());
  if (allow_active && a.latest_active) return FindVersion(a, *a.latest_active);
  return MakeError(ErrorCode::kRefused,
                   "agreement " + Short(a.id) + " has no pending version; it is already active");
}

Result<const Version*> CounterTarget(const Agreement& agreement,
                                     const std::optional<log::EntryId>& named) {
  ACCORD_RETURN_IF_ERROR(CheckNotRetired(agreement));
  return TargetVersion(agreement, named, /*allow_active=*/true);
}

Proposed CounterTo(const Agreement& agreement, const Version& parent, std::string text,
                   ProposalTerms said) {
  Proposed out;
  out.agreement = agreement.id;
  out.parent = parent.by.id;
  out.text = std::move(text);
  out.schedule = said.schedule ? std::move(said.schedule) : parent.schedule;
  out.review_every_ms = said.review_every_ms.value_or(parent.review_every_ms);
  return out;
}

Status MayTakeStance(const Version& version, const MemberId& me, bool accept) {
  const std::string short_id = Short(version.by.id);
  if (version.by.member == me) {
    return MakeError(ErrorCode::kRefused,
                     "you proposed version " + short_id + "; it already counts as accepted by you");
  }
  if (version.active) {
    return MakeError(ErrorCode::kRefused,
                     "version " + short_id + " is already active; to end it, use accord retire");
  }
  for (const Stance& st : version.stances) {
    if (st.member == me && (st.kind == StanceKind::kAccepted) == accept) {
      return MakeError(ErrorCode::kRefused, std::string("you already ") +
                                                (accept ? "accepted" : "declined") + " version " +
                                                short_id);
    }
  }
  return Status::Ok();
}

Status MayAcknowledge(const SpaceRequest& request, const MemberId& me) {
  if (request.by.member == me) {
    return MakeError(ErrorCode::kRefused, "that is your own space request");
  }
  for (const SpaceAck& ack : request.acks) {
    if (ack.by.member == me) {
      return MakeError(ErrorCode::kRefused, "you already acknowledged that request");
    }
  }
  return Status::Ok();
}

Status MayRetract(const State& state, const log::EntryId& target, const MemberId& me,
                  int64_t now_ms) {
  if (const Need* n = FindItem(state.needs, target))
    return MayWithdraw(state, n->by, n->withdrawn, me, "need");
  if (const Boundary* b = FindItem(state.boundaries, target))
    return MayWithdraw(state, b->by, b->withdrawn, me, "boundary");
  if (const Appreciation* a = FindItem(state.appreciations, target))
    return MayWithdraw(state, a->by, a->withdrawn, me, "appreciation");
  if (const CheckIn* c = FindItem(state.check_ins, target))
    return MayWithdraw(state, c->by, c->withdrawn, me, "check-in");
  if (const SpaceRequest* r = FindItem(state.space_requests, target)) {
    ACCORD_RETURN_IF_ERROR(MayWithdraw(state, r->by, r->withdrawn, me, "space request"));
    if (std::max(now_ms, r->start_ms) >= r->end_ms) {
      return MakeError(ErrorCode::kRefused, "space request " + Short(target) +
                                                " has already ended; only an open one can be "
                                                "withdrawn");
    }
    return Status::Ok();
  }
  for (const Agreement& a : state.agreements) {
    if (FindVersion(a, target) != nullptr) {
      return MakeError(ErrorCode::kRefused,
                       Short(target) + " is an agreement, which is withdrawn by retiring it: " +
                           "accord retire " + Short(a.id));
    }
  }
  if (FindItem(state.reflections, target) != nullptr) {
    return MakeError(ErrorCode::kRefused, Short(target) +
                                              " is a private reflection; to erase it, use "
                                              "accord forget " +
                                              Short(target));
  }
  return MakeError(ErrorCode::kNotFound, "nothing to withdraw has id " + Short(target));
}

Result<log::EntryId> RequestToEnd(const Live& state, const MemberId& me, int64_t now_ms) {
  std::optional<log::EntryId> mine;
  for (const SpaceRequest& r : InSpaceNow(state, now_ms))
    if (r.by.member == me) mine = r.by.id;  // LWW order: the last one is the newest
  if (!mine) return MakeError(ErrorCode::kRefused, "you are not in a space time now");
  return *mine;
}

}  // namespace accord::state
