// Test factory for fold inputs: entry Bodies as the daemon would write them, turned into
// Events through the real EventFromBody with Lamport clocks and distinct ids.
// Test-only; single thread. Assertions about the fold belong in the *_test.cc files.
#ifndef ACCORD_TESTS_DAEMON_STATE_HISTORY_H_
#define ACCORD_TESTS_DAEMON_STATE_HISTORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/entry.pb.h"
#include "daemon/log/header.h"
#include "daemon/state/events.h"
#include "daemon/state/fold.h"
#include "daemon/state/state.h"

namespace accord::state::testing {

// A deterministic 32-byte key or id for a name ("alice", "alice-laptop").
FixedBytes<32> KeyFor(std::string_view name);

// Writes entries for several devices: seq counts per device, ids are distinct hashes of a
// counter, and each entry's Lamport clock is one above the highest written so far (every
// device has seen everything) unless WriteAt names the clock (concurrent writers).
class History {
 public:
  Event Write(const log::DeviceKey& author, const proto::Body& body, int64_t time_ms = 0);
  Event WriteAt(const log::DeviceKey& author, uint64_t lamport, const proto::Body& body,
                int64_t time_ms = 0);
  // The header the next entry of `author` would get, for decoding tests.
  log::EntryHeader NextHeader(const log::DeviceKey& author, uint64_t lamport, int64_t time_ms);
  log::EntryId NextId() const;

 private:
  std::map<log::DeviceKey, uint64_t> seq_;
  uint64_t max_lamport_ = 0;
  uint64_t counter_ = 0;
};

// A pact folded as it is written: Alice (created) and Bob (added by Alice) to start with.
struct Pact {
  Pact();
  // Writes with the shared History (Lamport = max + 1) and applies to `fold`.
  Event Write(const log::DeviceKey& author, const proto::Body& body, int64_t time_ms = 0);
  // A new member brought in by `by`.
  void AddMember(const log::DeviceKey& by, const log::DeviceKey& device, std::string name);

  log::DeviceKey alice = KeyFor("alice");
  log::DeviceKey bob = KeyFor("bob");
  History history;
  Fold fold;
  std::vector<Event> written;  // everything Write applied, in order
};

proto::Body MemberCreatedBody(const log::DeviceKey& device, std::string name);
proto::Body MemberAddedBody(const log::DeviceKey& device, std::string name);
proto::Body DeviceAddedBody(const log::DeviceKey& device);
proto::Body MemberLeftBody(const MemberId& member);
proto::Body DeviceRemovedBody(const log::DeviceKey& device);
// Sealed keys are fixed stand-ins of the right size: the fold never opens them.
proto::Body EpochStartBody(uint64_t epoch, const std::vector<log::DeviceKey>& recipients);
proto::Body NeedBody(std::string text);
proto::Body BoundaryBody(std::string text, bool during_space = false);
proto::Body ProposalBody(std::string text, int64_t review_every_s = 0);
proto::Body CounterBody(const log::EntryId& agreement, const log::EntryId& parent, std::string text,
                        int64_t review_every_s = 0);
proto::Body AcceptBody(const log::EntryId& agreement, const log::EntryId& version);
proto::Body DeclineBody(const log::EntryId& agreement, const log::EntryId& version,
                        std::string note = "");
proto::Body RetireBody(const log::EntryId& agreement, std::string note = "");
proto::Body CheckInBody(uint32_t feeling, std::optional<log::EntryId> agreement = std::nullopt,
                        std::string note = "");
proto::Body SpaceRequestBody(int64_t duration_s, std::string message = "");
proto::Body SpaceAckBody(const log::EntryId& request, std::string note = "");
proto::Body SpaceBackBody(const log::EntryId& request);
proto::Body AppreciationBody(std::string text);
proto::Body RetractBody(const log::EntryId& target, std::string note = "");
proto::Body ReflectionBody(std::string text);
proto::Body ScheduledProposalBody(std::string text);  // "tue 19:00-21:00" in Europe/Berlin

std::string AsString(const FixedBytes<32>& b);

}  // namespace accord::state::testing

#endif  // ACCORD_TESTS_DAEMON_STATE_HISTORY_H_
