// The folded state of a pact: what every device holding the same set of entries derives alike
// (SPEC §3). Plain values, produced by Fold::View(); any thread may read a copy.
// Clock-dependent questions (what is due, who is in space now) live in due.h, not here.
#ifndef ACCORD_DAEMON_STATE_STATE_H_
#define ACCORD_DAEMON_STATE_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/log/header.h"
#include "daemon/state/events.h"
#include "daemon/state/schedule.h"

namespace accord::state {

struct Device {
  log::DeviceKey key{};
  X25519Key x25519{};
  std::string name;
  log::EntryId added_by{};  // the MemberCreated / MemberAdded / DeviceAdded / DeviceRekeyed entry
  bool removed = false;
  // Re-keying (log/rekey.h): the key this one replaces, and the key that replaced this one
  // (the LWW-first re-key of it). A replaced device's feed is frozen; its X25519 key and name
  // live on in its replacement, which is the one dialled and answered.
  std::optional<log::DeviceKey> replaces;
  std::optional<log::DeviceKey> replaced_by;
  friend bool operator==(const Device&, const Device&) = default;
};

struct Member {
  MemberId id{};
  std::string name;
  log::EntryId added_by{};      // the MemberCreated / MemberAdded entry
  std::vector<Device> devices;  // sorted by key
  bool left = false;            // for good: a member who left never counts again
  // MemberAdded.history_from_epoch: 0, or the epoch this member started at without the
  // history before it (epochs.h MayHold).
  uint64_t history_from_epoch = 0;
  friend bool operator==(const Member&, const Member&) = default;
};

// Who wrote an entry and when; common to every listed item.
struct Authored {
  log::EntryId id{};
  MemberId member{};
  log::DeviceKey device{};
  uint64_t lamport = 0;
  int64_t time_ms = 0;  // unix milliseconds, the author's clock
  friend bool operator==(const Authored&, const Authored&) = default;
};

inline Authored AuthoredBy(const Event& e, const MemberId& member) {
  return Authored{e.id, member, e.author, e.lamport, e.time_ms};
}
inline OrderKey KeyOf(const Authored& by) { return OrderKey{by.lamport, by.device, by.id}; }

// An item its own member withdrew (SPEC §6 `retract`): the Retracted entry that counts, and
// its note. A withdrawn item stays in its list (the history keeps it); active views skip it.
struct Withdrawal {
  Authored by;
  std::string note;
  friend bool operator==(const Withdrawal&, const Withdrawal&) = default;
};

struct Need {
  Authored by;
  std::string text;
  std::optional<Withdrawal> withdrawn;  // the LWW-first retract of it by its own member
  friend bool operator==(const Need&, const Need&) = default;
};

struct Boundary {
  Authored by;
  std::string text;
  bool during_space = false;
  std::optional<Withdrawal> withdrawn;  // as Need::withdrawn
  friend bool operator==(const Boundary&, const Boundary&) = default;
};

enum class StanceKind : uint8_t { kAccepted = 1, kDeclined = 2 };

// A member's LWW-latest acceptance or decline of one version. The version's own entry is
// its author's acceptance.
struct Stance {
  MemberId member{};
  StanceKind kind = StanceKind::kAccepted;
  Authored by;  // the entry that set it
  std::string note;
  friend bool operator==(const Stance&, const Stance&) = default;
};

struct Version {
  Authored by;
  std::optional<log::EntryId> parent;  // the version this counters; none for version 1
  std::string text;
  std::optional<Schedule> schedule;
  int64_t review_every_ms = 0;  // milliseconds; 0 = no review cadence
  std::vector<Stance> stances;  // one per member with a stance, sorted by member id
  bool countered = false;       // some other version names this one as its parent
  bool active = false;          // every current member's stance is an acceptance
  int64_t active_since_ms = 0;  // if active: the latest of the version and its acceptances
  friend bool operator==(const Version&, const Version&) = default;
};

enum class AgreementStatus : uint8_t { kPending = 1, kActive = 2, kRetired = 3 };

struct Retirement {
  Authored by;
  std::string note;
  friend bool operator==(const Retirement&, const Retirement&) = default;
};

struct Agreement {
  log::EntryId id{};  // root: the id of version 1
  AgreementStatus status = AgreementStatus::kPending;
  std::vector<Version> versions;              // LWW order; versions[0] is the root
  std::optional<log::EntryId> latest_active;  // the LWW-greatest active version
  // Versions newer (LWW) than latest_active that nobody countered and are not active: two
  // concurrent counters to one version are both here.
  std::vector<log::EntryId> pending;
  std::vector<Retirement> retirements;  // LWW order; any one retires the agreement
  std::vector<log::EntryId> check_ins;  // check-ins about this agreement, LWW order
  // The time of the latest of them that counts and was not withdrawn: its last review (due.h).
  std::optional<int64_t> last_check_in_ms;
  friend bool operator==(const Agreement&, const Agreement&) = default;
};

struct CheckIn {
  Authored by;
  uint32_t feeling = 0;  // 1..5
  std::string note;
  std::optional<log::EntryId> agreement;
  std::optional<Withdrawal> withdrawn;  // as Need::withdrawn; no longer counts as a review
  friend bool operator==(const CheckIn&, const CheckIn&) = default;
};

struct SpaceAck {
  Authored by;
  std::string note;
  friend bool operator==(const SpaceAck&, const SpaceAck&) = default;
};

struct SpaceRequest {
  Authored by;
  int64_t start_ms = 0;     // the request's time (its original time, if carried)
  int64_t duration_ms = 0;  // as asked
  int64_t end_ms = 0;  // start + duration, or the requester's first "back" or retract, if earlier
  std::optional<log::EntryId> ended_by;  // the SpaceBack or Retracted entry that ended it early
  std::string message;
  std::vector<SpaceAck> acks;  // by other members, LWW order
  // The requester's earliest retract made while the request was still open (after any
  // "back"); it ended the request at its time. A retract after the end does not count.
  std::optional<Withdrawal> withdrawn;
  friend bool operator==(const SpaceRequest&, const SpaceRequest&) = default;
};

struct Appreciation {
  Authored by;
  std::string text;
  std::optional<Withdrawal> withdrawn;  // as Need::withdrawn
  friend bool operator==(const Appreciation&, const Appreciation&) = default;
};

// Private: never part of the shared digest.
struct Reflection {
  Authored by;
  std::string text;
  std::optional<log::EntryId> moved_from;  // a copy of this format-1 entry (node_convert.cc)
  friend bool operator==(const Reflection&, const Reflection&) = default;
};

// An author whose feed forked: its entries from `from_seq` on are not folded.
struct FrozenAuthor {
  log::DeviceKey device{};
  uint64_t from_seq = 0;
  friend bool operator==(const FrozenAuthor&, const FrozenAuthor&) = default;
};

// Lists are in LWW order of their entries (members and devices by key), so the whole value
// is a function of the set of entries and the frozen authors.
//
// The live part: what `status`, `agreements`, `space`, `due` and the notifications read. It
// grows with the pact's members, agreements and space requests, not with the years of notes
// and check-ins, and the daemon keeps it apart (Fold::LiveView) so that writing a note or a
// check-in does not make it be derived again.
struct Live {
  std::vector<Member> members;
  std::vector<Agreement> agreements;  // LWW order of their roots
  std::vector<SpaceRequest> space_requests;
  std::vector<FrozenAuthor> frozen;  // sorted by device
  uint64_t epoch = 0;                // the current key epoch (epochs.h); not in the digest
  friend bool operator==(const Live&, const Live&) = default;

  // Lookups by exact id; nullptr when absent. Linear: for callers, not for the fold itself.
  const Member* FindMember(const MemberId& id) const;
  const Agreement* FindAgreement(const log::EntryId& id) const;
  // True for a member who has not left.
  bool IsCurrentMember(const MemberId& id) const;
};

// The whole state: the live part and the history of notes, check-ins and reflections.
struct State : Live {
  std::vector<Need> needs;
  std::vector<Boundary> boundaries;
  std::vector<CheckIn> check_ins;
  std::vector<Appreciation> appreciations;
  std::vector<Reflection> reflections;
  friend bool operator==(const State&, const State&) = default;
};

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_STATE_H_
