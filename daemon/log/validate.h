// Validation of one received envelope against the log (SPEC §3, SECURITY §5.3): structure,
// pact, signature, body hash, feed state, chain, key, decryption, body. Pure; any thread.
// Batches and the overlay of not-yet-stored entries are in ingest.h; storage is not here.
#ifndef ACCORD_DAEMON_LOG_VALIDATE_H_
#define ACCORD_DAEMON_LOG_VALIDATE_H_

#include <cstdint>
#include <optional>

#include "accord/entry.pb.h"
#include "base/result.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/key_ring.h"
#include "daemon/log/log_view.h"
#include "daemon/log/signatures.h"

namespace accord::log {

// An entry that passed every check, with its decrypted body (plaintext: keep it in memory).
struct VerifiedEntry {
  EntryId id{};
  EntryHeader header;
  Envelope envelope;
  proto::Body body;  // empty (no kind) for a withheld private entry
};

// Two validly signed entries by `author` at `seq` with different ids. The existing entry is
// named by id (the store holds its bytes); the conflicting one travels whole, so the pair
// can be kept and passed on as a self-contained proof.
struct ForkProof {
  DeviceKey author{};
  uint64_t seq = 0;
  EntryId existing_id{};
  EntryId conflicting_id{};
  Envelope conflicting;
};

struct Validation {
  enum class Outcome {
    kNew,        // `entry` is set: the author's next entry, ready to store
    kDuplicate,  // the same entry is already held; nothing to do
    kFork,       // `fork` is set: the author equivocated at an occupied seq
  };
  Outcome outcome = Outcome::kNew;
  std::optional<VerifiedEntry> entry;
  std::optional<ForkProof> fork;
};

// Checks `envelope` in this order, each failure with its own code: sizes and header
// structure (kTooLarge for a sealed body past the cap, else kMalformedEntry), pact
// (kWrongPact), signature (kBadSignature), body hash (kBodyHashMismatch), frozen author
// (kFrozenAuthor), known device (kUnknownAuthor), seq and prev against the view's head
// (kSeqGap, kPrevMismatch; duplicate and fork are outcomes, not errors), epoch key
// (kUnknownEpoch), AEAD open (kDecryptFailed), body parse and scope (kBadBody).
// kInternal if the view claims a head but has no id below it.
// An entry whose body was withheld: header and signature only. Another member's private
// entries always travel so; any other entry does when the sender's copy of its body is
// damaged or missing (it is then fetched from a peer that holds it whole: integrity.h).
// It is validated as far as the chain goes; its body is empty.
bool IsWithheld(const EntryHeader& header, const Envelope& envelope);

// A body that vouches for keys must carry a valid binding, whoever wrote it, so a known
// device cannot claim another device's private chain (private_chain.h) or to be another
// device's new key (rekey.h); a re-key is also its key's first entry. kBadBody otherwise; Ok
// for every other kind. ValidateEntry checks it for every entry it opens; the node before it
// folds one (a repaired or stored body too).
Status CheckBindings(const EntryHeader& header, const proto::Body& body, const PactId& pact);

// Opens an entry's sealed body with the ring's key and parses it into `body` (no signature
// or chain check). kUnknownEpoch, kDecryptFailed, kBadBody (does not parse, no known kind, or
// a kind outside the header's scope).
Status OpenEntryBody(const EntryHeader& header, const Envelope& envelope, const KeyRing& keys,
                     proto::Body& body);

Result<Validation> ValidateEntry(const Envelope& envelope, const PactId& pact, const LogView& view,
                                 const KeyRing& keys);
// The same checks in the same order, with the signature's verdict computed ahead
// (signatures.h); kUnchecked verifies here.
Result<Validation> ValidateEntry(const Envelope& envelope, const PactId& pact, const LogView& view,
                                 const KeyRing& keys, SignatureVerdict signature);
// The same checks in the same order on a header decoded ahead (where the batch was parsed),
// so it is not decoded again. REQUIRES: `header` is DecodeHeader(envelope.header).
Result<Validation> ValidateEntry(const Envelope& envelope, const EntryHeader& header,
                                 const PactId& pact, const LogView& view, const KeyRing& keys,
                                 SignatureVerdict signature);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_VALIDATE_H_
