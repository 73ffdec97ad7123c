#include "daemon/state/fold.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "daemon/state/membership.h"

namespace accord::state {
namespace {

int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

// Calls fn(event, member) for each event of `index` that counts, in LWW order.
template <typename Fn>
void ForEachCounted(const std::map<OrderKey, const Event*>& index, const Membership& membership,
                    Fn&& fn) {
  for (const auto& [key, e] : index) {
    if (const auto who = membership.MemberOf(*e)) fn(*e, *who);
  }
}

using RetractIndex = std::map<log::EntryId, std::map<OrderKey, const Event*>>;

Withdrawal WithdrawalBy(const Event& retract, const MemberId& who) {
  return Withdrawal{AuthoredBy(retract, who), std::get<Retracted>(retract.kind).note};
}

// The LWW-first retract of `item` written by its own member `who`, if any counts.
std::optional<Withdrawal> WithdrawalOf(const RetractIndex& retracts, const Event& item,
                                       const MemberId& who, const Membership& membership) {
  auto entries = retracts.find(item.id);
  if (entries == retracts.end()) return std::nullopt;
  std::optional<Withdrawal> out;
  ForEachCounted(entries->second, membership, [&](const Event& r, const MemberId& m) {
    if (!out && m == who) out = WithdrawalBy(r, m);
  });
  return out;
}

}  // namespace

bool Fold::Apply(const Event& event) {
  auto [it, inserted] = events_.emplace(event.id, event);
  if (!inserted) return false;  // ids hash the header, so the same id is the same entry
  Index(it->second);
  if (TouchesLive(it->second)) ++live_generation_;
  if (event.scope != log::Scope::kPrivate) {
    feeds_[event.author].emplace(event.seq, event.id);
    if (!IsFrozen(event.author, event.seq)) digest_.AddEntry(event.id);
  }
  return true;
}

bool Fold::TouchesLive(const Event& e) const {
  if (std::holds_alternative<NeedAdded>(e.kind) || std::holds_alternative<BoundaryAdded>(e.kind) ||
      std::holds_alternative<Appreciated>(e.kind) || std::holds_alternative<Reflected>(e.kind) ||
      std::holds_alternative<Forgot>(e.kind)) {
    return false;
  }
  if (const auto* c = std::get_if<CheckedIn>(&e.kind)) return c->agreement.has_value();
  if (const auto* r = std::get_if<Retracted>(&e.kind)) {
    // Of what LiveView reads, a retract withdraws only space requests and check-ins about
    // an agreement. Withdrawing what has not arrived changes nothing yet: its arrival does.
    auto target = events_.find(r->target);
    if (target == events_.end()) return false;
    if (std::holds_alternative<SpaceAsked>(target->second.kind)) return true;
    const auto* c = std::get_if<CheckedIn>(&target->second.kind);
    return c != nullptr && c->agreement.has_value();
  }
  return true;  // agreements, space, membership, keys, private chain starts
}

bool Fold::IsFrozen(const log::DeviceKey& author, uint64_t seq) const {
  auto it = frozen_.find(author);
  return it != frozen_.end() && seq >= it->second;
}

void Fold::UncountFeed(const log::DeviceKey& author, uint64_t from_seq, uint64_t until_seq) {
  auto feed = feeds_.find(author);
  if (feed == feeds_.end()) return;
  const auto end = feed->second.lower_bound(until_seq);
  for (auto it = feed->second.lower_bound(from_seq); it != end; ++it) {
    digest_.RemoveEntry(it->second);
  }
}

void Fold::Index(const Event& e) {
  const OrderKey key = KeyOf(e);
  if (const auto* p = std::get_if<Proposed>(&e.kind)) {
    if (p->agreement) {
      agreements_[*p->agreement].proposals.emplace(key, &e);
    } else {
      agreements_[e.id].proposals.emplace(key, &e);
      agreement_roots_.emplace(key, &e);
    }
  } else if (const auto* a = std::get_if<Accepted>(&e.kind)) {
    agreements_[a->agreement].stances.emplace(key, &e);
  } else if (const auto* d = std::get_if<Declined>(&e.kind)) {
    agreements_[d->agreement].stances.emplace(key, &e);
  } else if (const auto* r = std::get_if<Retired>(&e.kind)) {
    agreements_[r->agreement].retirements.emplace(key, &e);
  } else if (const auto* c = std::get_if<CheckedIn>(&e.kind)) {
    check_ins_.emplace(key, &e);
    if (c->agreement) agreements_[*c->agreement].check_ins.emplace(key, &e);
  } else if (std::holds_alternative<SpaceAsked>(e.kind)) {
    space_requests_.emplace(key, &e);
  } else if (const auto* k = std::get_if<SpaceAcked>(&e.kind)) {
    spaces_[k->request].acks.emplace(key, &e);
  } else if (const auto* b = std::get_if<SpaceEnded>(&e.kind)) {
    spaces_[b->request].backs.emplace(key, &e);
  } else if (std::holds_alternative<NeedAdded>(e.kind)) {
    needs_.emplace(key, &e);
  } else if (std::holds_alternative<BoundaryAdded>(e.kind)) {
    boundaries_.emplace(key, &e);
  } else if (std::holds_alternative<Appreciated>(e.kind)) {
    appreciations_.emplace(key, &e);
  } else if (const auto* r = std::get_if<Retracted>(&e.kind)) {
    retracts_[r->target].emplace(key, &e);
  } else if (std::holds_alternative<Reflected>(e.kind)) {
    reflections_.emplace(key, &e);
  } else if (const auto* c = std::get_if<PrivateChainStarted>(&e.kind)) {
    // One start per chain (seq 1); a second one is a fork, which freezes the chain anyway.
    if (chains_.emplace(e.author, c->device).second) ++membership_generation_;
  } else if (std::holds_alternative<Forgot>(e.kind)) {
    forgets_.emplace(key, &e);
  } else {
    control_.emplace(key, &e);  // membership and epochs
    ++membership_generation_;
  }
}

void Fold::Freeze(const log::DeviceKey& author, uint64_t from_seq) {
  ++membership_generation_;
  ++live_generation_;
  auto [it, inserted] = frozen_.emplace(author, from_seq);
  if (inserted) {
    UncountFeed(author, from_seq, std::numeric_limits<uint64_t>::max());
  } else if (from_seq < it->second) {
    UncountFeed(author, from_seq, it->second);
    digest_.RemoveFreeze(author, it->second);
    it->second = from_seq;
  } else {
    return;
  }
  digest_.AddFreeze(author, from_seq);
}

Membership Fold::ResolveControl() const {
  return ResolveMembership(ControlEvents(), frozen_, chains_);
}

std::vector<Member> Fold::Members() const { return ResolveControl().members(); }

std::vector<const Event*> Fold::ControlEvents() const {
  std::vector<const Event*> control;
  control.reserve(control_.size());
  for (const auto& [key, e] : control_) control.push_back(e);
  return control;
}

state::Epochs Fold::Epochs() const { return ResolveEpochs(ControlEvents(), ResolveControl()); }

Live Fold::LiveView() const {
  Live live;
  FillLive(ResolveControl(), live);
  return live;
}

State Fold::View() const {
  const Membership membership = ResolveControl();
  State s;
  FillLive(membership, s);
  FillHistory(membership, s);
  return s;
}

void Fold::FillLive(const Membership& membership, Live& s) const {
  s.members = membership.members();
  s.epoch = ResolveEpochs(ControlEvents(), membership).current();
  ForEachCounted(agreement_roots_, membership, [&](const Event& e, const MemberId&) {
    auto entries = agreements_.find(e.id);
    if (entries == agreements_.end()) return;
    std::optional<Agreement> agreement = BuildAgreement(e.id, entries->second, membership);
    if (!agreement) return;
    // A withdrawn check-in reviewed nothing (due.h).
    ForEachCounted(entries->second.check_ins, membership, [&](const Event& c, const MemberId& who) {
      if (WithdrawalOf(retracts_, c, who, membership)) return;
      agreement->last_check_in_ms =
          std::max(agreement->last_check_in_ms.value_or(c.time_ms), c.time_ms);
    });
    s.agreements.push_back(std::move(*agreement));
  });
  ForEachCounted(space_requests_, membership, [&](const Event& e, const MemberId& who) {
    const auto& ask = std::get<SpaceAsked>(e.kind);
    SpaceRequest r;
    r.by = AuthoredBy(e, who);
    r.start_ms = e.time_ms;
    r.duration_ms = ask.duration_ms;
    r.end_ms = SaturatingAdd(e.time_ms, ask.duration_ms);
    r.message = ask.message;
    if (auto entries = spaces_.find(e.id); entries != spaces_.end()) {
      // Only the requester ends their own space; a "back" dated before the start (clock
      // skew) ends it at the start.
      ForEachCounted(entries->second.backs, membership, [&](const Event& b, const MemberId& m) {
        const int64_t at = std::max(b.time_ms, r.start_ms);
        if (m == who && at < r.end_ms) {
          r.end_ms = at;
          r.ended_by = b.id;
        }
      });
      ForEachCounted(entries->second.acks, membership, [&](const Event& a, const MemberId& m) {
        if (m != who)
          r.acks.push_back(SpaceAck{AuthoredBy(a, m), std::get<SpaceAcked>(a.kind).note});
      });
    }
    // A retract ends what is still open at its time: after the backs, so the outcome does
    // not depend on the order entries arrived in; the earliest one counts.
    if (auto retracts = retracts_.find(e.id); retracts != retracts_.end()) {
      ForEachCounted(retracts->second, membership, [&](const Event& x, const MemberId& m) {
        const int64_t at = std::max(x.time_ms, r.start_ms);
        if (m == who && at < r.end_ms) {
          r.end_ms = at;
          r.ended_by = x.id;
          r.withdrawn = WithdrawalBy(x, m);
        }
      });
    }
    s.space_requests.push_back(std::move(r));
  });
  for (const auto& [device, seq] : frozen_) s.frozen.push_back(FrozenAuthor{device, seq});
}

void Fold::FillHistory(const Membership& membership, State& s) const {
  auto withdrawn = [&](const Event& e, const MemberId& who) {
    return WithdrawalOf(retracts_, e, who, membership);
  };
  ForEachCounted(needs_, membership, [&](const Event& e, const MemberId& who) {
    s.needs.push_back(
        Need{AuthoredBy(e, who), std::get<NeedAdded>(e.kind).text, withdrawn(e, who)});
  });
  ForEachCounted(boundaries_, membership, [&](const Event& e, const MemberId& who) {
    const auto& b = std::get<BoundaryAdded>(e.kind);
    s.boundaries.push_back(Boundary{AuthoredBy(e, who), b.text, b.during_space, withdrawn(e, who)});
  });
  ForEachCounted(check_ins_, membership, [&](const Event& e, const MemberId& who) {
    const auto& c = std::get<CheckedIn>(e.kind);
    s.check_ins.push_back(
        CheckIn{AuthoredBy(e, who), c.feeling, c.note, c.agreement, withdrawn(e, who)});
  });
  ForEachCounted(appreciations_, membership, [&](const Event& e, const MemberId& who) {
    s.appreciations.push_back(
        Appreciation{AuthoredBy(e, who), std::get<Appreciated>(e.kind).text, withdrawn(e, who)});
  });
  // A member erases only their own reflections.
  std::set<std::pair<log::EntryId, MemberId>> forgotten;
  ForEachCounted(forgets_, membership, [&](const Event& e, const MemberId& who) {
    forgotten.emplace(std::get<Forgot>(e.kind).entry, who);
  });
  // A format-1 reflection moved into its member's private chain shows once, as the copy.
  ForEachCounted(reflections_, membership, [&](const Event& e, const MemberId& who) {
    const auto& moved = std::get<Reflected>(e.kind).moved_from;
    if (moved) forgotten.emplace(*moved, who);
  });
  ForEachCounted(reflections_, membership, [&](const Event& e, const MemberId& who) {
    if (forgotten.count({e.id, who}) != 0) return;
    Authored by = AuthoredBy(e, who);
    by.device = membership.DeviceOf(e.author);
    const auto& r = std::get<Reflected>(e.kind);
    s.reflections.push_back(Reflection{by, r.text, r.moved_from});
  });
}

}  // namespace accord::state
