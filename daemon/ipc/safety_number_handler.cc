// `accord safety-number` (SPEC §6): the safety number pairing showed, again, for each other
// current member. It is computed as pairing computes it (pairing/safety_number.h) from both
// members' devices that are not removed, so it is the one shown then until a device joins or
// leaves.
#include "daemon/ipc/handlers.h"
#include "daemon/pairing/safety_number.h"

namespace accord::daemon {

namespace {

std::vector<log::DeviceKey> CurrentDevices(const state::Member& member) {
  std::vector<log::DeviceKey> keys;
  for (const state::Device& d : member.devices)
    if (!d.removed) keys.push_back(d.key);
  return keys;
}

}  // namespace

Result<proto::Response> Handlers::SafetyNumbers() {
  const state::Live& s = node_.Live();
  const state::Member* me = s.FindMember(node_.member());
  if (me != nullptr && me->left) {
    return MakeError(ErrorCode::kRefused,
                     "you left the pact, so there is no safety number to compare any more");
  }
  if (me == nullptr) {  // another device of mine, before the entry that added it arrived
    return MakeError(ErrorCode::kRefused,
                     "this device has not yet received the entry that added it to the pact; "
                     "try again once it has synced (accord status)");
  }
  const std::vector<log::DeviceKey> mine = CurrentDevices(*me);
  proto::Response out;
  proto::SafetyNumberResponse* numbers = out.mutable_safety_number();
  for (const state::Member& m : s.members) {
    if (m.id == me->id || m.left) continue;
    proto::SafetyNumberView* v = numbers->add_partners();
    v->set_member_id(ToHex(m.id));
    v->set_name(m.name);
    v->set_safety_number(
        pairing::FormatSafetyNumber(pairing::SafetyNumber(mine, CurrentDevices(m))));
  }
  if (numbers->partners_size() == 0) {
    return MakeError(ErrorCode::kRefused,
                     "no partner yet, so there is no safety number; pair first with accord "
                     "invite (your partner then runs accord join CODE)");
  }
  return out;
}

}  // namespace accord::daemon
