// Fork proofs relayed by a peer (SPEC §3): checking that two envelopes prove a fork, and what
// of such a proof this device records. Pure; any thread. Storing the proof and freezing the
// feed are the node's; proofs found while validating a batch are validate.h's.
#ifndef ACCORD_DAEMON_LOG_FORK_PROOF_H_
#define ACCORD_DAEMON_LOG_FORK_PROOF_H_

#include <cstdint>
#include <optional>

#include "base/result.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/validate.h"

namespace accord::log {

// A checked claim: `first` and `second` are authentic headers of `author` at `seq`.
struct ForkClaim {
  DeviceKey author{};
  uint64_t seq = 0;
  EntryId first_id{};
  EntryId second_id{};
};

// Both headers decode, name one author at one seq of `pact`, differ, and carry signatures
// that verify under that author. kMalformedEntry for a malformed or non-conflicting pair,
// kBadSignature if either signature fails.
Result<ForkClaim> CheckForkProof(const Envelope& first, const Envelope& second, const PactId& pact);

// The proof to record for `claim`, given the id this device holds at (author, seq) and
// whether that author's feed is frozen here already. The side held becomes the existing one.
// nullopt when there is nothing to record: neither side is held (the entries themselves will
// reveal the fork), or the feed is frozen. A recorded proof newly freezes the feed.
std::optional<ForkProof> ForkProofToRecord(const ForkClaim& claim, const Envelope& first,
                                           const Envelope& second,
                                           const std::optional<EntryId>& held, bool frozen);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_FORK_PROOF_H_
