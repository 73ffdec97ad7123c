// Node: what pairing and sync need of the node — receiving batches and fork proofs, adding
// and joining members, the pact's devices, and sealing and keeping small local secrets.
#include <algorithm>
#include <functional>
#include <set>

#include "crypto/aead.h"
#include "daemon/discovery/beacon.h"
#include "daemon/log/fork_proof.h"
#include "daemon/log/ingest.h"
#include "daemon/log/validate.h"
#include "daemon/logging.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"
#include "daemon/store/store_log_view.h"

namespace accord::daemon {

Result<Node::ReceiveReport> Node::Receive(std::span<const log::Envelope> batch) {
  const std::vector<log::SignatureVerdict> signatures =
      log::VerifySignatures(batch, log::SignatureThreads());
  return Receive(batch, signatures);
}

Result<Node::ReceiveReport> Node::Receive(std::span<const log::Envelope> batch,
                                          std::span<const log::SignatureVerdict> signatures) {
  // Validation asks only whether a key was ever named as a device of the pact; who may do
  // what is the fold's business. The set is kept as entries are folded (no View per batch).
  store::StoreLogView view(
      *store_, [this](const log::DeviceKey& d) { return named_devices_.count(d) != 0; });
  // An EpochStart to this device and entries sealed under its key may come in one batch.
  const std::optional<log::KeyRing> batch_keys = BatchKeys(batch);
  Result<log::IngestPlan> plan =
      log::IngestBatch(batch, pact_, view, batch_keys ? *batch_keys : keys_, signatures);
  if (!plan.ok()) return plan.error();
  DropAfterLeave(*plan);
  return StoreReceived(*plan);
}

Result<Node::ReceiveReport> Node::Receive(std::span<const log::Envelope> batch,
                                          std::span<const log::EntryHeader> headers,
                                          std::span<const log::SignatureVerdict> signatures) {
  store::StoreLogView view(
      *store_, [this](const log::DeviceKey& d) { return named_devices_.count(d) != 0; });
  const std::optional<log::KeyRing> batch_keys = BatchKeys(batch);
  Result<log::IngestPlan> plan =
      log::IngestBatch(batch, headers, pact_, view, batch_keys ? *batch_keys : keys_, signatures);
  if (!plan.ok()) return plan.error();
  DropAfterLeave(*plan);
  return StoreReceived(*plan);
}

Result<Node::ReceiveReport> Node::StoreReceived(const log::IngestPlan& plan) {
  ACCORD_RETURN_IF_ERROR(store_->AppendBatch(plan.to_store));
  // Entries of our own feed from a peer (this device was restored from an older copy): the
  // author continues after them.
  if (std::any_of(plan.to_store.begin(), plan.to_store.end(), [this](const log::VerifiedEntry& e) {
        return e.header.author == device_key_ || e.header.author == chain_key_;
      })) {
    ResetAuthors();
  }
  ReceiveReport report;
  report.stored = plan.to_store.size();
  report.duplicates = plan.duplicates;
  std::vector<ChangeNotice> forks;
  Status folded = RecordAndFold(plan, report, forks);
  if (folded.ok()) folded = AdoptEpochKeys();  // keys the batch's EpochStarts seal to us
  if (folded.ok()) folded = AdoptPersonKeys();
  // Stored is stored: peers hear of it even if folding failed part way.
  if (folded.ok()) {
    for (const ChangeNotice& fork : forks) NotifyChange(fork);
  }
  if (report.stored > 0) NotifyChange(ChangeNotice::EntriesStored());
  if (!folded.ok()) return folded.error();
  return report;
}

Status Node::RecordAndFold(const log::IngestPlan& plan, ReceiveReport& report,
                           std::vector<ChangeNotice>& forks) {
  for (const log::ForkProof& fork : plan.forks) {
    Result<log::Envelope> existing = store_->GetEnvelope(fork.existing_id);
    if (existing.ok())
      forks.push_back(ChangeNotice::ForkProof(std::move(*existing), fork.conflicting));
    ACCORD_RETURN_IF_ERROR(store_->RecordFork(fork));
    fold_->Freeze(fork.author, fork.seq);
    state_.reset();
    LogWarning("device " + ToHex(fork.author).substr(0, 8) +
               " wrote two different entries at seq " + std::to_string(fork.seq) +
               "; its feed is frozen");
    ++report.forks;
  }
  for (const log::VerifiedEntry& e : plan.to_store) {
    max_lamport_ = std::max(max_lamport_, e.header.lamport);
    NoteIfMissing(e);
    if (e.body.kind_case() == proto::Body::KIND_NOT_SET) {
      ACCORD_RETURN_IF_ERROR(FoldRestated(e.header, e.id, /*notify=*/true));
      continue;
    }
    ACCORD_RETURN_IF_ERROR(FoldEntry(e.header, e.id, e.body, /*notify=*/true));
  }
  return Status::Ok();
}

Status Node::ReceiveForkProof(const log::Envelope& existing, const log::Envelope& conflicting) {
  Result<log::ForkClaim> claim = log::CheckForkProof(existing, conflicting, pact_);
  if (!claim.ok()) return claim.error();
  Result<std::optional<log::EntryId>> held = store_->IdAt(claim->author, claim->seq);
  if (!held.ok()) return held.error();
  std::optional<log::ForkProof> proof = log::ForkProofToRecord(
      *claim, existing, conflicting, *held, store_->FrozenAuthors().count(claim->author) != 0);
  if (!proof) return Status::Ok();  // nothing new: the proof changes nothing here
  ACCORD_RETURN_IF_ERROR(store_->RecordFork(*proof));
  fold_->Freeze(proof->author, proof->seq);
  state_.reset();
  // Newly learned: passed on as it came.
  NotifyChange(ChangeNotice::ForkProof(existing, conflicting));
  return Status::Ok();
}

Result<log::EntryId> Node::AddMember(const log::DeviceKey& device,
                                     const crypto::DhPublicKey& x25519, const std::string& name,
                                     uint64_t history_from_epoch) {
  state::MemberAdded added;
  added.history_from_epoch = history_from_epoch;
  added.member = device;  // a member id is the key of its first device
  added.name = name;
  added.device = device;
  added.device_x25519 = x25519;
  return WriteKind(std::move(added));
}

bool Node::HasOnlyGenesis() const {
  const auto& heads = store_->Heads();
  for (const auto& [author, head] : heads) {
    if (author != device_key_ || head.seq > 1) return false;  // a private chain counts too
  }
  return true;
}

// JoinPact: node_prepared.cc.

std::vector<std::pair<uint64_t, crypto::SecretKey>> Node::EpochKeysForPartner() const {
  std::vector<std::pair<uint64_t, crypto::SecretKey>> out;
  for (const auto& [epoch, key] : keys_.epoch_keys()) out.emplace_back(epoch, key.Clone());
  return out;
}

std::vector<std::pair<uint64_t, crypto::SecretKey>> Node::DiscoveryKeys() const {
  std::vector<std::pair<uint64_t, crypto::SecretKey>> out;
  const auto& epochs = keys_.epoch_keys();
  for (auto it = epochs.rbegin(); it != epochs.rend() && out.size() < 2; ++it)
    out.emplace_back(it->first, discovery::DiscoveryKey(it->second));
  return out;
}

std::vector<log::DeviceKey> Node::IntroductionOrder() const {
  std::vector<log::DeviceKey> order;
  std::set<log::DeviceKey> placed;
  // Depth-first: a device goes after its introducer. Bounded by the number of devices, and
  // cycles (impossible for honest logs) are cut by `placed`.
  std::function<void(const log::DeviceKey&, size_t)> place = [&](const log::DeviceKey& d,
                                                                 size_t depth) {
    if (placed.count(d) || depth > introduced_by_.size()) return;
    auto it = introduced_by_.find(d);
    if (it != introduced_by_.end()) place(it->second, depth + 1);
    if (placed.insert(d).second) order.push_back(d);
  };
  for (const log::DeviceKey& d : named_devices_) place(d, 0);
  return order;
}

std::vector<state::Device> Node::PeerDevices() {
  std::vector<state::Device> out;
  for (const state::Member& m : Members())
    for (const state::Device& d : m.devices)
      // A replaced key's X25519 key and addresses are its replacement's now.
      if (d.key != device_key_ && !d.removed && !d.replaced_by) out.push_back(d);
  return out;
}

std::optional<state::MemberId> Node::MemberOf(const log::DeviceKey& author) {
  const log::DeviceKey device = DeviceOfAuthor(author);
  for (const state::Member& m : Members())
    for (const state::Device& d : m.devices)
      if (d.key == device) return m.id;
  return std::nullopt;
}

std::string Node::SealLocal(std::string_view purpose, std::string_view plaintext) const {
  crypto::XNonce nonce = crypto::RandomXNonce();
  Bytes sealed(nonce.begin(), nonce.end());
  AppendBytes(sealed, crypto::SealBody(identity_->storage_key, nonce, AsBytes(purpose),
                                       AsBytes(plaintext)));
  return ToHex(sealed);
}

std::optional<std::string> Node::OpenLocal(std::string_view purpose,
                                           std::string_view sealed) const {
  std::optional<Bytes> raw = FromHex(sealed);
  if (!raw || raw->size() < crypto::kXNonceBytes) return std::nullopt;
  crypto::XNonce nonce;
  std::copy_n(raw->begin(), nonce.size(), nonce.begin());
  Result<Bytes> plain = crypto::OpenBody(identity_->storage_key, nonce, AsBytes(purpose),
                                         ByteView(*raw).subspan(crypto::kXNonceBytes));
  if (!plain.ok()) return std::nullopt;
  return std::string(AsChars(*plain));
}

Status Node::RememberPeer(const log::DeviceKey& device, std::string_view sealed_address,
                          int64_t seen_ms) {
  return store_->RememberPeer(device, sealed_address, seen_ms);
}

}  // namespace accord::daemon
