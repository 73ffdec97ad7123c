// What pairing hands over: device records (who is on the other end) and the pact bundle (what
// the joiner receives), with the limits both sides enforce. Any thread; pure.
// Wire encodings live in messages.h; turning records into log entries is the daemon's job.
#ifndef ACCORD_DAEMON_PAIRING_RECORDS_H_
#define ACCORD_DAEMON_PAIRING_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/text.h"
#include "crypto/dh.h"
#include "crypto/secret.h"
#include "daemon/log/header.h"

namespace accord::pairing {

constexpr size_t kMaxNameBytes = accord::kMaxNameBytes;  // bytes of UTF-8 in a display name
constexpr size_t kMaxMemberDevices = 32;    // device keys of one member in the inviter's record
constexpr size_t kMaxEpochKeys = 128;       // epoch keys in one bundle (keeps it under 8 KiB)
constexpr size_t kMaxPactDevices = 32;      // other devices in one bundle (still under 8 KiB)
constexpr size_t kMaxPersonKeys = 16;       // person key generations in a device bundle (+1 KiB)
constexpr size_t kMaxRestatedEntries = 64;  // control entries restated to a newcomer
constexpr size_t kMaxRestatedBytes = 6144;  // their bodies' bytes in all (the bundle < 16 KiB)

// What an invitation adds: a new person, or another device of the inviting member (SPEC §4
// "Several devices per person"). Bound into the inviter's record signature (protocol.h).
enum class InviteKind : uint8_t { kPerson = 0, kDevice = 1 };

// What a new person will read of the pact (SPEC §6 "invite into a pact of two or more",
// docs/pairing.md "Newcomers without history"), told in the inviter's record so that the
// joiner's consent prompt says it too.
enum class HistoryShare : uint8_t {
  kWhole = 0,   // a pact of one: everything its member wrote (and device invitations)
  kNone = 1,    // a pact of two or more: only what is written from the newcomer's epoch on
  kShared = 2,  // a pact of two or more whose inviter gave --share-history: everything
};

struct DeviceRecord {
  log::DeviceKey signing{};
  crypto::DhPublicKey x25519{};
  std::string name;
  // The sender's member's devices, ascending, including `signing`. The joiner is a new person
  // with one device, so for the joiner this is just {signing}.
  std::vector<log::DeviceKey> member_devices;
  // The joiner's sync port, so that the inviter can dial it too (with the address it saw).
  uint16_t listen_port = 0;
  // The inviter's: what its invitation adds. A joiner's record is always kPerson.
  InviteKind kind = InviteKind::kPerson;
  // The inviter's, for kPerson: what the new person will read. kWhole for anything else.
  HistoryShare history = HistoryShare::kWhole;
};

// A control entry's body, handed to a newcomer who receives the entry header-only
// (HistoryShare::kNone). The inviter vouches for it over the paired channel, as it does for
// the bundle's devices; the header that arrives by sync must name the same author.
struct RestatedEntry {
  log::EntryId id{};
  log::DeviceKey author{};
  Bytes body;  // a serialized proto::Body of a control kind
};

// A device of the pact other than the two pairing ones, as the inviter's log names it.
struct PactDevice {
  log::DeviceKey signing{};
  crypto::DhPublicKey x25519{};
};

// Move-only: it holds the pact's epoch keys.
struct PactBundle {
  log::PactId pact{};
  std::vector<std::pair<uint64_t, crypto::SecretKey>> epoch_keys;  // ascending epochs
  log::DeviceKey inviter_member{};
  std::string inviter_name;
  // The pact's other devices: without them a joiner let in by a second member could not
  // accept the entries of the members it has not met (their keys name no device it knows).
  std::vector<PactDevice> devices;  // ascending signing keys, distinct, 0..kMaxPactDevices
  InviteKind kind = InviteKind::kPerson;
  // kDevice only: the inviting member's person key generations, ascending, 1..kMaxPersonKeys.
  // A new person never receives them (CheckBundle refuses a person bundle that has any).
  std::vector<std::pair<uint64_t, crypto::SecretKey>> person_keys;
  // HistoryShare::kNone: ascending distinct ids, 1..kMaxRestatedEntries, bodies non-empty and
  // kMaxRestatedBytes in all; the bundle then carries one epoch key. kDevice: what was
  // restated to the inviting member, if it came without history (else none).
  std::vector<RestatedEntry> restated;
};

// accord::CheckName (base/text.h), the rule `init` applies too. kInvalidArgument.
Status CheckName(std::string_view name);

// A usable bundle: non-zero pact id and member, 1..kMaxEpochKeys keys with strictly ascending
// epochs, a valid inviter name, 0..kMaxPactDevices devices with distinct, non-zero, ascending
// keys; for kDevice 1..kMaxPersonKeys person keys with strictly ascending generations, for
// kPerson none at all; restated entries as PactBundle::restated says.
// kInvalidArgument.
Status CheckBundle(const PactBundle& bundle);
// Whether a person `bundle` gives what a record announcing `history` promised: restated
// control entries and one epoch key for kNone, no restated entries otherwise (a device bundle
// always passes). kRefused.
Status CheckBundleHistory(const PactBundle& bundle, HistoryShare history);

// Ascending, distinct, 1..kMaxMemberDevices keys, none all-zero. kInvalidArgument.
Status CheckMemberDevices(const std::vector<log::DeviceKey>& devices);

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_RECORDS_H_
