#include "daemon/state/membership.h"

#include <algorithm>
#include <queue>
#include <utility>

namespace accord::state {
namespace {

using Cutoffs = std::map<log::DeviceKey, OrderKey>;

// Devices assigned to members by the claims (MemberCreated, MemberAdded, DeviceAdded).
struct Assignment {
  std::map<log::DeviceKey, MemberId> device_member;
  std::map<log::DeviceKey, OrderKey> admitted;  // the winning claim's key
  std::map<MemberId, Member> members;
};

// Leaves and removals that took effect, at the LWW key of the entry that made them.
struct Endings {
  std::map<MemberId, OrderKey> left;
  std::map<log::DeviceKey, OrderKey> removed;
};

// Before the cutoff of `device` (whose authority `e` uses).
bool BeforeCutoff(const Event& e, const log::DeviceKey& device, const Cutoffs& cutoffs) {
  auto it = cutoffs.find(device);
  return it == cutoffs.end() || KeyOf(e) < it->second;
}

bool BeforeCutoff(const Event& e, const Cutoffs& cutoffs) {
  return BeforeCutoff(e, e.author, cutoffs);
}

// The device a claim entry gives to a member; nullopt for other kinds.
std::optional<log::DeviceKey> ClaimedDevice(const Event& e) {
  if (std::holds_alternative<MemberCreated>(e.kind)) return e.author;
  if (const auto* a = std::get_if<MemberAdded>(&e.kind)) return a->device;
  if (const auto* d = std::get_if<DeviceAdded>(&e.kind)) return d->device;
  if (std::holds_alternative<DeviceRekeyed>(e.kind)) return e.author;
  return std::nullopt;
}

// The device whose authority a claim uses: its author, except for a re-key, whose author is
// the new key and whose voucher is the old one; nullopt for a MemberCreated (a first device
// vouches for itself).
std::optional<log::DeviceKey> Voucher(const Event& e) {
  if (std::holds_alternative<MemberCreated>(e.kind)) return std::nullopt;
  if (const auto* r = std::get_if<DeviceRekeyed>(&e.kind)) return r->old_device;
  return e.author;
}

Device* FindDevice(Member& member, const log::DeviceKey& key) {
  for (Device& d : member.devices)
    if (d.key == key) return &d;
  return nullptr;
}

// Claims become usable once their author holds a device, and the LWW-first usable claim on a
// device wins. Processing ready claims through a min-heap makes that a function of the set
// (not of arrival order), in O(n log n).
Assignment Assign(const std::vector<const Event*>& control, const Cutoffs& cutoffs) {
  auto later = [](const Event* a, const Event* b) { return KeyOf(*b) < KeyOf(*a); };
  std::priority_queue<const Event*, std::vector<const Event*>, decltype(later)> ready(later);
  std::multimap<log::DeviceKey, const Event*> waiting_on_author;
  for (const Event* e : control) {
    if (!ClaimedDevice(*e)) continue;
    const std::optional<log::DeviceKey> voucher = Voucher(*e);
    if (!voucher) {
      if (BeforeCutoff(*e, cutoffs)) ready.push(e);
    } else if (BeforeCutoff(*e, *voucher, cutoffs)) {
      waiting_on_author.emplace(*voucher, e);
    }
  }
  Assignment out;
  while (!ready.empty()) {
    const Event* e = ready.top();
    ready.pop();
    const log::DeviceKey device = *ClaimedDevice(*e);
    if (out.device_member.count(device) != 0) continue;
    Device record;
    record.key = device;
    record.added_by = e->id;
    MemberId owner = device;
    if (const auto* c = std::get_if<MemberCreated>(&e->kind)) {
      record.x25519 = c->device_x25519;
      record.name = c->device_name;
      out.members[owner] = Member{owner, c->name, e->id, {}, false};
    } else if (const auto* a = std::get_if<MemberAdded>(&e->kind)) {
      record.x25519 = a->device_x25519;
      record.name = a->device_name;
      out.members[owner] = Member{owner, a->name, e->id, {}, false, a->history_from_epoch};
    } else if (const auto* d = std::get_if<DeviceAdded>(&e->kind)) {
      record.x25519 = d->device_x25519;
      record.name = d->device_name;
      owner = out.device_member.at(e->author);  // only ready once the author was assigned
    } else {
      // A re-key: the new key takes the old one's member, X25519 key and name.
      const auto& r = std::get<DeviceRekeyed>(e->kind);
      owner = out.device_member.at(r.old_device);  // only ready once the voucher was assigned
      Device* old = FindDevice(out.members[owner], r.old_device);
      record.x25519 = old->x25519;
      record.name = old->name;
      record.replaces = r.old_device;
      if (!old->replaced_by) old->replaced_by = device;  // the LWW-first re-key
    }
    out.members[owner].devices.push_back(std::move(record));
    out.device_member[device] = owner;
    out.admitted[device] = KeyOf(*e);
    auto [first, last] = waiting_on_author.equal_range(device);
    for (auto it = first; it != last; ++it) ready.push(it->second);
  }
  return out;
}

// In LWW order, so an entry written after its own device or member was ended is void.
Endings FindEndings(const std::vector<const Event*>& control, const Assignment& assignment) {
  Endings out;
  for (const Event* e : control) {
    auto author = assignment.device_member.find(e->author);
    if (author == assignment.device_member.end()) continue;
    const MemberId& own = author->second;
    if (out.left.count(own) != 0 || out.removed.count(e->author) != 0) continue;
    if (const auto* l = std::get_if<MemberLeft>(&e->kind)) {
      if (l->member == own) out.left.emplace(own, KeyOf(*e));
    } else if (const auto* r = std::get_if<DeviceRemoved>(&e->kind)) {
      auto target = assignment.device_member.find(r->device);
      if (target != assignment.device_member.end() && target->second == own) {
        out.removed.emplace(r->device, KeyOf(*e));
      }
    }
  }
  return out;
}

Cutoffs CutoffsFrom(const Assignment& assignment, const Endings& endings) {
  Cutoffs out;
  for (const auto& [device, member] : assignment.device_member) {
    std::optional<OrderKey> cut;
    if (auto l = endings.left.find(member); l != endings.left.end()) cut = l->second;
    if (auto r = endings.removed.find(device); r != endings.removed.end()) {
      if (!cut || r->second < *cut) cut = r->second;
    }
    if (cut) out.emplace(device, *cut);
  }
  return out;
}

bool IsMembershipKind(const Event& e) {
  return std::holds_alternative<MemberCreated>(e.kind) ||
         std::holds_alternative<MemberAdded>(e.kind) ||
         std::holds_alternative<DeviceAdded>(e.kind) ||
         std::holds_alternative<DeviceRekeyed>(e.kind) ||
         std::holds_alternative<MemberLeft>(e.kind) ||
         std::holds_alternative<DeviceRemoved>(e.kind);
}

}  // namespace

Membership ResolveMembership(const std::vector<const Event*>& all_control,
                             const std::map<log::DeviceKey, uint64_t>& frozen,
                             const std::map<log::DeviceKey, log::DeviceKey>& chains) {
  Membership out;
  out.frozen_ = frozen;
  out.chains_ = chains;
  std::vector<const Event*> control;
  for (const Event* e : all_control) {
    if (IsMembershipKind(*e) && !out.IsFrozen(*e)) control.push_back(e);
  }
  std::sort(control.begin(), control.end(),
            [](const Event* a, const Event* b) { return KeyOf(*a) < KeyOf(*b); });

  // Claims first without endings, then endings judged on that, then the claims again with
  // the authority of ended devices cut off. Each step is a function of the set; re-judging
  // endings on the second assignment could loop, so it is deliberately not done.
  const Assignment first = Assign(control, {});
  const Endings endings = FindEndings(control, first);
  Assignment final_assignment = Assign(control, CutoffsFrom(first, endings));
  out.cutoff_ = CutoffsFrom(final_assignment, endings);
  out.device_member_ = std::move(final_assignment.device_member);
  out.admitted_ = std::move(final_assignment.admitted);

  for (auto& [id, member] : final_assignment.members) {
    member.left = endings.left.count(id) != 0;
    for (Device& d : member.devices) d.removed = endings.removed.count(d.key) != 0;
    std::sort(member.devices.begin(), member.devices.end(),
              [](const Device& a, const Device& b) { return a.key < b.key; });
    if (!member.left) out.current_.push_back(id);
    out.members_.push_back(std::move(member));  // std::map order: sorted by id
  }
  return out;
}

std::optional<MemberId> Membership::MemberOf(const Event& event) const {
  if (IsFrozen(event)) return std::nullopt;
  const log::DeviceKey device = DeviceOf(event.author);
  auto it = device_member_.find(device);
  if (it == device_member_.end()) return std::nullopt;
  auto cut = cutoff_.find(device);
  if (cut != cutoff_.end() && !(KeyOf(event) < cut->second)) return std::nullopt;
  return it->second;
}

log::DeviceKey Membership::DeviceOf(const log::DeviceKey& author) const {
  auto it = chains_.find(author);
  return it == chains_.end() ? author : it->second;
}

std::optional<OrderKey> Membership::AdmittedAt(const log::DeviceKey& device) const {
  auto it = admitted_.find(device);
  if (it == admitted_.end()) return std::nullopt;
  return it->second;
}

std::optional<OrderKey> Membership::EndedAt(const log::DeviceKey& device) const {
  auto it = cutoff_.find(device);
  if (it == cutoff_.end()) return std::nullopt;
  return it->second;
}

bool Membership::IsCurrentDeviceAt(const log::DeviceKey& device, const OrderKey& at) const {
  const std::optional<OrderKey> admitted = AdmittedAt(device);
  if (!admitted || !(*admitted < at)) return false;
  const std::optional<OrderKey> ended = EndedAt(device);
  return !ended || at < *ended;
}

bool Membership::IsFrozen(const Event& event) const {
  auto it = frozen_.find(event.author);
  return it != frozen_.end() && event.seq >= it->second;
}

bool Membership::IsCurrent(const MemberId& member) const {
  return std::binary_search(current_.begin(), current_.end(), member);
}

}  // namespace accord::state
