// Node: this device's log and state. Owns the store, the identity, the key ring, the fold and
// the author of own entries; every write is durable before anyone can see it. Daemon thread
// only. Request semantics (who may accept what) live in state/rules.h, not here.
#ifndef ACCORD_DAEMON_NODE_NODE_H_
#define ACCORD_DAEMON_NODE_NODE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "accord/entry.pb.h"
#include "accord/ipc.pb.h"
#include "base/paths.h"
#include "base/result.h"
#include "crypto/identity.h"
#include "daemon/log/author.h"
#include "daemon/log/ingest.h"
#include "daemon/log/integrity.h"
#include "daemon/log/key_ring.h"
#include "daemon/log/signatures.h"
#include "daemon/node/clock.h"
#include "daemon/state/epochs.h"
#include "daemon/state/fold.h"
#include "daemon/state/solo_carry.h"
#include "daemon/state/state.h"
#include "daemon/store/store.h"

namespace accord::daemon {

// One row of `accord log`.
struct LogRow {
  log::EntryId id{};
  log::EntryHeader header;
  proto::EntryKind kind = proto::ENTRY_KIND_SEALED;  // sealed: this device cannot open it
  bool verified = false;  // signature checked in this call (log --verify)
  bool signature_ok = true;
  log::Damage damage = log::Damage::kNone;  // what is wrong with the stored copy
  bool undecryptable = false;               // (--verify) intact bytes that no key held here opens
  bool erased = false;                      // its body was erased on purpose (forget)
  // (--verify) sealed below an epoch its author had already started (Epochs::
  // SealsBelowOwnRotation): kept and folded, but shown.
  bool sealed_below_rotation = false;
  // The body's original time, for an entry carried from a solo log (docs/pairing.md).
  std::optional<int64_t> original_time_ms;
};

// A slice of `accord log`: stored entries in arrival order and where the next slice starts.
struct LogSlice {
  std::vector<store::StoredEntry> entries;
  int64_t last_arrival = 0;
  bool done = false;
};

class Node {
 public:
  // Opens the store; loads the identity if `init` has run, refolds every stored entry, and
  // finishes an `init` interrupted by a crash. Refuses (node_identity.cc) a key file that does
  // not belong to the store, and a missing key file next to a store that holds entries.
  static Result<std::unique_ptr<Node>> Open(const InstancePaths& paths, const Clock& clock);

  bool has_identity() const { return identity_ != nullptr; }
  // Creates the device identity, the pact and its first keys, and the MemberCreated entry.
  // kAlreadyExists if this device has an identity.
  Result<state::MemberId> Init(const std::string& name, const std::string& device_name);

  // Seals, signs and durably stores one own entry, then folds it as any device would decode
  // it (EventFromBody). REQUIRES: has_identity(). kRefused while WriteBlocked(): nothing is
  // written that could never be delivered. `original_time_ms` only for an entry carried from
  // a solo log (JoinPact): kept in the body, clamped to [0, the header's time].
  Result<log::EntryId> Write(state::UserKind kind,
                             std::optional<int64_t> original_time_ms = std::nullopt);

  // Leaving (SPEC §4, node_epochs.cc): writes MemberLeft for this device's member, a control
  // entry written here alone (no peer needed). From then on every write is refused
  // (LeftError) and nothing authored after the leave is stored here; the copy is read-only.
  // kRefused if the member already left.
  Result<log::EntryId> Leave();
  // When this device's member left (the MemberLeft's time), nullopt while it has not.
  std::optional<int64_t> LeftAtMs();
  // The refusal every write gets after the leave; nullopt before it.
  std::optional<Error> LeftError();
  // Removes another device of this device's own member (SPEC §6 `device remove`): writes
  // DeviceRemoved; the next shared or control write rotates the epoch key first. `prefix`:
  // hex of the device key, at least 4 digits. kNotFound (no such device), kAmbiguous,
  // kInvalidArgument (not hex), kRefused (another person's device, this device, already removed).
  Result<log::EntryId> RemoveDevice(const std::string& prefix);
  // The key epochs as the folded control entries resolve them (cached).
  const state::Epochs& Epochs();

  // Restore from a backup (SPEC §4, node_restore.cc). Why this device may not author now: a
  // peer holds more of its own feed (it is catching up), or its own feed forked. nullopt if
  // it may write.
  std::optional<Error> WriteBlocked() const;
  // Re-keying after a fork (node_rekey.cc, `accordd --rekey`): this device takes a new
  // signing key vouched for by the old one, whose feed stays frozen; X25519 and storage keys
  // stay. RekeyHome opens the home, re-keys it and closes it again: open it anew to run as
  // the new key. kRefused when the own feed has not forked (nothing to re-key) or the member
  // left; kUnknownEpoch when the pact's newest key is not held yet.
  struct Rekeyed {
    log::DeviceKey old_device{};
    log::DeviceKey new_device{};
    uint64_t forked_at_seq = 0;
  };
  static Result<Rekeyed> RekeyHome(const InstancePaths& paths, const Clock& clock);

  // A peer's Hello: remembers how much of this device's own feed the peer holds.
  void NotePeerHeads(const log::DeviceKey& peer,
                     const std::map<log::DeviceKey, log::FeedHead>& heads);

  // The folded state (recomputed after changes). REQUIRES: has_identity().
  const state::State& State();
  // Only its live part (state.h Live): recomputed only after a change to what it reads, so
  // a note or a check-in written costs `status`, `agreements`, `space` and `due` nothing.
  const state::Live& Live();
  // The state digest (state/entry_set_digest.h), kept per change: reading it costs nothing.
  Hash32 Digest();
  // The members alone, as State().members: cheap, recomputed only after control entries.
  const std::vector<state::Member>& Members();
  // This device's key as a member id: the member's id only for a member's first device. Where
  // a member is meant (who wrote, who may accept), use member().
  const state::MemberId& me() const { return device_key_; }
  const log::DeviceKey& device_key() const { return device_key_; }
  // The author key of this device's private chain in the current pact (log/private_chain.h).
  const log::DeviceKey& private_chain_key() const { return chain_key_; }
  // The device an author key speaks for: a private chain's device, else the key itself.
  log::DeviceKey DeviceOfAuthor(const log::DeviceKey& author) const;
  int64_t NowMs() const { return clock_.NowMs(); }
  uint64_t EntryCount() const { return store_->CachedEntryCount(); }
  const std::map<log::DeviceKey, uint64_t>& Frozen() const { return store_->FrozenAuthors(); }

  // Validates and stores a batch received from a peer (all or nothing), records fork proofs,
  // folds what was stored and tells the change listeners (a kForkProof notice for each fork
  // seen for the first time, then kEntriesStored). Errors keep their validation code.
  struct ReceiveReport {
    size_t stored = 0;
    size_t duplicates = 0;
    size_t forks = 0;
  };
  Result<ReceiveReport> Receive(std::span<const log::Envelope> batch);
  // With the batch's signature verdicts checked ahead (log::VerifySignatures).
  Result<ReceiveReport> Receive(std::span<const log::Envelope> batch,
                                std::span<const log::SignatureVerdict> signatures);
  // With the headers decoded where the batch was parsed, too (log::IngestBatch's REQUIRES).
  Result<ReceiveReport> Receive(std::span<const log::Envelope> batch,
                                std::span<const log::EntryHeader> headers,
                                std::span<const log::SignatureVerdict> signatures);
  // Keeps a fork proof relayed by a peer: both headers must verify and conflict
  // (log::CheckForkProof). A proof that newly freezes a feed is told as a kForkProof notice.
  Status ReceiveForkProof(const log::Envelope& existing, const log::Envelope& conflicting);

  // Pairing, inviter side: writes the MemberAdded entry for the partner's first device;
  // `history_from_epoch` as MemberAdded has it (0: the newcomer reads the whole history).
  Result<log::EntryId> AddMember(const log::DeviceKey& device, const crypto::DhPublicKey& x25519,
                                 const std::string& name, uint64_t history_from_epoch = 0);
  // ---- Newcomers without history (node_newcomer.cc; docs/pairing.md) ----
  // A control entry's body as an inviter restates it to a newcomer.
  struct RestatedBody {
    log::EntryId id{};
    log::DeviceKey author{};
    Bytes body;  // a serialized proto::Body of a control kind
  };
  struct NewcomerStart {
    uint64_t epoch = 0;
    crypto::SecretKey key;               // the new epoch's: the one key the newcomer gets
    std::vector<RestatedBody> restated;  // ascending ids
  };
  // Inviter side, once its human said yes to a new person who is not to read the history:
  // rotates (an EpochStart to the current devices) and returns the new epoch, its key and
  // the pact's control entries restated (all but earlier EpochStarts, whose keys the
  // newcomer never gets). kRefused if this device may not write.
  Result<NewcomerStart> StartNewcomerEpoch();
  // Joiner side, in JoinPact's transaction: keeps the restated bodies sealed under the
  // storage key; each is folded when its entry's header arrives (FoldRestated).
  Status KeepRestated(std::vector<RestatedBody> restated);
  // What was restated to this device's member (none unless it came without history), for
  // another device of the member (invite --device).
  std::vector<RestatedBody> RestatedForOwnDevice() const;
  // ---- end of newcomers ----
  // ---- Pairing two prepared logs, joiner side (node_prepared.cc; docs/pairing.md) ----
  struct JoinReport {
    size_t carried_shared = 0;       // earlier shared entries of ours now in the pact
    size_t carried_reflections = 0;  // earlier reflections, written again as new ones are
  };
  // This device's solo log is replaced by the inviter's pact, and every entry it wrote alone
  // (except its MemberCreated) is written again in the pact by this device, in order, with
  // its original time and its references to other solo entries remapped
  // (state/solo_carry.h). All of it is one transaction: on any failure nothing has changed
  // and the solo log is as it was. kRefused, before anything changes, if the log cannot be
  // carried (CheckJoinable).
  // `restated`: a newcomer's restated control entries (KeepRestated), or none.
  Result<JoinReport> JoinPact(const log::PactId& pact,
                              std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys,
                              std::vector<RestatedBody> restated = {});
  // Whether JoinPact could carry this device's log, changing nothing (for `join`, before the
  // pairing starts): kRefused if it holds another device's entries or a control entry beyond
  // its MemberCreated, or may not write now; kCorrupt if an own entry is damaged or unreadable.
  Status CheckJoinable();
  // ---- end of pairing two prepared logs ----
  // A device known from pairing before any entry names it (the inviter, for a joiner that
  // has not received the inviter's log yet): its entries pass validation.
  void TrustDevice(const log::DeviceKey& device) { named_devices_.insert(device); }
  // An author key a control entry or a private chain's start named (its feed is placed).
  bool IsNamedAuthor(const log::DeviceKey& author) const {
    return named_devices_.count(author) != 0;
  }
  // Devices in an order where each comes after the device that introduced it (for sync).
  std::vector<log::DeviceKey> IntroductionOrder() const;
  // True if this device has written nothing a partner could miss (for `join`).
  bool HasOnlyGenesis() const;

  const log::PactId& pact() const { return pact_; }
  const crypto::DeviceIdentity& identity() const { return *identity_; }
  const store::Store& store() const { return *store_; }
  // Devices of the pact's members (current or not) with their X25519 keys, excluding this one.
  std::vector<state::Device> PeerDevices();
  // The member a device belongs to, if any.
  std::optional<state::MemberId> MemberOf(const log::DeviceKey& device);
  // Copies of the pact keys for a partner joining by the first pairing (SPEC §4).
  std::vector<std::pair<uint64_t, crypto::SecretKey>> EpochKeysForPartner() const;
  // The LAN beacon keys (SECURITY §7.2) of the newest epoch and the one before, newest first;
  // the epoch keys themselves stay here.
  std::vector<std::pair<uint64_t, crypto::SecretKey>> DiscoveryKeys() const;
  // Seals / opens small local secrets (peer addresses) under the storage key.
  std::string SealLocal(std::string_view purpose, std::string_view plaintext) const;
  std::optional<std::string> OpenLocal(std::string_view purpose, std::string_view sealed) const;
  // Keeps where a peer device was reached (`sealed_address` from SealLocal), replacing the
  // older one; `seen_ms` 0 for a device never seen. Read back through store().Peers().
  Status RememberPeer(const log::DeviceKey& device, std::string_view sealed_address,
                      int64_t seen_ms);

  // Erases one of this member's reflections on all their devices (SPEC §3 `forget`): writes
  // a Forget to the private chain; each device of the member, this one first, then drops the
  // body (Store::EraseBody). kNotFound unless `id` is a reflection of this member held here.
  Result<log::EntryId> Forget(const log::EntryId& id);
  bool IsErased(const log::EntryId& id) const { return erased_.count(id) != 0; }
  // ---- Several devices per person (node_device.cc; SPEC §4, docs/pairing.md) ----
  // The member this device belongs to: as the fold has it once an entry naming this device
  // is held; before that, the member it joined as another device of (JoinAsDevice, kept
  // across restarts); else this device's own key (a member's first device).
  state::MemberId member();
  // The devices of my member with what `accord devices` shows of them.
  struct OwnDevice {
    state::Device device;
    int64_t added_ms = 0;  // the time of the entry that added it; 0 if not held
  };
  std::vector<OwnDevice> OwnDevices();
  // Inviter side of `invite --device`: writes the signed DeviceAdded that makes `device`
  // another device of my member.
  Result<log::EntryId> AddOwnDevice(const log::DeviceKey& device, const crypto::DhPublicKey& x25519,
                                    const std::string& device_name);
  // Copies of every person key generation held here, for a new device of my member only.
  std::vector<std::pair<uint64_t, crypto::SecretKey>> PersonKeysForOwnDevice() const;
  // Joiner side of a device invitation: as JoinPact (the solo log, nothing but its
  // MemberCreated, is dropped), with `member`'s person keys in place of this device's own.
  // This device writes no membership entry: it counts for `member` once the inviter's
  // DeviceAdded arrives. kRefused if this device already wrote anything else. `restated`:
  // what was restated to `member` if it came without history (KeepRestated).
  Result<JoinReport> JoinAsDevice(const log::PactId& pact,
                                  std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys,
                                  std::vector<std::pair<uint64_t, crypto::SecretKey>> person_keys,
                                  const state::MemberId& member,
                                  std::vector<RestatedBody> restated = {});

  // At most `limit` stored entries after `after_arrival`, in arrival order.
  Result<LogSlice> ReadLog(int64_t after_arrival, size_t limit) const;
  // At most `limit` stored entries before `before_arrival`, newest first; `last_arrival` is
  // the oldest one's (where the next slice ends).
  Result<LogSlice> ReadLogBackward(int64_t before_arrival, size_t limit) const;
  // The rows of `entries` (a slice). With `signatures` (one verdict per entry, checked
  // ahead: log::VerifySignatures), each entry is checked whole (id, signature, body hash,
  // decryption) and new damage is recorded (NoteDamage); without, rows show known damage.
  std::vector<LogRow> LogRows(std::span<const store::StoredEntry> entries,
                              const std::vector<log::SignatureVerdict>* signatures);

  // Integrity (node_integrity.cc). Entries held damaged, or without a body this device
  // should hold, by id: found when the log is read at start, by `log --verify`, or when a
  // peer could send only a header. They are never sent whole and are repaired from any peer
  // holding an intact copy (docs/sync.md "Repair").
  struct DamagedEntry {
    log::Damage damage = log::Damage::kNone;
    log::DeviceKey author{};
    uint64_t seq = 0;
  };
  const std::map<log::EntryId, DamagedEntry>& Damaged() const { return damaged_; }
  uint64_t repaired_count() const { return repaired_; }
  // Records damage found outside the start-up read (log --verify). Tells the listeners.
  void NoteDamage(const log::EntryId& id, const DamagedEntry& damaged);
  // Checks `author`'s stored entries [first, last] whole (signatures too) and records any
  // damage found (a peer refused a batch that held them). Returns how many were damaged.
  Result<size_t> CheckSent(const log::DeviceKey& author, uint64_t first, uint64_t last);
  // Ids to ask peers for, at most `limit`.
  std::vector<log::EntryId> WantedBodies(size_t limit) const;
  // The body of `id` is damaged or missing here: it goes header-only (or, for a damaged
  // header, not at all) until repaired.
  bool BodyUnsendable(const log::EntryId& id) const;
  bool HeaderDamaged(const log::DeviceKey& author, uint64_t seq) const;
  // An intact copy of a stored entry, for a peer's repair request; nullopt if not held whole.
  Result<std::optional<log::Envelope>> IntactCopy(const log::EntryId& id) const;
  // Keeps every copy in `entries` that is an intact copy of an entry held damaged (others are
  // ignored), folds it and tells the listeners. Returns how many were repaired.
  Result<size_t> Repair(std::span<const log::Envelope> entries, const std::string& from);

  struct IntegrityNotice {
    enum class Kind { kDamaged, kRepaired } kind = Kind::kDamaged;
    log::EntryId id{};
    log::Damage damage = log::Damage::kNone;
    std::string from;  // kRepaired: who sent the good copy
  };
  // The one notice that the log changed, for whoever acts on it (peers push, watchers hear).
  // Told on the daemon thread, in the middle of the change: a listener that acts on the log
  // posts its work rather than calling back into the Node or a sync session at once.
  struct ChangeNotice {
    enum class Kind {
      kEntriesStored,  // own or received entries were stored (some may not fold)
      kIntegrity,      // `integrity`: an entry was found damaged, or was repaired
      kForkProof,      // `fork_existing`/`fork_conflicting`: a fork newly recorded here
    } kind = Kind::kEntriesStored;
    IntegrityNotice integrity;
    log::Envelope fork_existing;
    log::Envelope fork_conflicting;

    static ChangeNotice EntriesStored() { return ChangeNotice(); }
    static ChangeNotice Integrity(IntegrityNotice notice) {
      ChangeNotice change;
      change.kind = Kind::kIntegrity;
      change.integrity = std::move(notice);
      return change;
    }
    static ChangeNotice ForkProof(log::Envelope existing, log::Envelope conflicting) {
      ChangeNotice change;
      change.kind = Kind::kForkProof;
      change.fork_existing = std::move(existing);
      change.fork_conflicting = std::move(conflicting);
      return change;
    }
  };
  using ChangeListener = std::function<void(const ChangeNotice&)>;
  void AddChangeListener(ChangeListener listener) {
    change_listeners_.push_back(std::move(listener));
  }

  // Called after each entry is folded (own or received), with the event: for `watch`, which
  // shows what was written. Acting on a change of the log is the change listeners' business.
  using EventListener = std::function<void(const state::Event&)>;
  void AddEventListener(EventListener listener) { listeners_.push_back(std::move(listener)); }

 private:
  Node(const InstancePaths& paths, const Clock& clock, std::unique_ptr<store::Store> store);
  // Open without the re-key's carry (CarryForkedEntries), which Open then tries.
  static Result<std::unique_ptr<Node>> OpenFromStore(const InstancePaths& paths,
                                                     const Clock& clock);
  Status LoadIdentity();
  // Completes a re-key a crash interrupted, or drops one that never reached the store.
  static Status FinishInterruptedRekey(const InstancePaths& paths, store::Store& store);
  Result<Rekeyed> Rekey();
  // After a re-key, at the first open as the new key: writes again, under it, what this
  // device wrote into its old feed at and after the fork (node_rekey.cc).
  Status CarryForkedEntries();
  // The decoded member entries `author` holds from `from_seq` on (its frozen suffix).
  Result<std::vector<state::Event>> ForkedSuffix(const log::DeviceKey& author, uint64_t from_seq);
  Status LoadMemberHint();  // node_device.cc
  // node_identity.cc: the key file against the store (recorded device key, own feed, member
  // records), and a missing key file against a store that holds entries.
  Status CheckRecordedDeviceKey();
  Status CheckIdentityAgainstStore();
  Status CheckNoIdentityIsMissing();
  Status CheckInitMayRun();
  Status RecordDeviceKey();
  Status Refold();
  Status FoldEntry(const log::EntryHeader& header, const log::EntryId& id, const proto::Body& body,
                   bool notify);
  Status FinishInit();
  // Receive's second half: records the plan's forks (their notices go to `forks`) and folds
  // what it stored.
  // Receive's store, fold and notices once the batch has been validated.
  Result<ReceiveReport> StoreReceived(const log::IngestPlan& plan);
  Status RecordAndFold(const log::IngestPlan& plan, ReceiveReport& report,
                       std::vector<ChangeNotice>& forks);
  // Write for any kind, control ones included (init, pairing). Private kinds go to this
  // device's private chain, which starts with its PrivateChainStart. `original_time_ms` as
  // for Write.
  Result<log::EntryId> WriteKind(const state::EventKind& kind,
                                 std::optional<int64_t> original_time_ms = std::nullopt);
  Result<log::EntryId> WriteBody(log::Author& author, const proto::Body& body, int64_t now_ms);
  Result<log::EntryId> WritePrivate(const proto::Body& body, int64_t now_ms);  // to the chain
  // node_convert.cc: this device's format-1 reflections into its private chain (once).
  Status MoveFormatOneReflections();
  std::map<log::EntryId, log::EntryId> MovedReflections();
  // WriteBody with the epoch to seal a shared/control body to already chosen.
  Result<log::EntryId> WriteSealed(log::Author& author, const proto::Body& body, uint64_t epoch,
                                   int64_t now_ms);
  // node_epochs.cc. The epoch a new shared or control entry is sealed to, rotating first
  // (an EpochStart to Epochs().next_recipients()) when this device must.
  Result<uint64_t> EpochToSeal();
  Status Rotate();
  // Takes the key of each valid EpochStart folded here that names this device and whose epoch
  // key is not held: opens its box, stores the key wrapped, adds it to the ring, and refolds
  // if entries of that epoch were stored but could not be opened.
  Status AdoptEpochKeys();
  // node_person_key.cc: after a removal of one of this member's devices, a new person key
  // generation for the remaining ones; PersonKeyStarts naming this device, kept until their
  // author's member is known, and taken (AdoptPersonKeys) when it is this device's member.
  Status RotatePersonKey();
  // Folds the whole store again (after a key arrived whose entries were stored unopened).
  Status FoldAllAgain();
  void NotePersonKeyStart(const log::EntryHeader& header, const log::EntryId& id,
                          const state::PersonKeyStarted& start);
  Status AdoptPersonKeys();
  // A ring for validating `batch`: the held keys plus those of EpochStarts and PersonKeyStarts
  // in the batch that open with them and name this device (persisted only through
  // AdoptEpochKeys / AdoptPersonKeys once stored).
  std::optional<log::KeyRing> BatchKeys(std::span<const log::Envelope> batch) const;
  // Drops from `plan` what was written LWW-after this device's member left (from the first
  // such entry of each feed on): nothing new is stored after the leave.
  void DropAfterLeave(log::IngestPlan& plan);
  // Both of this device's feeds, from the store's heads (after the pact or the store moved).
  void ResetAuthors();
  // node_prepared.cc: every own entry of the solo log, decoded and planned; and the pact's
  // keys and an empty log in place of the solo log's, in the store and in memory.
  Result<state::CarryPlan> PlanSoloCarry();
  Status InstallPact(const log::PactId& pact,
                     std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys);
  // node_newcomer.cc: the restated bodies, loaded at start; folding one for an entry that
  // came header-only (a no-op if none is restated for it or it does not match the header);
  // whether this device, a newcomer without history, was never meant to hold the body of
  // a shared or control entry (its epoch is from before it came).
  Result<std::vector<RestatedBody>> RestatedControl(uint64_t newest_epoch) const;
  Status LoadRestated();
  void TrustRestatedDevices();  // the authors and devices the restated bodies name
  Status FoldRestated(const log::EntryHeader& header, const log::EntryId& id, bool notify);
  std::optional<proto::Body> RestatedBodyOf(const log::EntryId& id) const;  // a control kind
  bool WithoutHistory(const log::EntryHeader& header);
  // Refold's check of one stored entry: true if it may be folded (intact, body held).
  bool CheckAtRefold(const store::StoredEntry& e);
  bool ExpectsBody(const log::EntryHeader& header, const log::EntryId& id);
  // node_forget.cc: a Forgot (or a reflection a Forgot already named) was folded: erase the
  // named body here if it is one of this member's private entries.
  void OnFolded(const state::Event& event);
  void EraseForgotten(const log::EntryId& id);
  void NoteIfMissing(const log::VerifiedEntry& e);  // an entry that came without its body
  void ResignOwn(const log::EntryId& id);
  void NotifyChange(const ChangeNotice& notice);

  InstancePaths paths_;
  const Clock& clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::DeviceIdentity> identity_;
  log::DeviceKey device_key_{};
  std::optional<state::MemberId> member_hint_;  // JoinAsDevice's member, until the fold has it
  log::PactId pact_{};
  log::KeyRing keys_;
  std::unique_ptr<log::Author> author_;  // the shared feed
  std::unique_ptr<crypto::SigningKey> chain_signing_;
  log::DeviceKey chain_key_{};
  std::unique_ptr<log::Author> chain_author_;  // the private chain
  std::unique_ptr<state::Fold> fold_ = std::make_unique<state::Fold>();
  std::optional<state::State> state_;                  // cached View(); reset by every change
  std::optional<std::vector<state::Member>> members_;  // cached fold_->Members()
  std::optional<state::Live> live_;                    // cached fold_->LiveView()
  uint64_t live_generation_ = 0;                       // fold_->live_generation() live_ is from
  uint64_t members_generation_ = 0;         // fold_->membership_generation() members_ is from
  std::set<log::DeviceKey> named_devices_;  // every device key a control entry introduced
  std::map<log::DeviceKey, log::DeviceKey> introduced_by_;  // device -> the device that named it
  std::map<log::DeviceKey, log::DeviceKey> chain_device_;   // private chain key -> its device
  std::set<log::EntryId> forgotten_;              // named by a folded Forgot of this member
  std::set<log::EntryId> erased_;                 // bodies erased here (store's `erased`)
  bool refolding_ = false;                        // inside Refold's walk of the store
  std::vector<log::EntryId> erase_after_refold_;  // forgotten bodies met during that walk
  uint64_t max_lamport_ = 0;
  // EpochStarts folded here that name this device, by entry id, until their key is adopted.
  std::map<log::EntryId, state::EpochStarted> epoch_boxes_;
  std::set<uint64_t> unopened_epochs_;  // epochs of stored entries Refold could not open
  // PersonKeyStarts naming this device, by entry id (with their author), until adopted.
  std::map<log::EntryId, std::pair<log::DeviceKey, state::PersonKeyStarted>> person_boxes_;
  std::map<log::EntryId, RestatedBody> restated_;  // a newcomer's, from its inviter
  std::map<state::MemberId, std::pair<state::OrderKey, int64_t>> left_;  // first MemberLeft
  std::optional<state::Epochs> epochs_;                                  // cached fold_->Epochs()
  uint64_t epochs_generation_ = 0;
  std::vector<EventListener> listeners_;
  std::map<log::EntryId, DamagedEntry> damaged_;
  uint64_t repaired_ = 0;  // since start
  std::vector<ChangeListener> change_listeners_;
  // Per own feed (shared, private chain): the most of it a peer announced (Hello) beyond
  // this store, and that peer.
  struct AheadAtPeer {
    uint64_t seq = 0;
    log::DeviceKey peer{};
  };
  std::map<log::DeviceKey, AheadAtPeer> own_ahead_at_peer_;
};

// Opens a stored body with the ring's key (no signature check: the entry was verified
// before it was stored). kUnknownEpoch, kDecryptFailed, kBadBody.
Result<proto::Body> OpenStoredBody(const log::EntryHeader& header, const log::Envelope& envelope,
                                   const log::KeyRing& keys);

// A body's kind as `log` shows it (a proposal that names an agreement is a counter).
proto::EntryKind BodyKindOf(const proto::Body& body);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NODE_NODE_H_
