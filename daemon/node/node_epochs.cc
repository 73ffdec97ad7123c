// Node: key epochs (SECURITY §5.4, docs/log-format.md "Epochs and rotation") — the epoch a
// new entry is sealed to, rotating when a device ended, taking the keys EpochStarts seal to
// this device — and the two entries that end devices: leaving and removing a device.
#include <algorithm>
#include <cstring>
#include <ctime>

#include "crypto/epoch_seal.h"
#include "daemon/log/validate.h"
#include "daemon/logging.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"
#include "daemon/state/event_to_proto.h"

namespace accord::daemon {

using node_internal::StoreKey;

namespace {

std::string LocalDate(int64_t time_ms) {
  const std::time_t t = static_cast<std::time_t>(time_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool IsDevice(const std::string& bytes, const log::DeviceKey& key) {
  return bytes.size() == key.size() && std::memcmp(bytes.data(), key.data(), key.size()) == 0;
}

log::KeyRing CopyRing(const log::KeyRing& keys) {
  log::KeyRing ring;
  for (const auto& [epoch, key] : keys.epoch_keys()) ring.AddEpochKey(epoch, key.Clone());
  for (const auto& [generation, key] : keys.person_keys())
    ring.AddPersonKey(generation, key.Clone());
  return ring;
}

}  // namespace

const state::Epochs& Node::Epochs() {
  if (!epochs_ || epochs_generation_ != fold_->membership_generation()) {
    epochs_ = fold_->Epochs();
    epochs_generation_ = fold_->membership_generation();
  }
  return *epochs_;
}

Result<uint64_t> Node::EpochToSeal() {
  if (Epochs().IsCurrentDevice(device_key_)) {
    if (Epochs().MustRotate(device_key_)) ACCORD_RETURN_IF_ERROR(Rotate());
    const std::optional<uint64_t> epoch = Epochs().EpochForWrite(device_key_);
    if (!epoch) return MakeError(ErrorCode::kInternal, "the epoch key rotation did not take");
    if (keys_.KeyFor(log::Scope::kShared, *epoch) == nullptr) {
      return MakeError(ErrorCode::kUnknownEpoch,
                       "this device does not hold the pact's newest key yet; it comes with the "
                       "next sync from a partner's device");
    }
    return *epoch;
  }
  if (std::optional<Error> ended = LeftError()) return *ended;
  // Not yet a device of the pact as the fold resolves it: init's MemberCreated, or a joiner
  // before its admission arrived. Nothing has rotated that it could know of.
  if (!keys_.has_epoch_keys()) return MakeError(ErrorCode::kUnknownEpoch, "no pact key to seal");
  return keys_.current_epoch();
}

Status Node::Rotate() {
  const state::Epochs& epochs = Epochs();
  const std::optional<uint64_t> next = epochs.NextEpoch(device_key_);
  if (!next) return MakeError(ErrorCode::kRefused, "the pact has run out of epoch numbers");
  const uint64_t old = epochs.current();
  const std::vector<state::Device> recipients = epochs.next_recipients();
  crypto::SecretKey key = crypto::SecretKey::Random();
  state::EpochStarted start;
  start.epoch = *next;
  Result<std::vector<state::EpochStarted::Recipient>> boxes =
      node_internal::SealToDevices(recipients, pact_, *next, key);
  if (!boxes.ok()) return boxes.error();
  start.recipients = std::move(*boxes);
  // Sealed under the old epoch, which every recipient holds. The new key is kept (wrapped,
  // then in the ring) by AdoptEpochKeys once the entry is durable, from this device's own
  // box in it, as any recipient keeps it: so a crash in between loses nothing.
  Result<log::EntryId> id = WriteSealed(
      *author_, state::BodyFromKind(state::EventKind(std::move(start))), old, clock_.NowMs());
  if (!id.ok()) return id.error();
  if (keys_.KeyFor(log::Scope::kShared, *next) == nullptr) {
    return MakeError(ErrorCode::kInternal, "the new epoch key was not kept");
  }
  LogInfo("epoch key rotated to " + std::to_string(*next) + " for " +
          std::to_string(recipients.size()) + " devices");
  return Status::Ok();
}

Status Node::AdoptEpochKeys() {
  if (epoch_boxes_.empty()) return Status::Ok();
  std::set<log::EntryId> valid;
  for (const state::EpochRecord& r : Epochs().valid()) valid.insert(r.key.id);
  bool refold = false;
  for (auto it = epoch_boxes_.begin(); it != epoch_boxes_.end();) {
    if (valid.count(it->first) == 0) {  // not (yet) valid: its key is not taken
      ++it;
      continue;
    }
    const state::EpochStarted& start = it->second;
    if (keys_.KeyFor(log::Scope::kControl, start.epoch) == nullptr) {
      auto mine = std::find_if(
          start.recipients.begin(), start.recipients.end(),
          [this](const state::EpochStarted::Recipient& r) { return r.device == device_key_; });
      Result<crypto::SecretKey> key =
          crypto::OpenEpochKey(identity_->dh, pact_, start.epoch, mine->sealed_key);
      if (!key.ok()) {
        LogWarning("the key of epoch " + std::to_string(start.epoch) +
                   " sealed to this device in " + ToHex(it->first).substr(0, 8) +
                   " does not open: " + key.error().message);
      } else {
        ACCORD_RETURN_IF_ERROR(StoreKey(*store_, identity_->storage_key,
                                        store::WrappedKeyKind::kEpoch, start.epoch, *key));
        keys_.AddEpochKey(start.epoch, std::move(*key));
        if (unopened_epochs_.count(start.epoch) != 0) refold = true;
      }
    }
    it = epoch_boxes_.erase(it);
  }
  if (!refold) return Status::Ok();
  // Entries of the epoch were stored before its key was held: fold everything again.
  return FoldAllAgain();
}

Status Node::FoldAllAgain() {
  fold_ = std::make_unique<state::Fold>();
  state_.reset();
  members_.reset();
  live_.reset();
  epochs_.reset();
  left_.clear();
  return Refold();
}

std::optional<log::KeyRing> Node::BatchKeys(std::span<const log::Envelope> batch) const {
  std::optional<log::KeyRing> ring;
  for (const log::Envelope& envelope : batch) {
    Result<log::EntryHeader> header = log::DecodeHeader(envelope.header);
    if (!header.ok() || header->scope == log::Scope::kShared) continue;
    if (log::IsWithheld(*header, envelope)) continue;
    const log::KeyRing& keys = ring ? *ring : keys_;
    proto::Body body;
    if (!log::OpenEntryBody(*header, envelope, keys, body).ok()) continue;
    // An EpochStart, or a PersonKeyStart of this member's (private chains reach only the
    // member's own devices; AdoptPersonKeys checks the member before the key is kept).
    const bool person = body.has_person_key_start();
    if (!body.has_epoch_start() && !person) continue;
    const uint64_t number =
        person ? body.person_key_start().generation() : body.epoch_start().epoch();
    const auto& recipients =
        person ? body.person_key_start().recipients() : body.epoch_start().recipients();
    const log::Scope scope = person ? log::Scope::kPrivate : log::Scope::kControl;
    if (keys.KeyFor(scope, number) != nullptr) continue;
    for (const proto::EpochStart::Recipient& r : recipients) {
      if (!IsDevice(r.device_key(), device_key_)) continue;
      // Unverified yet: the key only lets validation open the batch, which still checks every
      // entry's signature; it is kept only if its entry is stored and valid.
      Result<crypto::SecretKey> key =
          crypto::OpenEpochKey(identity_->dh, pact_, number, AsBytes(r.sealed_key()));
      if (!key.ok()) break;
      if (!ring) ring = CopyRing(keys_);
      if (person)
        ring->AddPersonKey(number, std::move(*key));
      else
        ring->AddEpochKey(number, std::move(*key));
      break;
    }
  }
  return ring;
}

void Node::DropAfterLeave(log::IngestPlan& plan) {
  if (!LeftAtMs()) return;
  auto mine = left_.find(member());
  if (mine == left_.end()) return;
  const state::OrderKey left = mine->second.first;
  std::set<log::DeviceKey> cut;  // feeds cut at their first entry after the leave
  std::erase_if(plan.to_store, [&](const log::VerifiedEntry& e) {
    if (cut.count(e.header.author) != 0) return true;
    if (!(left < state::OrderKey{e.header.lamport, e.header.author, e.id})) return false;
    cut.insert(e.header.author);
    return true;
  });
}

std::optional<int64_t> Node::LeftAtMs() {
  const state::MemberId mine = member();
  for (const state::Member& m : Members()) {
    if (m.id != mine || !m.left) continue;
    auto it = left_.find(mine);
    return it == left_.end() ? 0 : it->second.second;
  }
  return std::nullopt;
}

std::optional<Error> Node::LeftError() {
  if (std::optional<int64_t> left = LeftAtMs()) {
    return MakeError(ErrorCode::kRefused, "you left this pact on " + LocalDate(*left) +
                                              "; your copy is read-only; `accord export` "
                                              "still works");
  }
  for (const state::Member& m : Members()) {
    for (const state::Device& d : m.devices) {
      if (d.key == device_key_ && d.removed) {
        return MakeError(ErrorCode::kRefused,
                         "this device was removed from the pact; its copy is read-only; "
                         "`accord export` still works");
      }
    }
  }
  return std::nullopt;
}

Result<log::EntryId> Node::Leave() {
  if (std::optional<Error> left = LeftError()) return *left;
  if (!MemberOf(device_key_)) {
    return MakeError(ErrorCode::kRefused, "this device is not a member of a pact yet");
  }
  return WriteKind(state::MemberLeft{member()});
}

Result<log::EntryId> Node::RemoveDevice(const std::string& prefix) {
  std::string hex = prefix;
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (hex.size() < 4 || hex.size() > 64 ||
      !std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c) != 0; })) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a device ID is at least 4 hex digits (as `accord devices` shows it)");
  }
  const state::Device* found = nullptr;
  const state::Member* owner = nullptr;
  for (const state::Member& m : Members()) {
    for (const state::Device& d : m.devices) {
      if (ToHex(d.key).rfind(hex, 0) != 0) continue;
      if (found != nullptr) {
        return MakeError(ErrorCode::kAmbiguous,
                         "device ID " + hex + " is ambiguous; give more digits");
      }
      found = &d;
      owner = &m;
    }
  }
  if (found == nullptr)
    return MakeError(ErrorCode::kNotFound, "no device " + hex + " in this pact");
  if (found->key == device_key_) {
    return MakeError(ErrorCode::kRefused,
                     "that is this device; to stop using the pact here, use `accord leave`");
  }
  if (owner->id != member()) {
    return MakeError(ErrorCode::kRefused, "you can only remove your own devices");
  }
  if (found->removed) return MakeError(ErrorCode::kRefused, "that device is already removed");
  const log::DeviceKey device = found->key;  // Members() may change with the write
  Result<log::EntryId> removed = WriteKind(state::DeviceRemoved{device});
  if (!removed.ok()) return removed;
  // The removed device holds the person key: reflections from now on use a new one.
  if (Status rotated = RotatePersonKey(); !rotated.ok()) {
    return MakeError(rotated.code(),
                     "the device is removed, but the private key could not be "
                     "rotated: " +
                         rotated.error().message);
  }
  return removed;
}

}  // namespace accord::daemon
