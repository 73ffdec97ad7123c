// Node: re-keying after this device's own feed forked (SPEC §4 "Restore from a backup",
// docs/identity.md "Re-keying after a fork"). The forked feed can never be extended, so the
// device takes a new signing key whose first entry, DeviceRekeyed, carries the old key's
// signature (log/rekey.h): every device makes the new key a device of the same member, and
// the old feed stays frozen where it forked. The X25519 key and the storage key stay, so the
// stored epoch and person keys open as before and peers answer the same Noise key.
//
// Crash safety, in order: (1) the new key file is written beside the old one as
// `device.key.next`; (2) one transaction stores the new key's first entry and records the new
// key as this store's; (3) the old key file becomes `device.key.replaced-OLDKEY` and the new
// one takes its place. FinishInterruptedRekey, at every open, completes (3) after a crash
// past (2), and removes a `.next` the store never took.
//
// What this device wrote into the old feed at and after the fork never counts anywhere (a
// frozen feed's contested suffix is not folded), yet each of those writes was reported
// done: at the first open as the new key (CarryForkedEntries) they are written again into the
// new key's feed, with their original times and references, in one transaction.
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "crypto/key_file.h"
#include "crypto/private_file.h"
#include "daemon/log/rekey.h"
#include "daemon/logging.h"
#include "daemon/node/dir_sync.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"
#include "daemon/node/rekey_steps.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/solo_carry.h"

namespace accord::daemon {

namespace fs = std::filesystem;
using node_internal::kMetaDeviceKey;
using node_internal::kMetaMember;

namespace {

// Set with the new key's first entry, cleared with the carried copies: the old device key.
constexpr std::string_view kMetaRekeyCarry = "rekey_carry_from";
constexpr size_t kReadChunk = 256;  // entries of a frozen feed read at a time

std::function<Status(RekeyStep)>& StepHook() {
  static std::function<Status(RekeyStep)> hook;  // set by tests only (rekey_steps.h)
  return hook;
}

Status Reached(RekeyStep step) { return StepHook() ? StepHook()(step) : Status::Ok(); }

std::string Short(ByteView key) { return ToHex(key).substr(0, 8); }

fs::path NextKeyFile(const InstancePaths& paths) { return paths.key_file.native() + ".next"; }

fs::path ReplacedKeyFile(const InstancePaths& paths, const log::DeviceKey& old) {
  return paths.key_file.native() + ".replaced-" + ToHex(old).substr(0, 16);
}

Status Rename(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot rename " + from.native() + " to " + to.native() + ": " + ec.message());
  }
  return Status::Ok();
}

// Step (3): the old key file aside (kept: it is the frozen feed's key), the new one in place.
Status SwapInNextKeyFile(const InstancePaths& paths, const std::optional<log::DeviceKey>& old) {
  if (old && PathExists(paths.key_file))
    ACCORD_RETURN_IF_ERROR(Rename(paths.key_file, ReplacedKeyFile(paths, *old)));
  ACCORD_RETURN_IF_ERROR(Reached(RekeyStep::kOldKeyMovedAside));
  ACCORD_RETURN_IF_ERROR(Rename(NextKeyFile(paths), paths.key_file));
  ACCORD_RETURN_IF_ERROR(SyncDir(paths.key_dir));
  return Reached(RekeyStep::kKeySwapped);
}

}  // namespace

void SetRekeyStepHookForTesting(std::function<Status(RekeyStep)> hook) {
  StepHook() = std::move(hook);
}

Status Node::FinishInterruptedRekey(const InstancePaths& paths, store::Store& store) {
  const fs::path next_path = NextKeyFile(paths);
  // A crash inside a key file's write leaves its temporary copy, a secret no one uses.
  for (const fs::path& key : {paths.key_file, next_path}) {
    Result<size_t> removed = crypto::RemoveInterruptedWrites(key);
    if (!removed.ok()) return removed.error();
    if (*removed > 0) {
      LogWarning("removed " + std::to_string(*removed) + " temporary copies of " + key.native() +
                 " left by an interrupted write");
    }
  }
  if (!PathExists(next_path)) return Status::Ok();
  Result<crypto::DeviceIdentity> next = crypto::ReadKeyFile(next_path);
  if (!next.ok()) return next.error();
  Result<std::optional<Bytes>> recorded = store.GetMeta(kMetaDeviceKey);
  if (!recorded.ok()) return recorded.error();
  const log::DeviceKey fresh = next->signing.public_key();
  if (!*recorded || **recorded != Bytes(fresh.begin(), fresh.end())) {
    // Step (2) never happened: the new key signed nothing anyone holds.
    std::error_code ec;
    fs::remove(next_path, ec);
    if (ec) return MakeError(ErrorCode::kIo, "cannot remove " + next_path.native());
    LogWarning("an interrupted re-key had not started; " + next_path.native() + " was removed");
    return Status::Ok();
  }
  std::optional<log::DeviceKey> old;
  if (PathExists(paths.key_file)) {
    Result<crypto::DeviceIdentity> current = crypto::ReadKeyFile(paths.key_file);
    if (!current.ok()) return current.error();
    old = current->signing.public_key();
  }
  ACCORD_RETURN_IF_ERROR(SwapInNextKeyFile(paths, old));
  LogWarning("finished an interrupted re-key: this device's key is now " + Short(fresh));
  return Status::Ok();
}

Result<Node::Rekeyed> Node::RekeyHome(const InstancePaths& paths, const Clock& clock) {
  Result<std::unique_ptr<Node>> opened = Open(paths, clock);
  if (!opened.ok()) return opened.error();
  return (*opened)->Rekey();
}

Result<Node::Rekeyed> Node::Rekey() {
  if (!identity_) {
    return MakeError(ErrorCode::kRefused,
                     "this device has no identity yet; there is no key to "
                     "re-key (run accord init)");
  }
  // The last re-key's carry names its old key; a second re-key would lose that name, and
  // with it what the first key wrote after its fork.
  Result<std::optional<Bytes>> carrying = store_->GetMeta(kMetaRekeyCarry);
  if (!carrying.ok()) return carrying.error();
  if (*carrying && !(*carrying)->empty()) {
    return MakeError(ErrorCode::kRefused,
                     "the last re-key has not finished writing again what the old key wrote "
                     "after its fork (accordd's log says why: often a full disk); fix that and "
                     "start accordd once without --rekey, then re-key again if it is needed");
  }
  auto forked = store_->FrozenAuthors().find(device_key_);
  if (forked == store_->FrozenAuthors().end()) {
    return MakeError(ErrorCode::kRefused,
                     "this device's own feed has not forked, so there is nothing to re-key (a "
                     "fork shows in `accord status`)");
  }
  if (std::optional<Error> left = LeftError()) return *left;
  const uint64_t epoch = Epochs().current();
  if (keys_.KeyFor(log::Scope::kControl, epoch) == nullptr) {
    return MakeError(ErrorCode::kUnknownEpoch,
                     "this device does not hold the pact's newest key yet; start accordd "
                     "without --rekey until it has synced with a partner's device, then again");
  }
  const state::MemberId my_member = member();
  const log::DeviceKey old = device_key_;
  crypto::DeviceIdentity next{crypto::SigningKey::Generate(),
                              crypto::DhKeyPair::FromSecret(identity_->dh.secret()),
                              identity_->storage_key.Clone()};
  const log::DeviceKey fresh = next.signing.public_key();

  // (1) A `.next` left over here was removed by FinishInterruptedRekey at Open.
  ACCORD_RETURN_IF_ERROR(crypto::WriteKeyFile(NextKeyFile(paths_), next));
  ACCORD_RETURN_IF_ERROR(Reached(RekeyStep::kNextKeyWritten));
  // (2)
  log::Author author(next.signing, pact_, log::FeedHead{});
  Result<log::AuthoredEntry> entry =
      author.Write(log::DeviceRekeyedBody(identity_->signing, pact_, fresh), keys_, epoch,
                   max_lamport_ + 1, clock_.NowMs());
  if (!entry.ok()) return entry.error();
  ACCORD_RETURN_IF_ERROR(store_->Atomically([&]() -> Status {
    ACCORD_RETURN_IF_ERROR(store_->AppendOwn(*entry));
    ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaMember, my_member));
    ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaRekeyCarry, old));
    return store_->SetMeta(kMetaDeviceKey, fresh);
  }));
  ACCORD_RETURN_IF_ERROR(Reached(RekeyStep::kStoreCommitted));
  // (3)
  ACCORD_RETURN_IF_ERROR(SwapInNextKeyFile(paths_, old));
  return Rekeyed{old, fresh, forked->second};
}

Result<std::vector<state::Event>> Node::ForkedSuffix(const log::DeviceKey& author,
                                                     uint64_t from_seq) {
  std::vector<state::Event> out;
  const uint64_t head = store_->Head(author).seq;
  for (uint64_t seq = from_seq; seq <= head; seq += kReadChunk) {
    Result<std::vector<log::Envelope>> chunk = store_->ReadRange(author, seq, kReadChunk);
    if (!chunk.ok()) return chunk.error();
    for (const log::Envelope& e : *chunk) {
      Result<log::EntryHeader> header = log::DecodeHeader(e.header);
      if (!header.ok() || log::IsWithheld(*header, e)) continue;
      const log::EntryId id = log::ComputeEntryId(e.header);
      if (erased_.count(id) != 0) continue;
      Result<proto::Body> body = OpenStoredBody(*header, e, keys_);
      if (!body.ok()) continue;
      Result<state::Event> event = state::EventFromBody(*header, id, *body);
      // Only what a member writes: control entries of the old key are not re-authored.
      if (event.ok() && header->scope != log::Scope::kControl) out.push_back(std::move(*event));
    }
  }
  return out;
}

Status Node::CarryForkedEntries() {
  Result<std::optional<Bytes>> stored = store_->GetMeta(kMetaRekeyCarry);
  if (!stored.ok()) return stored.error();
  if (!*stored || (*stored)->size() != sizeof(log::DeviceKey)) return Status::Ok();
  log::DeviceKey old{};
  std::memcpy(old.data(), (*stored)->data(), old.size());
  // The old key's feed and private chain, each from where it froze.
  std::vector<state::Event> forked;
  log::DeviceKey old_chain = old;
  for (const auto& [author, from_seq] : store_->FrozenAuthors()) {
    if (DeviceOfAuthor(author) != old) continue;
    if (author != old) old_chain = author;
    Result<std::vector<state::Event>> suffix = ForkedSuffix(author, from_seq);
    if (!suffix.ok()) return suffix.error();
    for (state::Event& e : *suffix) forked.push_back(std::move(e));
  }
  Result<state::CarryPlan> plan = state::PlanCarry(forked, old, old_chain);
  if (!plan.ok()) return plan.error();
  ACCORD_RETURN_IF_ERROR(store_->Atomically([&]() -> Status {
    Result<std::map<log::EntryId, log::EntryId>> carried =
        state::CarryOut(*plan, [this](const state::UserKind& kind, int64_t original_time_ms) {
          return Write(kind, original_time_ms);
        });
    if (!carried.ok()) return carried.error();
    ACCORD_RETURN_IF_ERROR(Reached(RekeyStep::kCarryWritten));
    return store_->SetMeta(kMetaRekeyCarry, Bytes());
  }));
  if (!plan->steps.empty()) {
    LogInfo("re-key: " + std::to_string(plan->steps.size()) +
            " entries written into the forked feed of device " + Short(old) +
            " were written again under this device's new key");
  }
  return Status::Ok();
}

}  // namespace accord::daemon
