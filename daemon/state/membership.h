// Who is in the pact: members and their devices, resolved from the control events alone, the
// same way whatever order they arrived in. Pure; called by Fold::View on any one thread.
// Rules per kind of entry (what a member may do) live here; content folding in fold.h.
#ifndef ACCORD_DAEMON_STATE_MEMBERSHIP_H_
#define ACCORD_DAEMON_STATE_MEMBERSHIP_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::state {

class Membership {
 public:
  // The member an event counts for: its author is a device of a member, the author's feed is
  // not frozen at the event's seq, and the event comes (LWW) before its member left and
  // before its device was removed. nullopt otherwise: the event is kept but ignored.
  // An event of a device's private chain counts for the chain's device (chain keys resolve
  // through DeviceOf).
  std::optional<MemberId> MemberOf(const Event& event) const;
  // The device an author key speaks for: the device of a private chain, else the key itself.
  log::DeviceKey DeviceOf(const log::DeviceKey& author) const;
  bool IsFrozen(const Event& event) const;
  bool IsCurrent(const MemberId& member) const;                      // a member who has not left
  const std::vector<Member>& members() const { return members_; }    // sorted by id
  const std::vector<MemberId>& current() const { return current_; }  // sorted

  // For epochs.h. The LWW key of the claim that admitted `device` (nullopt: not a device of
  // any member), and of the leave or removal that ended it (nullopt: not ended).
  std::optional<OrderKey> AdmittedAt(const log::DeviceKey& device) const;
  std::optional<OrderKey> EndedAt(const log::DeviceKey& device) const;
  // Admitted LWW-before `at` and not ended LWW-before it: a device an EpochStart at `at`
  // must be sealed to.
  bool IsCurrentDeviceAt(const log::DeviceKey& device, const OrderKey& at) const;

 private:
  friend Membership ResolveMembership(const std::vector<const Event*>& control,
                                      const std::map<log::DeviceKey, uint64_t>& frozen,
                                      const std::map<log::DeviceKey, log::DeviceKey>& chains);
  std::vector<Member> members_;
  std::vector<MemberId> current_;
  std::map<log::DeviceKey, MemberId> device_member_;
  std::map<log::DeviceKey, OrderKey> admitted_;      // device -> key of the claim that won
  std::map<log::DeviceKey, OrderKey> cutoff_;        // authority ends before this key
  std::map<log::DeviceKey, uint64_t> frozen_;        // author -> first seq not folded
  std::map<log::DeviceKey, log::DeviceKey> chains_;  // private chain key -> its device
};

// `control`: every control event applied (MemberCreated, MemberAdded, DeviceAdded,
// DeviceRekeyed, MemberLeft, DeviceRemoved; others are skipped), in any order. `frozen`: author ->
// first seq not folded. `chains`: private chain key -> the device whose chain it is (from the
// chains' PrivateChainStart entries).
//
// Rules: MemberCreated makes its author device a member of its own. MemberAdded, by a device
// of a member, brings in a member with that first device. DeviceAdded adds a device to the
// author's own member. A device belongs to one member: of several claims on it, the LWW-first
// claim whose author is itself a device wins. MemberLeft ends its author's own member for
// good; DeviceRemoved removes a device of the author's own member. DeviceRekeyed (a new
// key's first entry, vouched for by an old key) makes its author a device of the old key's
// member, as a DeviceAdded by the old key would, with the old key's X25519 key and name: the
// old key's authority decides, its feed may be frozen. From a leave or removal
// on (LWW), the affected devices' entries no longer count, and claims they wrote at or after
// it are void.
Membership ResolveMembership(const std::vector<const Event*>& control,
                             const std::map<log::DeviceKey, uint64_t>& frozen,
                             const std::map<log::DeviceKey, log::DeviceKey>& chains = {});

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_MEMBERSHIP_H_
