// Node: joining a partner's pact with a prepared log (SPEC §4 "Both partners prepare first",
// docs/pairing.md "Pairing two prepared logs"). The solo log is read and planned first
// (state/solo_carry.h), then replaced by the pact and carried into it in one transaction.
#include <algorithm>
#include <string>
#include <utility>

#include "daemon/log/integrity.h"
#include "daemon/logging.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"
#include "daemon/state/event_from_proto.h"

namespace accord::daemon {

using node_internal::kMetaInitProfile;
using node_internal::kMetaPact;
using node_internal::StoreKey;

namespace {

std::string Short(const log::EntryId& id) { return ToHex(id).substr(0, 8); }

constexpr char kNothingChanged[] = "; nothing was changed, and this device's log is as it was";

}  // namespace

Result<state::CarryPlan> Node::PlanSoloCarry() {
  std::vector<state::Event> solo;
  size_t erased = 0;
  Status read = store_->ForEachEntry([&](const store::StoredEntry& e) -> Status {
    if (e.header.author != device_key_ && e.header.author != chain_key_) {
      return MakeError(ErrorCode::kRefused,
                       "this device already holds entries of another device (it shares a log "
                       "with someone already), so it cannot join another pact; invite your "
                       "partner from this device instead (accord invite)");
    }
    if (IsErased(e.id)) {
      ++erased;  // a reflection forgotten alone: it stays erased
      return Status::Ok();
    }
    const log::Damage damage = log::CheckStoredBytes(e.id, e.header, e.envelope);
    if (damage != log::Damage::kNone) {
      return MakeError(ErrorCode::kCorrupt,
                       "entry " + Short(e.id) + " of this device's log is damaged (" +
                           std::string(log::DamageName(damage)) +
                           "), so it cannot be carried into the pact; joining would lose it");
    }
    Result<proto::Body> body = OpenStoredBody(e.header, e.envelope, keys_);
    if (!body.ok()) {
      return MakeError(ErrorCode::kCorrupt,
                       "entry " + Short(e.id) + " of this device's log does not open (" +
                           body.error().message + "), so it cannot be carried into the pact");
    }
    Result<state::Event> event = state::EventFromBody(e.header, e.id, *body);
    if (!event.ok()) {
      return MakeError(ErrorCode::kRefused,
                       "entry " + Short(e.id) +
                           " of this device's log cannot be read by this "
                           "version of accord (" +
                           event.error().message +
                           "), so it cannot be carried into the pact; update accord first");
    }
    solo.push_back(std::move(*event));
    return Status::Ok();
  });
  if (!read.ok()) return read.error();
  Result<state::CarryPlan> plan = state::PlanCarry(solo, device_key_, chain_key_);
  if (plan.ok()) plan->forgotten = std::max(plan->forgotten, erased);
  return plan;
}

Status Node::CheckJoinable() {
  if (std::optional<Error> blocked = WriteBlocked()) return *blocked;
  Result<state::CarryPlan> plan = PlanSoloCarry();
  return plan.ok() ? Status::Ok() : Status(plan.error());
}

Status Node::InstallPact(const log::PactId& pact,
                         std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys) {
  ACCORD_RETURN_IF_ERROR(store_->ResetLog());
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaPact, pact));
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaInitProfile, Bytes()));
  // The solo log's epoch keys mean nothing in the pact (and its epoch 0 is not the pact's).
  ACCORD_RETURN_IF_ERROR(store_->DropWrappedKeys(store::WrappedKeyKind::kEpoch));
  log::KeyRing ring;
  for (const auto& [generation, key] : keys_.person_keys())
    ring.AddPersonKey(generation, key.Clone());
  for (auto& [epoch, key] : epoch_keys) {
    ACCORD_RETURN_IF_ERROR(
        StoreKey(*store_, identity_->storage_key, store::WrappedKeyKind::kEpoch, epoch, key));
    ring.AddEpochKey(epoch, std::move(key));
  }
  keys_ = std::move(ring);
  pact_ = pact;
  ResetAuthors();  // both feeds empty in the new pact (its private chain key differs too)
  fold_ = std::make_unique<state::Fold>();
  named_devices_.clear();
  introduced_by_.clear();
  chain_device_.clear();
  epoch_boxes_.clear();
  person_boxes_.clear();
  unopened_epochs_.clear();
  restated_.clear();
  left_.clear();
  epochs_.reset();
  forgotten_.clear();
  erased_.clear();  // ResetLog dropped the store's list with the entries
  damaged_.clear();
  state_.reset();
  members_.reset();
  live_.reset();
  max_lamport_ = 0;
  own_ahead_at_peer_.clear();
  return Status::Ok();
}

Result<Node::JoinReport> Node::JoinPact(
    const log::PactId& pact, std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys,
    std::vector<RestatedBody> restated) {
  if (epoch_keys.empty()) return MakeError(ErrorCode::kBadBody, "the pact came without keys");
  if (std::optional<Error> blocked = WriteBlocked()) return *blocked;
  // Everything that could refuse is decided here, before anything changes.
  Result<state::CarryPlan> plan = PlanSoloCarry();
  if (!plan.ok()) return plan.error();

  // The solo state, put back if the transaction fails (the store rolls itself back).
  log::KeyRing solo_keys;
  for (const auto& [generation, key] : keys_.person_keys())
    solo_keys.AddPersonKey(generation, key.Clone());
  for (const auto& [epoch, key] : keys_.epoch_keys()) solo_keys.AddEpochKey(epoch, key.Clone());
  const log::PactId solo_pact = pact_;
  std::unique_ptr<state::Fold> solo_fold = std::move(fold_);
  fold_ = std::make_unique<state::Fold>();  // InstallPact puts a new one in any case
  const std::set<log::DeviceKey> solo_named = named_devices_;
  const std::map<log::DeviceKey, log::DeviceKey> solo_introduced = introduced_by_;
  const std::map<log::DeviceKey, log::DeviceKey> solo_chains = chain_device_;
  const std::set<log::EntryId> solo_forgotten = forgotten_;
  const std::set<log::EntryId> solo_erased = erased_;
  const std::map<log::EntryId, DamagedEntry> solo_damaged = damaged_;
  const uint64_t solo_lamport = max_lamport_;
  const std::map<log::DeviceKey, AheadAtPeer> solo_ahead = own_ahead_at_peer_;

  Status done = store_->Atomically([&]() -> Status {
    ACCORD_RETURN_IF_ERROR(InstallPact(pact, std::move(epoch_keys)));
    ACCORD_RETURN_IF_ERROR(KeepRestated(std::move(restated)));  // none: an empty record
    Result<std::map<log::EntryId, log::EntryId>> carried =
        state::CarryOut(*plan, [this](const state::UserKind& kind, int64_t original_time_ms) {
          return Write(kind, original_time_ms);
        });
    if (!carried.ok()) return carried.error();
    return Status::Ok();
  });
  if (!done.ok()) {
    keys_ = std::move(solo_keys);
    pact_ = solo_pact;
    ResetAuthors();  // from the store's heads, rolled back
    fold_ = std::move(solo_fold);
    named_devices_ = solo_named;
    introduced_by_ = solo_introduced;
    chain_device_ = solo_chains;
    forgotten_ = solo_forgotten;
    erased_ = solo_erased;
    damaged_ = solo_damaged;
    max_lamport_ = solo_lamport;
    own_ahead_at_peer_ = solo_ahead;
    restated_.clear();
    state_.reset();
    members_.reset();
    live_.reset();
    LogWarning("joining a pact failed: " + done.error().message);
    return MakeError(done.code(),
                     "joining the pact failed: " + done.error().message + kNothingChanged);
  }
  LogInfo("joined a pact; carried " + std::to_string(plan->shared) + " earlier entries and " +
          std::to_string(plan->reflections) + " reflections into it");
  return JoinReport{plan->shared, plan->reflections};
}

}  // namespace accord::daemon
