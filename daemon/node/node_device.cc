// Node: several devices per person (SPEC §4). Which member this device is, adding another
// device of my member (inviter) and becoming one (joiner), and my member's devices.
#include <algorithm>

#include "daemon/log/header.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"

namespace accord::daemon {

using node_internal::kMetaMember;
using node_internal::StoreKey;

Status Node::LoadMemberHint() {
  member_hint_.reset();
  Result<std::optional<Bytes>> stored = store_->GetMeta(kMetaMember);
  if (!stored.ok()) return stored.error();
  if (!*stored || (*stored)->empty()) return Status::Ok();
  state::MemberId member{};
  if ((*stored)->size() != member.size()) {
    return MakeError(ErrorCode::kCorrupt, "the stored member id has the wrong size");
  }
  std::copy((*stored)->begin(), (*stored)->end(), member.begin());
  member_hint_ = member;
  return Status::Ok();
}

state::MemberId Node::member() {
  // The fold decides, as it does for every other device's entries: whatever member the
  // pact's signed membership gives this device is the member its entries count for.
  if (std::optional<state::MemberId> folded = MemberOf(device_key_)) return *folded;
  return member_hint_.value_or(device_key_);
}

std::vector<Node::OwnDevice> Node::OwnDevices() {
  std::vector<OwnDevice> out;
  const state::MemberId mine = member();
  for (const state::Member& m : Members()) {
    if (m.id != mine) continue;
    for (const state::Device& d : m.devices) {
      OwnDevice own{d, 0};
      if (Result<log::Envelope> added = store_->GetEnvelope(d.added_by); added.ok()) {
        if (Result<log::EntryHeader> header = log::DecodeHeader(added->header); header.ok())
          own.added_ms = header->time_ms;
      }
      out.push_back(std::move(own));
    }
  }
  return out;
}

Result<log::EntryId> Node::AddOwnDevice(const log::DeviceKey& device,
                                        const crypto::DhPublicKey& x25519,
                                        const std::string& device_name) {
  // Membership gives a DeviceAdded to its author's own member: a device can only ever add a
  // device to its own person (SECURITY §2).
  state::DeviceAdded added;
  added.device = device;
  added.device_x25519 = x25519;
  added.device_name = device_name;
  return WriteKind(std::move(added));
}

std::vector<std::pair<uint64_t, crypto::SecretKey>> Node::PersonKeysForOwnDevice() const {
  std::vector<std::pair<uint64_t, crypto::SecretKey>> out;
  for (const auto& [generation, key] : keys_.person_keys())
    out.emplace_back(generation, key.Clone());
  return out;
}

Result<Node::JoinReport> Node::JoinAsDevice(
    const log::PactId& pact, std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys,
    std::vector<std::pair<uint64_t, crypto::SecretKey>> person_keys, const state::MemberId& member,
    std::vector<RestatedBody> restated) {
  // JoinPact's refusals, before anything changes.
  if (!HasOnlyGenesis()) {
    return MakeError(ErrorCode::kRefused,
                     "this device already has entries of its own; it cannot become another "
                     "device of someone (start it over with accordd --start-over)");
  }
  if (epoch_keys.empty() || person_keys.empty()) {
    return MakeError(ErrorCode::kBadBody, "the device invitation came without keys");
  }
  // The member first: a crash after it leaves the solo log, whose MemberCreated the fold
  // still reads as this device's own member (member() asks the fold first).
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaMember, member));
  // The member's person keys replace this device's own (its solo log has no private entry).
  ACCORD_RETURN_IF_ERROR(store_->DeleteWrappedKeys(store::WrappedKeyKind::kPerson));
  log::KeyRing ring;
  for (const auto& [epoch, key] : keys_.epoch_keys()) ring.AddEpochKey(epoch, key.Clone());
  for (auto& [generation, key] : person_keys) {
    ACCORD_RETURN_IF_ERROR(
        StoreKey(*store_, identity_->storage_key, store::WrappedKeyKind::kPerson, generation, key));
    ring.AddPersonKey(generation, std::move(key));
  }
  keys_ = std::move(ring);
  member_hint_ = member;
  return JoinPact(pact, std::move(epoch_keys), std::move(restated));
}

}  // namespace accord::daemon
