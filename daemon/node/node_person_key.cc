// Node: rotating the person key when one of the member's devices is removed (SECURITY §5.4):
// a PersonKeyStart in this device's private chain, sealed under the person key generation
// it replaces, carries a fresh key boxed to each of the member's remaining devices; each of
// them (this one too) keeps the key once the entry is folded and its author is known to be a
// device of this member. Reflections written after it are sealed to the new generation,
// which the removed device never receives.
#include <algorithm>

#include "crypto/epoch_seal.h"
#include "daemon/logging.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"

namespace accord::daemon {

using node_internal::StoreKey;

Status Node::RotatePersonKey() {
  const state::Member* me = State().FindMember(member());
  if (me == nullptr || !keys_.has_person_keys()) return Status::Ok();  // nothing to rotate
  const uint64_t high = keys_.current_person_generation() >> 32;
  if (high >= 0xffffffffu) {
    return MakeError(ErrorCode::kRefused, "this member has run out of person key generations");
  }
  // Like epoch numbers: a device's rotation ranks above every generation it holds, and two
  // devices rotating at once pick different numbers.
  const uint64_t generation = ((high + 1) << 32) | GetU32Be(device_key_.data());
  crypto::SecretKey key = crypto::SecretKey::Random();
  state::PersonKeyStarted start;
  start.generation = generation;
  std::vector<state::Device> remaining;  // sorted by key, as a member's devices are
  for (const state::Device& d : me->devices)
    if (!d.removed && !d.replaced_by) remaining.push_back(d);
  Result<std::vector<state::EpochStarted::Recipient>> boxes =
      node_internal::SealToDevices(remaining, pact_, generation, key);
  if (!boxes.ok()) return boxes.error();
  start.recipients = std::move(*boxes);
  Result<log::EntryId> id = WriteKind(start);
  if (!id.ok()) return id.error();
  if (keys_.KeyFor(log::Scope::kPrivate, generation) == nullptr) {
    return MakeError(ErrorCode::kInternal, "the new person key was not kept");
  }
  LogInfo("person key rotated to generation " + std::to_string(generation) + " for " +
          std::to_string(start.recipients.size()) + " devices");
  return Status::Ok();
}

void Node::NotePersonKeyStart(const log::EntryHeader& header, const log::EntryId& id,
                              const state::PersonKeyStarted& start) {
  const bool names_me = std::any_of(
      start.recipients.begin(), start.recipients.end(),
      [this](const state::EpochStarted::Recipient& r) { return r.device == device_key_; });
  if (names_me && keys_.KeyFor(log::Scope::kPrivate, start.generation) == nullptr)
    person_boxes_.emplace(id, std::make_pair(header.author, start));
}

Status Node::AdoptPersonKeys() {
  bool adopted = false;
  for (auto it = person_boxes_.begin(); it != person_boxes_.end();) {
    const auto& [author, start] = it->second;
    const std::optional<state::MemberId> owner = MemberOf(DeviceOfAuthor(author));
    if (!owner) {  // its chain's device is not placed yet: kept until it is
      ++it;
      continue;
    }
    if (*owner != member()) {
      // Only this member's devices hand it person keys: a key another member chose would
      // be one they know.
      LogWarning("a person key in entry " + ToHex(it->first).substr(0, 8) +
                 " comes from another member's device; not taken");
    } else if (keys_.KeyFor(log::Scope::kPrivate, start.generation) == nullptr) {
      auto mine = std::find_if(
          start.recipients.begin(), start.recipients.end(),
          [this](const state::EpochStarted::Recipient& r) { return r.device == device_key_; });
      Result<crypto::SecretKey> key =
          crypto::OpenEpochKey(identity_->dh, pact_, start.generation, mine->sealed_key);
      if (!key.ok()) {
        LogWarning("the person key of generation " + std::to_string(start.generation) +
                   " sealed to this device does not open: " + key.error().message);
      } else {
        ACCORD_RETURN_IF_ERROR(StoreKey(*store_, identity_->storage_key,
                                        store::WrappedKeyKind::kPerson, start.generation, *key));
        keys_.AddPersonKey(start.generation, std::move(*key));
        adopted = true;
      }
    }
    it = person_boxes_.erase(it);
  }
  // Entries sealed to the new generation may have been stored before its key was held (a
  // batch brings both): rare (a removal), so everything is folded again.
  return adopted ? FoldAllAgain() : Status::Ok();
}

}  // namespace accord::daemon
