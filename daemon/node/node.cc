#include "daemon/node/node.h"

#include "daemon/node/node_keys.h"

#include <algorithm>
#include <functional>
#include <set>

#include "crypto/aead.h"
#include "crypto/key_file.h"
#include "crypto/random.h"
#include "crypto/sign.h"
#include "daemon/log/ingest.h"
#include "daemon/log/private_chain.h"
#include "daemon/log/validate.h"
#include "daemon/logging.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/event_to_proto.h"
#include "daemon/store/store_log_view.h"

namespace accord::daemon {

using node_internal::KeyPurpose;
using node_internal::kMetaInitProfile;
using node_internal::kMetaPact;
using node_internal::StoreKey;

namespace {

constexpr std::string_view kInitProfileAd = "accord/init-profile/v1";

}  // namespace

Result<proto::Body> OpenStoredBody(const log::EntryHeader& header, const log::Envelope& envelope,
                                   const log::KeyRing& keys) {
  proto::Body body;
  ACCORD_RETURN_IF_ERROR(log::OpenEntryBody(header, envelope, keys, body));
  return body;
}

proto::EntryKind BodyKindOf(const proto::Body& body) {
  switch (body.kind_case()) {
    case proto::Body::kNeed:
      return proto::ENTRY_KIND_NEED;
    case proto::Body::kBoundary:
      return proto::ENTRY_KIND_BOUNDARY;
    case proto::Body::kProposal:
      return body.proposal().agreement_id().empty() ? proto::ENTRY_KIND_PROPOSAL
                                                    : proto::ENTRY_KIND_COUNTER;
    case proto::Body::kAcceptance:
      return proto::ENTRY_KIND_ACCEPTANCE;
    case proto::Body::kDecline:
      return proto::ENTRY_KIND_DECLINE;
    case proto::Body::kRetire:
      return proto::ENTRY_KIND_RETIRE;
    case proto::Body::kSpaceRequest:
      return proto::ENTRY_KIND_SPACE_REQUEST;
    case proto::Body::kSpaceAck:
      return proto::ENTRY_KIND_SPACE_ACK;
    case proto::Body::kSpaceBack:
      return proto::ENTRY_KIND_SPACE_BACK;
    case proto::Body::kCheckIn:
      return proto::ENTRY_KIND_CHECK_IN;
    case proto::Body::kAppreciation:
      return proto::ENTRY_KIND_APPRECIATION;
    case proto::Body::kRetract:
      return proto::ENTRY_KIND_RETRACT;
    case proto::Body::kReflection:
      return proto::ENTRY_KIND_REFLECTION;
    case proto::Body::kPrivateChainStart:
      return proto::ENTRY_KIND_PRIVATE_CHAIN_START;
    case proto::Body::kForget:
      return proto::ENTRY_KIND_FORGET;
    case proto::Body::kPersonKeyStart:
      return proto::ENTRY_KIND_PERSON_KEY_START;
    case proto::Body::kMemberCreated:
      return proto::ENTRY_KIND_MEMBER_CREATED;
    case proto::Body::kMemberAdded:
      return proto::ENTRY_KIND_MEMBER_ADDED;
    case proto::Body::kDeviceAdded:
      return proto::ENTRY_KIND_DEVICE_ADDED;
    case proto::Body::kMemberLeft:
      return proto::ENTRY_KIND_MEMBER_LEFT;
    case proto::Body::kDeviceRekeyed:
      return proto::ENTRY_KIND_DEVICE_REKEYED;
    case proto::Body::kDeviceRemoved:
      return proto::ENTRY_KIND_DEVICE_REMOVED;
    case proto::Body::kEpochStart:
      return proto::ENTRY_KIND_EPOCH_START;
    case proto::Body::KIND_NOT_SET:
      break;
  }
  return proto::ENTRY_KIND_UNSPECIFIED;
}

Node::Node(const InstancePaths& paths, const Clock& clock, std::unique_ptr<store::Store> store)
    : paths_(paths), clock_(clock), store_(std::move(store)) {}

Result<std::unique_ptr<Node>> Node::Open(const InstancePaths& paths, const Clock& clock) {
  Result<std::unique_ptr<Node>> node = OpenFromStore(paths, clock);
  if (!node.ok() || !(*node)->has_identity()) return node;
  // Not a reason to stay down: all or nothing, and tried again at every start until done.
  if (Status carried = (*node)->CarryForkedEntries(); !carried.ok()) {
    LogWarning("re-key: the forked feed's own entries could not be written again yet (" +
               carried.error().message + "); trying again at the next start");
    // The store rolled the copies back, but this node folded them and its authors advanced
    // past them: go on from the store as it is.
    node->reset();
    return OpenFromStore(paths, clock);
  }
  return node;
}

Result<std::unique_ptr<Node>> Node::OpenFromStore(const InstancePaths& paths, const Clock& clock) {
  Result<std::unique_ptr<store::Store>> s = store::Store::Open(paths.database);
  if (!s.ok()) return s.error();
  ACCORD_RETURN_IF_ERROR(FinishInterruptedRekey(paths, **s));
  std::unique_ptr<Node> node(new Node(paths, clock, std::move(*s)));
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(paths.key_file, ec))) {
    ACCORD_RETURN_IF_ERROR(node->LoadIdentity());
    ACCORD_RETURN_IF_ERROR(node->Refold());
    ACCORD_RETURN_IF_ERROR(node->CheckIdentityAgainstStore());
    ACCORD_RETURN_IF_ERROR(node->FinishInit());
    ACCORD_RETURN_IF_ERROR(node->MoveFormatOneReflections());
  } else {
    ACCORD_RETURN_IF_ERROR(node->CheckNoIdentityIsMissing());
  }
  return node;
}

Status Node::LoadIdentity() {
  Result<crypto::DeviceIdentity> id = crypto::ReadKeyFile(paths_.key_file);
  if (!id.ok()) return id.error();
  identity_ = std::make_unique<crypto::DeviceIdentity>(std::move(*id));
  device_key_ = identity_->signing.public_key();
  ACCORD_RETURN_IF_ERROR(CheckRecordedDeviceKey());

  Result<std::optional<Bytes>> pact = store_->GetMeta(kMetaPact);
  if (!pact.ok()) return pact.error();
  if (!*pact || (*pact)->size() != pact_.size()) {
    return MakeError(ErrorCode::kCorrupt, "the key file exists but the database has no pact; was " +
                                              paths_.database.native() + " replaced?");
  }
  std::copy((*pact)->begin(), (*pact)->end(), pact_.begin());

  Result<std::vector<store::WrappedKey>> wrapped = store_->WrappedKeys();
  if (!wrapped.ok()) return wrapped.error();
  for (const store::WrappedKey& w : *wrapped) {
    Result<crypto::SecretKey> key = crypto::UnwrapKey(
        identity_->storage_key, AsBytes(KeyPurpose(w.kind, w.generation)), w.wrapped);
    if (!key.ok()) {
      return MakeError(ErrorCode::kCorrupt,
                       "a stored key does not open with the key file " + paths_.key_file.native() +
                           " (a damaged or wrong key file); restore this device's key file "
                           "from a backup. Do not run `accord init`");
    }
    if (w.kind == store::WrappedKeyKind::kEpoch)
      keys_.AddEpochKey(w.generation, std::move(*key));
    else
      keys_.AddPersonKey(w.generation, std::move(*key));
  }
  ResetAuthors();
  ACCORD_RETURN_IF_ERROR(LoadRestated());
  Result<std::set<log::EntryId>> erased = store_->ErasedIds();
  if (!erased.ok()) return erased.error();
  erased_ = std::move(*erased);
  return LoadMemberHint();
}

void Node::ResetAuthors() {
  author_ = std::make_unique<log::Author>(identity_->signing, pact_, store_->Head(device_key_));
  chain_signing_ =
      std::make_unique<crypto::SigningKey>(log::PrivateChainKey(identity_->signing, pact_));
  chain_key_ = chain_signing_->public_key();
  chain_author_ = std::make_unique<log::Author>(*chain_signing_, pact_, store_->Head(chain_key_));
}

log::DeviceKey Node::DeviceOfAuthor(const log::DeviceKey& author) const {
  auto it = chain_device_.find(author);
  return it == chain_device_.end() ? author : it->second;
}

Status Node::Refold() {
  unopened_epochs_.clear();
  for (const auto& [author, from_seq] : store_->FrozenAuthors()) fold_->Freeze(author, from_seq);
  size_t unreadable = 0;
  refolding_ = true;
  Status s = store_->ForEachEntry([&](const store::StoredEntry& e) -> Status {
    max_lamport_ = std::max(max_lamport_, e.header.lamport);
    // Withheld, or damaged (kept in damaged_); a newcomer's header-only control entry
    // folds with the body its inviter restated.
    if (!CheckAtRefold(e)) return FoldRestated(e.header, e.id, /*notify=*/false);
    Result<proto::Body> body = OpenStoredBody(e.header, e.envelope, keys_);
    if (!body.ok()) {
      if (restated_.count(e.id) != 0) return FoldRestated(e.header, e.id, /*notify=*/false);
      ++unreadable;  // e.g. an epoch we were never given: kept, not folded
      if (body.code() == ErrorCode::kUnknownEpoch) unopened_epochs_.insert(e.header.epoch);
      return Status::Ok();
    }
    return FoldEntry(e.header, e.id, *body, /*notify=*/false);
  });
  refolding_ = false;
  // Erased only now: EraseBody's WAL checkpoint cannot run beside the walk's open statement.
  std::vector<log::EntryId> to_erase;
  to_erase.swap(erase_after_refold_);
  for (const log::EntryId& id : to_erase) EraseForgotten(id);
  if (unreadable > 0) LogWarning(std::to_string(unreadable) + " stored entries cannot be opened");
  if (s.ok()) s = AdoptEpochKeys();  // a key whose entry was stored before it was taken
  if (s.ok()) s = AdoptPersonKeys();
  if (!damaged_.empty()) {
    std::string ids;
    for (const auto& [id, d] : damaged_) {
      if (ids.size() > 80) break;
      ids += " " + ToHex(id).substr(0, 8) + " (" + std::string(log::DamageName(d.damage)) + ")";
    }
    LogWarning(std::to_string(damaged_.size()) +
               " stored entries are damaged or missing their body; they will be repaired from "
               "a peer that holds them whole:" +
               ids);
  }
  return s;
}

Status Node::FinishInit() {
  if (author_->head().seq > 0) return Status::Ok();
  Result<std::optional<Bytes>> sealed = store_->GetMeta(kMetaInitProfile);
  if (!sealed.ok()) return sealed.error();
  // No pending profile: init finished long ago, or this device joined a partner's pact (where
  // the partner's MemberAdded introduced it).
  if (!*sealed || (*sealed)->empty()) return Status::Ok();
  proto::MemberCreated profile;  // as Init sealed it: the names alone
  if (*sealed && (*sealed)->size() > crypto::kXNonceBytes) {
    crypto::XNonce nonce;
    std::copy_n((*sealed)->begin(), nonce.size(), nonce.begin());
    Result<Bytes> plain = crypto::OpenBody(identity_->storage_key, nonce, AsBytes(kInitProfileAd),
                                           ByteView(**sealed).subspan(crypto::kXNonceBytes));
    if (plain.ok()) {
      profile.ParseFromArray(plain->data(), static_cast<int>(plain->size()));
      crypto::Wipe(*plain);
    }
  }
  state::MemberCreated created;
  created.member = device_key_;
  created.name = profile.name().empty() ? "me" : profile.name();
  created.device_x25519 = identity_->dh.public_key();
  created.device_name = profile.device_name();
  Result<log::EntryId> id = WriteKind(std::move(created));
  if (!id.ok()) return id.error();
  return store_->SetMeta(kMetaInitProfile, Bytes());
}

Result<state::MemberId> Node::Init(const std::string& name, const std::string& device_name) {
  if (has_identity()) {
    return MakeError(ErrorCode::kAlreadyExists,
                     "this device already has an identity (" + paths_.key_file.native() + ")");
  }
  // Never over a store that holds a log: Open refuses that without its key, so this is
  // defence in depth (node_identity.cc).
  ACCORD_RETURN_IF_ERROR(CheckInitMayRun());
  ACCORD_RETURN_IF_ERROR(crypto::EnsurePrivateDir(paths_.key_dir));
  crypto::DeviceIdentity identity = crypto::DeviceIdentity::Generate();
  // Database first, key file last: a crash in between leaves no identity, so `init` simply
  // runs again and overwrites these rows.
  log::PactId pact = crypto::RandomFixed<16>();
  crypto::SecretKey epoch_key = crypto::SecretKey::Random();
  crypto::SecretKey person_key = crypto::SecretKey::Random();
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaPact, pact));
  proto::MemberCreated profile;
  profile.set_name(name);
  profile.set_device_name(device_name);
  std::string plain = profile.SerializeAsString();
  crypto::XNonce nonce = crypto::RandomXNonce();
  Bytes sealed(nonce.begin(), nonce.end());
  AppendBytes(sealed, crypto::SealBody(identity.storage_key, nonce, AsBytes(kInitProfileAd),
                                       AsBytes(plain)));
  crypto::Wipe(plain);
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaInitProfile, sealed));
  ACCORD_RETURN_IF_ERROR(
      StoreKey(*store_, identity.storage_key, store::WrappedKeyKind::kEpoch, 0, epoch_key));
  ACCORD_RETURN_IF_ERROR(
      StoreKey(*store_, identity.storage_key, store::WrappedKeyKind::kPerson, 0, person_key));
  ACCORD_RETURN_IF_ERROR(crypto::WriteKeyFile(paths_.key_file, identity));
  ACCORD_RETURN_IF_ERROR(
      store_->SetMeta(node_internal::kMetaDeviceKey, identity.signing.public_key()));
  ACCORD_RETURN_IF_ERROR(LoadIdentity());
  ACCORD_RETURN_IF_ERROR(FinishInit());
  return device_key_;
}

Result<log::EntryId> Node::Write(state::UserKind kind, std::optional<int64_t> original_time_ms) {
  return WriteKind(state::ToEventKind(std::move(kind)), original_time_ms);
}

Result<log::EntryId> Node::WriteKind(const state::EventKind& kind,
                                     std::optional<int64_t> original_time_ms) {
  if (std::optional<Error> blocked = WriteBlocked()) return *blocked;
  if (std::optional<Error> left = LeftError()) return *left;
  // Folded from the body as sealed, not from `kind`, so this device decides what the entry
  // means exactly as every device that receives it will.
  proto::Body body = state::BodyFromKind(kind);
  const int64_t now_ms = clock_.NowMs();
  // A solo entry dated after now (the clock was set back since) keeps the header's time.
  if (original_time_ms)
    body.set_original_time_ms(
        std::clamp<int64_t>(*original_time_ms, 0, std::max<int64_t>(now_ms, 0)));
  if (log::ScopeOf(body) != log::Scope::kPrivate) return WriteBody(*author_, body, now_ms);
  return WritePrivate(body, now_ms);
}

Result<log::EntryId> Node::WritePrivate(const proto::Body& body, int64_t now_ms) {
  if (chain_author_->head().seq == 0) {
    Result<log::EntryId> start = WriteBody(
        *chain_author_, log::PrivateChainStartBody(identity_->signing, pact_, chain_key_), now_ms);
    if (!start.ok()) return start.error();
  }
  return WriteBody(*chain_author_, body, now_ms);
}

Result<log::EntryId> Node::WriteBody(log::Author& author, const proto::Body& body, int64_t now_ms) {
  uint64_t epoch = 0;  // a private body is sealed with the person key
  if (log::ScopeOf(body) != log::Scope::kPrivate) {
    Result<uint64_t> sealing = EpochToSeal();
    if (!sealing.ok()) return sealing.error();
    epoch = *sealing;
  }
  return WriteSealed(author, body, epoch, now_ms);
}

Result<log::EntryId> Node::WriteSealed(log::Author& author, const proto::Body& body, uint64_t epoch,
                                       int64_t now_ms) {
  Result<log::AuthoredEntry> entry = author.Write(body, keys_, epoch, max_lamport_ + 1, now_ms);
  if (!entry.ok()) return entry.error();
  if (Status s = store_->AppendOwn(*entry); !s.ok()) {
    // The author advanced its head in memory; put it back where the store is.
    ResetAuthors();
    return s.error();
  }
  max_lamport_ = std::max(max_lamport_, entry->header.lamport);
  ACCORD_RETURN_IF_ERROR(FoldEntry(entry->header, entry->id, body, /*notify=*/true));
  Status adopted = AdoptEpochKeys();  // this device's own rotation names it too
  if (adopted.ok()) adopted = AdoptPersonKeys();
  NotifyChange(ChangeNotice::EntriesStored());
  if (!adopted.ok()) return adopted.error();
  return entry->id;
}

Status Node::FoldEntry(const log::EntryHeader& header, const log::EntryId& id,
                       const proto::Body& body, bool notify) {
  // An entry that arrives without its body (another member's private entry, or one whose
  // body the sender could not send whole) keeps its author's chain and has nothing to fold.
  if (body.kind_case() == proto::Body::KIND_NOT_SET) return Status::Ok();
  if (Status bound = log::CheckBindings(header, body, header.pact); !bound.ok()) {
    LogWarning("entry " + ToHex(id).substr(0, 8) + " not folded: " + bound.error().message);
    return Status::Ok();
  }
  Result<state::Event> event = state::EventFromBody(header, id, body);
  if (!event.ok()) {
    // Authentic but meaningless content (e.g. from a newer version): kept, not folded.
    LogWarning("entry " + ToHex(id).substr(0, 8) + " not folded: " + event.error().message);
    return Status::Ok();
  }
  fold_->Apply(*event);
  if (const auto* m = std::get_if<state::MemberCreated>(&event->kind))
    named_devices_.insert(m->member);
  if (const auto* m = std::get_if<state::MemberAdded>(&event->kind)) {
    named_devices_.insert(m->device);
    introduced_by_.emplace(m->device, header.author);
  }
  if (const auto* d = std::get_if<state::DeviceAdded>(&event->kind)) {
    named_devices_.insert(d->device);
    introduced_by_.emplace(d->device, header.author);
  }
  if (const auto* r = std::get_if<state::DeviceRekeyed>(&event->kind)) {
    named_devices_.insert(header.author);  // decoding checked the old key's binding
    introduced_by_.emplace(header.author, r->old_device);
  }
  if (const auto* e = std::get_if<state::EpochStarted>(&event->kind)) {
    const bool names_me = std::any_of(
        e->recipients.begin(), e->recipients.end(),
        [this](const state::EpochStarted::Recipient& r) { return r.device == device_key_; });
    if (names_me && keys_.KeyFor(log::Scope::kControl, e->epoch) == nullptr)
      epoch_boxes_.emplace(id, *e);
  }
  if (const auto* p = std::get_if<state::PersonKeyStarted>(&event->kind))
    NotePersonKeyStart(header, id, *p);
  if (const auto* l = std::get_if<state::MemberLeft>(&event->kind)) {
    auto [it, inserted] = left_.try_emplace(l->member, state::KeyOf(*event), header.time_ms);
    if (!inserted && state::KeyOf(*event) < it->second.first)
      it->second = {state::KeyOf(*event), header.time_ms};
  }
  if (const auto* c = std::get_if<state::PrivateChainStarted>(&event->kind)) {
    // Validation (or this device, writing it) checked the binding to the device.
    named_devices_.insert(header.author);
    introduced_by_.emplace(header.author, c->device);
    chain_device_.emplace(header.author, c->device);
  }
  OnFolded(*event);
  state_.reset();
  if (notify) {
    for (const EventListener& listener : listeners_) listener(*event);
  }
  return Status::Ok();
}

const state::State& Node::State() {
  if (!state_) state_ = fold_->View();
  return *state_;
}

const state::Live& Node::Live() {
  if (!live_ || live_generation_ != fold_->live_generation()) {
    live_ = fold_->LiveView();
    live_generation_ = fold_->live_generation();
  }
  return *live_;
}

Hash32 Node::Digest() { return fold_->Digest(); }

const std::vector<state::Member>& Node::Members() {
  if (!members_ || members_generation_ != fold_->membership_generation()) {
    members_ = fold_->Members();
    members_generation_ = fold_->membership_generation();
  }
  return *members_;
}

}  // namespace accord::daemon
