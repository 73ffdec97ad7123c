#include "daemon/state/epochs.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "base/bytes.h"

namespace accord::state {
namespace {

constexpr uint64_t kHighMax = 0xffffffffu;  // the epoch number's high half: rotations

bool RanksBelow(const EpochRecord& a, const EpochRecord& b) {
  return std::tie(a.epoch, a.key.id) < std::tie(b.epoch, b.key.id);
}

std::string Short(const log::DeviceKey& device) {
  return ToHex(ByteView(device.data(), 4));  // enough to name it in a reason
}

// Why `e` is not a valid EpochStart, or nullopt if it is.
std::optional<std::string> Judge(const Event& e, const EpochStarted& start,
                                 const Membership& membership,
                                 const std::vector<log::DeviceKey>& devices) {
  if (!membership.MemberOf(e)) return "its author is not a device of a current member";
  if (start.epoch == 0) return "epoch 0 is never started by an entry";
  const OrderKey at = KeyOf(e);
  std::set<log::DeviceKey> named;
  for (const auto& r : start.recipients) {
    if (!named.insert(r.device).second) return "it names device " + Short(r.device) + " twice";
    if (!membership.IsCurrentDeviceAt(r.device, at)) {
      return "it names device " + Short(r.device) + ", which is not a current device";
    }
  }
  for (const log::DeviceKey& d : devices) {
    if (membership.IsCurrentDeviceAt(d, at) && named.count(d) == 0) {
      return "it leaves out current device " + Short(d);
    }
  }
  return std::nullopt;
}

}  // namespace

Epochs ResolveEpochs(const std::vector<const Event*>& control, const Membership& membership) {
  Epochs out;
  std::vector<log::DeviceKey> devices;  // every device of every member, current or not
  for (const Member& m : membership.members()) {
    for (const Device& d : m.devices) {
      if (m.history_from_epoch != 0) {
        out.restricted_.emplace(d.key, m.id);
        Epochs::Newcomer& n = out.newcomers_[m.id];
        n.from_epoch = m.history_from_epoch;
        n.devices.push_back(d.key);
      }
      devices.push_back(d.key);
      if (auto admitted = membership.AdmittedAt(d.key)) out.admitted_.emplace(d.key, *admitted);
      if (auto ended = membership.EndedAt(d.key)) {
        out.ended_.emplace(d.key, *ended);
      } else if (!m.left) {
        out.next_recipients_.push_back(d);
      }
    }
  }
  std::sort(out.next_recipients_.begin(), out.next_recipients_.end(),
            [](const Device& a, const Device& b) { return a.key < b.key; });

  for (const Event* e : control) {
    const auto* start = std::get_if<EpochStarted>(&e->kind);
    if (start == nullptr) continue;
    const std::optional<std::string> why = Judge(*e, *start, membership, devices);
    if (why) {
      out.rejected_.push_back(RejectedEpochStart{e->id, start->epoch, *why});
    } else {
      EpochRecord record;
      record.epoch = start->epoch;
      record.key = KeyOf(*e);
      record.seq = e->seq;
      for (const auto& r : start->recipients) record.recipients.push_back(r.device);
      std::sort(record.recipients.begin(), record.recipients.end());
      out.valid_.push_back(std::move(record));
    }
    // Whoever counted may have sealed entries to this epoch, valid or not: its recipients
    // may hold the key.
    if (membership.MemberOf(*e)) {
      out.highest_known_ = std::max(out.highest_known_, start->epoch);
      auto [it, inserted] = out.holders_.try_emplace(start->epoch);
      if (inserted || KeyOf(*e) < it->second.first) it->second.first = KeyOf(*e);
      for (const auto& r : start->recipients) it->second.named.insert(r.device);
      out.own_starts_[e->author].push_back(Epochs::OwnStart{e->seq, start->epoch, !why});
    }
  }
  for (auto& [author, starts] : out.own_starts_) {
    std::sort(starts.begin(), starts.end(),
              [](const Epochs::OwnStart& a, const Epochs::OwnStart& b) { return a.seq < b.seq; });
  }
  std::sort(out.valid_.begin(), out.valid_.end(), RanksBelow);
  std::sort(out.rejected_.begin(), out.rejected_.end(),
            [](const RejectedEpochStart& a, const RejectedEpochStart& b) { return a.id < b.id; });
  if (!out.valid_.empty()) out.current_ = out.valid_.back();

  for (const auto& [device, at] : out.ended_) {
    if (out.MayHold(device, out.current())) out.ended_holders_.push_back(device);
  }
  return out;
}

std::optional<uint64_t> Epochs::NextEpoch(const log::DeviceKey& author) const {
  const uint64_t high = std::max(highest_known_, current()) >> 32;
  if (high >= kHighMax) return std::nullopt;
  return ((high + 1) << 32) | GetU32Be(author.data());
}

bool Epochs::IsCurrentDevice(const log::DeviceKey& device) const {
  return std::any_of(next_recipients_.begin(), next_recipients_.end(),
                     [&](const Device& d) { return d.key == device; });
}

bool Epochs::MustRotate(const log::DeviceKey& me) const {
  if (!IsCurrentDevice(me)) return false;
  if (RotationNeeded()) return true;
  auto own = own_starts_.find(me);
  return own != own_starts_.end() && !own->second.back().valid;
}

std::optional<uint64_t> Epochs::EpochForWrite(const log::DeviceKey& me) const {
  if (!IsCurrentDevice(me) || MustRotate(me)) return std::nullopt;
  return current();
}

bool Epochs::MayHold(const log::DeviceKey& device, uint64_t epoch) const {
  auto admitted = admitted_.find(device);
  auto restricted = restricted_.find(device);
  if (epoch == 0) return admitted != admitted_.end() && restricted == restricted_.end();
  auto h = holders_.find(epoch);
  if (h == holders_.end()) return false;
  if (h->second.named.count(device) != 0) return true;
  if (admitted == admitted_.end() || !(h->second.first < admitted->second)) return false;
  if (restricted == restricted_.end()) return true;
  // A member let in without history: its first epoch, and what was sealed to one of its
  // devices (which hand their keys to the member's later devices), nothing before.
  const Newcomer& member = newcomers_.at(restricted->second);
  if (epoch == member.from_epoch) return true;
  return std::any_of(member.devices.begin(), member.devices.end(),
                     [&](const log::DeviceKey& d) { return h->second.named.count(d) != 0; });
}

bool Epochs::Ended(const log::DeviceKey& device, OrderKey* at) const {
  auto it = ended_.find(device);
  if (it == ended_.end()) return false;
  *at = it->second;
  return true;
}

EpochShare Epochs::ShareWith(const log::DeviceKey& to, log::Scope scope, uint64_t epoch,
                             const OrderKey& entry) const {
  if (scope == log::Scope::kPrivate || admitted_.count(to) == 0) return EpochShare::kWhole;
  OrderKey end;
  const bool ended = Ended(to, &end);
  if (ended && !(entry < end)) return EpochShare::kNothing;
  const bool known = epoch == 0 || holders_.count(epoch) != 0;
  if (known) return MayHold(to, epoch) ? EpochShare::kWhole : EpochShare::kHeaderOnly;
  // An epoch whose EpochStart has not reached this device: a current device may well hold
  // it; a device that ended gets no body this device cannot vouch for.
  return ended ? EpochShare::kHeaderOnly : EpochShare::kWhole;
}

bool Epochs::SealsBelowOwnRotation(const Event& entry, uint64_t header_epoch) const {
  if (entry.scope == log::Scope::kPrivate || std::holds_alternative<EpochStarted>(entry.kind)) {
    return false;
  }
  auto own = own_starts_.find(entry.author);
  if (own == own_starts_.end()) return false;
  for (const OwnStart& s : own->second) {
    if (s.seq >= entry.seq) break;
    if (header_epoch < s.epoch) return true;
  }
  return false;
}

}  // namespace accord::state
