// Batch ingest: validates a received batch in order against the log plus the batch's own
// earlier entries, all or nothing (SECURITY §5.3, §5.6). Pure; any thread.
// Storing the plan (one transaction) is the store's job; membership policy is the fold's.
#ifndef ACCORD_DAEMON_LOG_INGEST_H_
#define ACCORD_DAEMON_LOG_INGEST_H_

#include <cstddef>
#include <span>
#include <vector>

#include "base/result.h"
#include "daemon/log/entry.h"
#include "daemon/log/key_ring.h"
#include "daemon/log/log_view.h"
#include "daemon/log/signatures.h"
#include "daemon/log/validate.h"

namespace accord::log {

struct IngestPlan {
  std::vector<VerifiedEntry> to_store;  // in batch order; each author's run is contiguous
  std::vector<ForkProof> forks;         // store after `to_store`: the existing side may be in it
  size_t duplicates = 0;                // entries already held (or repeated in the batch)
  size_t frozen_skipped = 0;            // authentic entries of a frozen feed, not stored
};

// Validates `batch` entry by entry (validate.h). Within the batch, heads advance as entries
// are accepted, devices named by accepted control bodies (MemberCreated's author,
// MemberAdded.device_key, DeviceAdded.device_key) count as known for later entries, and a
// fork freezes its author: that author's later entries are skipped, as are entries of feeds
// the view already holds frozen. Any other failure rejects the whole batch: the error keeps
// its code and its message names the entry's index, author and seq.
// Signatures are checked ahead on `signature_threads` threads (signatures.h); the default is
// SignatureThreads().
Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys);
Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               unsigned signature_threads);
// With the signatures' verdicts computed ahead (VerifySignatures on this same batch, e.g. on
// another thread while the previous batch was being stored). kInternal if the counts differ.
Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               std::span<const SignatureVerdict> signatures);
// The same with every header decoded ahead (where the batch was parsed), so none is decoded
// again. REQUIRES: headers[i] is DecodeHeader(batch[i].header); kInternal if the counts differ.
// The overloads above decode each header once too, up front; only a batch with a header that
// does not decode is validated decoding entry by entry, so its first failure is reported.
Result<IngestPlan> IngestBatch(std::span<const Envelope> batch,
                               std::span<const EntryHeader> headers, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               std::span<const SignatureVerdict> signatures);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_INGEST_H_
