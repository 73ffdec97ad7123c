// Shared by the solo-carry tests (solo_carry_test.cc, solo_carry_property_test.cc): the
// partners' start times, private chain keys, and a writer that writes carried entries into a
// pact as the joiner's node would. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_STATE_SOLO_CARRY_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_STATE_SOLO_CARRY_FIXTURE_H_

#include "daemon/state/solo_carry.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "daemon/log/author.h"
#include "daemon/state/digest.h"
#include "daemon/state/event_from_proto.h"
#include "daemon/state/event_to_proto.h"
#include "daemon/state/fold.h"
#include "tests/daemon/state/history.h"

namespace accord::state::testing {

inline constexpr int64_t kAliceStart = 1'600'000'000'000;  // unix ms: when Alice starts alone
inline constexpr int64_t kBobStart = 1'600'000'500'000;    // unix ms: when Bob starts alone
inline constexpr int64_t kJoinAfter = 86'400'000;          // ms after the last solo entry: pairing

// A device's private chain key in a pact (any distinct key does for the fold).
inline log::DeviceKey ChainOf(const std::string& who) { return KeyFor(who + " private chain"); }

inline proto::Body ChainStartBody(const log::DeviceKey& device) {
  proto::Body b;
  b.mutable_private_chain_start()->set_device_key(AsString(device));
  b.mutable_private_chain_start()->set_binding(std::string(64, 'b'));  // checked at validation
  return b;
}

inline proto::Body ForgetBody(const log::EntryId& reflection) {
  proto::Body b;
  b.mutable_forget()->set_entry_id(AsString(reflection));
  return b;
}

// Writes the copies as the node would (a fresh feed in the pact, Lamport from 1, the header
// at `now_ms`), decoding each through EventFromBody as every device does.
class PactWriter {
 public:
  PactWriter(log::DeviceKey device, log::DeviceKey chain, int64_t now_ms)
      : device_(device), chain_(chain), now_ms_(now_ms) {}

  Result<log::EntryId> operator()(const UserKind& kind, int64_t original_time_ms) {
    proto::Body body = BodyFromKind(ToEventKind(kind));
    body.set_original_time_ms(original_time_ms);
    if (log::ScopeOf(body) == log::Scope::kPrivate && chain_seq_ == 0) {
      Result<log::EntryId> start = Write(chain_, ChainStartBody(device_));
      if (!start.ok()) return start;
    }
    return Write(log::ScopeOf(body) == log::Scope::kPrivate ? chain_ : device_, body);
  }

  std::vector<Event> written;  // the copies, in order (without the chain's start)
  std::vector<Event> all;      // everything written, the chain's start too

 private:
  Result<log::EntryId> Write(const log::DeviceKey& author, const proto::Body& body) {
    log::EntryHeader header;
    header.author = author;
    header.seq = author == chain_ ? ++chain_seq_ : ++device_seq_;
    header.lamport = all.size() + 1;
    header.time_ms = now_ms_;
    header.scope = log::ScopeOf(body);
    const log::EntryId id =
        crypto::Blake2b256(AsBytes("carried copy " + std::to_string(all.size())));
    Result<Event> event = EventFromBody(header, id, body);
    if (!event.ok()) return event.error();
    all.push_back(*event);
    if (!std::holds_alternative<PrivateChainStarted>(event->kind)) written.push_back(*event);
    return id;
  }

  log::DeviceKey device_, chain_;
  int64_t now_ms_;
  uint64_t device_seq_ = 0, chain_seq_ = 0;
};

inline CarryWriter WriterFor(PactWriter& w) {
  return [&w](const UserKind& kind, int64_t t) { return w(kind, t); };
}

}  // namespace accord::state::testing

#endif  // ACCORD_TESTS_DAEMON_STATE_SOLO_CARRY_FIXTURE_H_
