// Key epochs (SECURITY §5.4): which EpochStart entries are valid, the epoch new entries are
// sealed to, and when the remaining devices must rotate. Pure, resolved from the control events
// and the Membership alike on every device; any one thread. Sealing keys is crypto/epoch_seal.h,
// authoring the entry and holding the keys is the node's.
#ifndef ACCORD_DAEMON_STATE_EPOCHS_H_
#define ACCORD_DAEMON_STATE_EPOCHS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/log/header.h"
#include "daemon/state/events.h"
#include "daemon/state/membership.h"
#include "daemon/state/state.h"

namespace accord::state {

// A valid EpochStart.
struct EpochRecord {
  uint64_t epoch = 0;
  OrderKey key;                            // the entry's LWW key (its author and id too)
  uint64_t seq = 0;                        // in its author's feed
  std::vector<log::DeviceKey> recipients;  // sorted
  friend bool operator==(const EpochRecord&, const EpochRecord&) = default;
};

// An EpochStart that is kept but ignored, and why.
struct RejectedEpochStart {
  log::EntryId id{};
  uint64_t epoch = 0;
  std::string reason;
  friend bool operator==(const RejectedEpochStart&, const RejectedEpochStart&) = default;
};

// What a device may be sent of an entry sealed to some epoch (maps onto sync::Share).
enum class EpochShare : uint8_t { kWhole, kHeaderOnly, kNothing };

class Epochs {
 public:
  // The epoch of new entries: the valid EpochStart with the highest (epoch, entry id); 0, the
  // key made at init, when there is none. Concurrent rotations converge on one.
  uint64_t current() const { return current_ ? current_->epoch : 0; }
  const EpochRecord* current_start() const { return current_ ? &*current_ : nullptr; }
  const std::vector<EpochRecord>& valid() const { return valid_; }  // ascending (epoch, id)
  const std::vector<RejectedEpochStart>& rejected() const { return rejected_; }  // by id

  // Ended devices (left member, removed device) that may hold the current epoch's key (see
  // MayHold). Non-empty while some device remains: the pact needs a rotation. (When nobody
  // remains there is no one to rotate to.)
  const std::vector<log::DeviceKey>& ended_holders() const { return ended_holders_; }
  bool RotationNeeded() const { return !ended_holders_.empty() && !next_recipients_.empty(); }
  // Whom a new EpochStart is sealed to: every device not ended, of every current member,
  // sorted by key. REQUIRES (of the writer): its Lamport clock exceeds every folded entry's,
  // so all of these are current at the new entry.
  const std::vector<Device>& next_recipients() const { return next_recipients_; }
  bool IsCurrentDevice(const log::DeviceKey& device) const;  // one of next_recipients()
  // The epoch number a rotation by `author` starts: high 32 bits one above the highest
  // EpochStart known from a member (valid or not), low 32 bits the author key's first four
  // bytes, so two devices rotating concurrently pick different numbers (the key ring holds one
  // key per number) and a later rotation always ranks above what its author saw. nullopt when
  // the high half is exhausted.
  std::optional<uint64_t> NextEpoch(const log::DeviceKey& author) const;

  // The writer's rule, for a current device `me`: it must rotate (an EpochStart of
  // NextEpoch(me) to next_recipients(), sealed under current()) before it writes anything
  // else when RotationNeeded(), or when its own latest EpochStart is not valid (it missed a
  // device or named one that had ended): so it never falls back below an epoch it started,
  // which SealsBelowOwnRotation checks. False for a device that is not current.
  bool MustRotate(const log::DeviceKey& me) const;
  // The epoch `me` seals a new shared or control entry with: current(); nullopt when it must
  // rotate first, or is not a current device (it may not write at all).
  std::optional<uint64_t> EpochForWrite(const log::DeviceKey& me) const;

  // Whether `device` may hold the key of `epoch`: epoch 0 is held by every device ever
  // admitted; a later epoch by the recipients of every EpochStart of that number whose author
  // counted, and by every device admitted LWW-after the first of them (a new device gets its
  // member's keys at pairing). False for an epoch no such EpochStart names. A member let in
  // without history (Member::history_from_epoch) holds only its first epoch and the epochs
  // sealed to one of its devices: never epoch 0, nothing from before it came.
  bool MayHold(const log::DeviceKey& device, uint64_t epoch) const;
  // What the sync sender may give `to` of a shared or control entry sealed to `epoch` whose
  // LWW key is `entry`: nothing of what was written at or after `to` ended (a suffix of each
  // feed, so no gap); the header alone when `to` may not hold the epoch (it could not open
  // the body and would refuse the batch); else the whole entry. Private scope and devices this
  // membership does not know (a joiner's inviter) are not this rule's business: kWhole.
  EpochShare ShareWith(const log::DeviceKey& to, log::Scope scope, uint64_t epoch,
                       const OrderKey& entry) const;

  // The rule for a received shared or control entry that is not an EpochStart: true when its
  // author had already written an EpochStart of a higher epoch (a lower seq in its own feed).
  // A writer that follows EpochForWrite never does this, so nothing it writes after its own
  // rotation excluded someone is sealed to a key they held; a regression shows. A function of
  // the entry and its author's feed, so it judges alike on every device; the node decides
  // whether to show it (log --verify) or not to fold the entry.
  bool SealsBelowOwnRotation(const Event& entry, uint64_t header_epoch) const;

 private:
  friend Epochs ResolveEpochs(const std::vector<const Event*>& control,
                              const Membership& membership);
  struct OwnStart {
    uint64_t seq = 0;
    uint64_t epoch = 0;
    bool valid = false;
  };
  struct Holders {
    std::set<log::DeviceKey> named;
    OrderKey first{};  // the LWW-first EpochStart of this number
  };
  bool Ended(const log::DeviceKey& device, OrderKey* at) const;

  std::vector<EpochRecord> valid_;
  std::optional<EpochRecord> current_;
  std::vector<RejectedEpochStart> rejected_;
  std::vector<log::DeviceKey> ended_holders_;
  std::vector<Device> next_recipients_;
  uint64_t highest_known_ = 0;  // highest epoch number of a counted EpochStart
  std::map<uint64_t, Holders> holders_;
  std::map<log::DeviceKey, OrderKey> admitted_;
  // Members let in without history, and their devices.
  struct Newcomer {
    uint64_t from_epoch = 0;
    std::vector<log::DeviceKey> devices;
  };
  std::map<log::DeviceKey, MemberId> restricted_;
  std::map<MemberId, Newcomer> newcomers_;
  std::map<log::DeviceKey, OrderKey> ended_;
  std::map<log::DeviceKey, std::vector<OwnStart>> own_starts_;  // counted, by author, seq order
};

// `control`: every control event applied, in any order (kinds other than EpochStarted are
// skipped). `membership`: ResolveMembership of the same events and freezes.
//
// An EpochStarted is valid when (1) its author counts at that entry (membership.MemberOf:
// a device of a member, not frozen, before its own end), (2) its epoch is > 0, and (3) its
// recipients are exactly, without repeats, the devices current at the entry: admitted by a
// claim LWW-before it and not ended (removal, or their member's leave) LWW-before it, as the
// whole set's Membership resolves them (Membership::IsCurrentDeviceAt). Membership is a
// function of the set and so is this. Others are rejected with a reason: kept, ignored.
Epochs ResolveEpochs(const std::vector<const Event*>& control, const Membership& membership);

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_EPOCHS_H_
