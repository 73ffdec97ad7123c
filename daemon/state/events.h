// One log entry as the fold sees it: plain structs, no protobuf (event_from_proto.h decodes,
// event_to_proto.h encodes). Pure value types; any thread. Meaning lives in fold.h, rules.h.
#ifndef ACCORD_DAEMON_STATE_EVENTS_H_
#define ACCORD_DAEMON_STATE_EVENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "daemon/log/header.h"
#include "daemon/state/schedule.h"

namespace accord::state {

using MemberId = log::DeviceKey;  // the Ed25519 key of the member's first device
using X25519Key = FixedBytes<32>;

// Shared kinds.
struct NeedAdded {
  std::string text;
  friend bool operator==(const NeedAdded&, const NeedAdded&) = default;
};
struct BoundaryAdded {
  std::string text;
  bool during_space = false;
  friend bool operator==(const BoundaryAdded&, const BoundaryAdded&) = default;
};
// A new agreement when `agreement` is empty (its root id is then this entry's id); else a
// counter to `parent` within the agreement whose root is `agreement`.
struct Proposed {
  std::optional<log::EntryId> agreement;
  std::optional<log::EntryId> parent;
  std::string text;
  std::optional<Schedule> schedule;
  int64_t review_every_ms = 0;  // milliseconds; 0 = no review cadence
  friend bool operator==(const Proposed&, const Proposed&) = default;
};
struct Accepted {
  log::EntryId agreement{};
  log::EntryId version{};
  friend bool operator==(const Accepted&, const Accepted&) = default;
};
struct Declined {
  log::EntryId agreement{};
  log::EntryId version{};
  std::string note;
  friend bool operator==(const Declined&, const Declined&) = default;
};
struct Retired {
  log::EntryId agreement{};
  std::string note;
  friend bool operator==(const Retired&, const Retired&) = default;
};
struct SpaceAsked {
  int64_t duration_ms = 0;  // milliseconds, > 0
  std::string message;
  friend bool operator==(const SpaceAsked&, const SpaceAsked&) = default;
};
struct SpaceAcked {
  log::EntryId request{};
  std::string note;
  friend bool operator==(const SpaceAcked&, const SpaceAcked&) = default;
};
struct SpaceEnded {
  log::EntryId request{};
  friend bool operator==(const SpaceEnded&, const SpaceEnded&) = default;
};
struct CheckedIn {
  uint32_t feeling = 0;  // 1..5
  std::string note;
  std::optional<log::EntryId> agreement;
  friend bool operator==(const CheckedIn&, const CheckedIn&) = default;
};
struct Appreciated {
  std::string text;
  friend bool operator==(const Appreciated&, const Appreciated&) = default;
};
// Withdraws one of the author member's own needs, boundaries, appreciations, check-ins or
// open space requests; what counts is the fold's rule (fold.h), not the writer's say-so.
struct Retracted {
  log::EntryId target{};
  std::string note;
  friend bool operator==(const Retracted&, const Retracted&) = default;
};
// Private kind.
struct Reflected {
  std::string text;
  std::optional<log::EntryId> moved_from;  // the format-1 entry it replaces
  friend bool operator==(const Reflected&, const Reflected&) = default;
};
// Control kinds.
// The first entry of a device's private chain: whose chain it is (docs/log-format.md
// "Private chains"). The binding signature was checked when the entry was validated.
struct PrivateChainStarted {
  log::DeviceKey device{};
  Bytes binding;  // 64 bytes
  friend bool operator==(const PrivateChainStarted&, const PrivateChainStarted&) = default;
};
// Erase one of the member's reflections on all their devices.
struct Forgot {
  log::EntryId entry{};
  friend bool operator==(const Forgot&, const Forgot&) = default;
};
struct MemberCreated {
  MemberId member{};  // equals the author device key (checked on decoding)
  std::string name;
  X25519Key device_x25519{};
  std::string device_name;
  friend bool operator==(const MemberCreated&, const MemberCreated&) = default;
};
struct MemberAdded {
  MemberId member{};  // equals `device` (checked on decoding)
  std::string name;
  log::DeviceKey device{};
  X25519Key device_x25519{};
  std::string device_name;
  uint64_t history_from_epoch = 0;  // 0: the whole history; else the epoch it starts at
  friend bool operator==(const MemberAdded&, const MemberAdded&) = default;
};
struct DeviceAdded {
  log::DeviceKey device{};
  X25519Key device_x25519{};
  std::string device_name;
  friend bool operator==(const DeviceAdded&, const DeviceAdded&) = default;
};
// A device's new key, vouched for by its old one after that one's feed forked (log/rekey.h);
// the event's author is the new key. The binding is checked on receipt and before the node
// folds it (log::CheckBindings), not by the pure decoder.
struct DeviceRekeyed {
  log::DeviceKey old_device{};
  Bytes binding;
  friend bool operator==(const DeviceRekeyed&, const DeviceRekeyed&) = default;
};
struct MemberLeft {
  MemberId member{};
  friend bool operator==(const MemberLeft&, const MemberLeft&) = default;
};
struct DeviceRemoved {
  log::DeviceKey device{};
  friend bool operator==(const DeviceRemoved&, const DeviceRemoved&) = default;
};
struct EpochStarted {
  struct Recipient {
    log::DeviceKey device{};
    Bytes sealed_key;
    friend bool operator==(const Recipient&, const Recipient&) = default;
  };
  uint64_t epoch = 0;
  std::vector<Recipient> recipients;
  friend bool operator==(const EpochStarted&, const EpochStarted&) = default;
};

// A new generation of the author's member's person key, one box per remaining device of the
// member (private scope: only that member's devices ever see it).
struct PersonKeyStarted {
  uint64_t generation = 0;
  std::vector<EpochStarted::Recipient> recipients;
  friend bool operator==(const PersonKeyStarted&, const PersonKeyStarted&) = default;
};

using EventKind =
    std::variant<NeedAdded, BoundaryAdded, Proposed, Accepted, Declined, Retired, SpaceAsked,
                 SpaceAcked, SpaceEnded, CheckedIn, Appreciated, Retracted, Reflected,
                 PrivateChainStarted, Forgot, MemberCreated, MemberAdded, DeviceAdded, MemberLeft,
                 DeviceRemoved, EpochStarted, DeviceRekeyed, PersonKeyStarted>;

// What a member's command writes: every shared kind and the private one. Control kinds are
// written by the node alone (init, pairing), never on a request's say-so.
using UserKind =
    std::variant<NeedAdded, BoundaryAdded, Proposed, Accepted, Declined, Retired, SpaceAsked,
                 SpaceAcked, SpaceEnded, CheckedIn, Appreciated, Retracted, Reflected, Forgot>;

inline EventKind ToEventKind(UserKind kind) {
  return std::visit([](auto&& k) { return EventKind(std::move(k)); }, std::move(kind));
}

struct Event {
  log::EntryId id{};
  log::DeviceKey author{};
  uint64_t seq = 0;
  uint64_t lamport = 0;
  // Unix milliseconds: when the entry was written as its views show it. The header's time
  // (the author's clock), or for an entry carried from a solo log its original time.
  int64_t time_ms = 0;
  // The body's original_time_ms, set only on an entry carried from a solo log when two
  // prepared logs were paired (docs/pairing.md); time_ms then equals it.
  std::optional<int64_t> original_time_ms;
  log::Scope scope = log::Scope::kShared;
  EventKind kind;

  friend bool operator==(const Event&, const Event&) = default;
};

// Last-writer-wins order (SPEC §3): Lamport clock, then author key, then entry id. Total,
// because ids are distinct, and the same on every device.
struct OrderKey {
  uint64_t lamport = 0;
  log::DeviceKey author{};
  log::EntryId id{};

  friend bool operator==(const OrderKey&, const OrderKey&) = default;
  friend bool operator<(const OrderKey& a, const OrderKey& b) {
    return std::tie(a.lamport, a.author, a.id) < std::tie(b.lamport, b.author, b.id);
  }
};

inline OrderKey KeyOf(const Event& event) {
  return OrderKey{event.lamport, event.author, event.id};
}

}  // namespace accord::state

#endif  // ACCORD_DAEMON_STATE_EVENTS_H_
