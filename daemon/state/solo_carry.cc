#include "daemon/state/solo_carry.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace accord::state {
namespace {

template <typename T, typename... Kinds>
constexpr bool InVariant(const std::variant<Kinds...>*) {
  return (std::is_same_v<T, Kinds> || ...);
}

// The user kind an event holds, or nullopt for a control kind.
std::optional<UserKind> AsUserKind(const EventKind& kind) {
  return std::visit(
      [](const auto& k) -> std::optional<UserKind> {
        using K = std::decay_t<decltype(k)>;
        if constexpr (InVariant<K>(static_cast<const UserKind*>(nullptr))) {
          return UserKind(k);
        } else {
          return std::nullopt;
        }
      },
      kind);
}

void Remap(log::EntryId& id, const std::map<log::EntryId, log::EntryId>& new_ids) {
  if (auto it = new_ids.find(id); it != new_ids.end()) id = it->second;
}

void Remap(std::optional<log::EntryId>& id, const std::map<log::EntryId, log::EntryId>& new_ids) {
  if (id) Remap(*id, new_ids);
}

// One overload per user kind: std::visit does not compile while a kind is unmapped, so a
// new kind with a reference cannot be carried with the reference unchanged by accident.
struct Remapper {
  const std::map<log::EntryId, log::EntryId>& ids;

  void operator()(NeedAdded&) const {}
  void operator()(BoundaryAdded&) const {}
  void operator()(Proposed& k) const {
    Remap(k.agreement, ids);
    Remap(k.parent, ids);
  }
  void operator()(Accepted& k) const {
    Remap(k.agreement, ids);
    Remap(k.version, ids);
  }
  void operator()(Declined& k) const {
    Remap(k.agreement, ids);
    Remap(k.version, ids);
  }
  void operator()(Retired& k) const { Remap(k.agreement, ids); }
  void operator()(SpaceAsked&) const {}
  void operator()(SpaceAcked& k) const { Remap(k.request, ids); }
  void operator()(SpaceEnded& k) const { Remap(k.request, ids); }
  void operator()(CheckedIn& k) const { Remap(k.agreement, ids); }
  void operator()(Appreciated&) const {}
  void operator()(Retracted& k) const { Remap(k.target, ids); }
  void operator()(Reflected&) const {}
  void operator()(Forgot& k) const { Remap(k.entry, ids); }
};

std::string Short(const log::EntryId& id) { return ToHex(id).substr(0, 8); }

}  // namespace

Result<CarryPlan> PlanCarry(std::span<const Event> solo, const log::DeviceKey& device,
                            const log::DeviceKey& chain) {
  std::vector<const Event*> own;
  own.reserve(solo.size());
  std::set<log::EntryId> forgotten;  // reflections a Forgot names
  for (const Event& e : solo) {
    if (e.author != device && e.author != chain) {
      return MakeError(ErrorCode::kRefused,
                       "this device already holds entries of another device (it shares a log "
                       "with someone already), so it cannot join another pact; invite your "
                       "partner from this device instead (accord invite)");
    }
    if (const auto* f = std::get_if<Forgot>(&e.kind)) forgotten.insert(f->entry);
    own.push_back(&e);
  }
  std::sort(own.begin(), own.end(), [](const Event* a, const Event* b) {
    return std::tie(a->lamport, a->author, a->seq) < std::tie(b->lamport, b->author, b->seq);
  });
  CarryPlan plan;
  for (const Event* e : own) {
    if (const auto* created = std::get_if<MemberCreated>(&e->kind);
        created != nullptr && created->member == device) {
      continue;  // the solo log's genesis: in the pact, the inviter's MemberAdded brings us in
    }
    if (const auto* start = std::get_if<PrivateChainStarted>(&e->kind);
        start != nullptr && start->device == device && e->author == chain) {
      continue;  // the pact's private chain starts itself with the first carried reflection
    }
    if (std::holds_alternative<Forgot>(e->kind)) continue;
    if (std::holds_alternative<Reflected>(e->kind) && forgotten.count(e->id) != 0) {
      ++plan.forgotten;
      continue;
    }
    std::optional<UserKind> kind = AsUserKind(e->kind);
    if (!kind) {
      return MakeError(ErrorCode::kRefused,
                       "entry " + Short(e->id) +
                           " of this device's log changes who is in it (it let someone in, or "
                           "added or removed a device), so this is not a solo log and it cannot "
                           "be carried into another pact; invite your partner from this device "
                           "instead (accord invite)");
    }
    CarryStep step;
    step.solo_id = e->id;
    step.kind = std::move(*kind);
    step.original_time_ms = e->time_ms;  // the original time already, if it had one
    if (std::holds_alternative<Reflected>(step.kind)) {
      ++plan.reflections;
    } else {
      ++plan.shared;
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

UserKind RemapReferences(UserKind kind, const std::map<log::EntryId, log::EntryId>& new_ids) {
  std::visit(Remapper{new_ids}, kind);
  return kind;
}

Result<std::map<log::EntryId, log::EntryId>> CarryOut(const CarryPlan& plan,
                                                      const CarryWriter& write) {
  std::map<log::EntryId, log::EntryId> new_ids;
  for (const CarryStep& step : plan.steps) {
    Result<log::EntryId> id = write(RemapReferences(step.kind, new_ids), step.original_time_ms);
    if (!id.ok()) {
      return MakeError(id.code(), "carrying entry " + Short(step.solo_id) +
                                      " into the pact failed: " + id.error().message);
    }
    new_ids.emplace(step.solo_id, *id);
  }
  return new_ids;
}

}  // namespace accord::state
