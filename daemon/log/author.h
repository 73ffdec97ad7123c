// Writing this device's own entries: seal the body, fill and sign the header, chain it to the
// previous entry. Pure apart from the random nonce; called on the daemon thread, which must
// make the result durable (store) before anyone else sees it.
#ifndef ACCORD_DAEMON_LOG_AUTHOR_H_
#define ACCORD_DAEMON_LOG_AUTHOR_H_

#include <cstdint>

#include "accord/entry.pb.h"
#include "base/result.h"
#include "crypto/sign.h"
#include "daemon/log/entry.h"
#include "daemon/log/key_ring.h"

namespace accord::log {

// The tip of one author's feed: highest contiguous seq and that entry's id (seq 0 = empty).
struct FeedHead {
  uint64_t seq = 0;
  EntryId id{};
};

struct AuthoredEntry {
  EntryId id;
  EntryHeader header;
  Envelope envelope;
};

// Scope an entry of this body kind must have, stated per kind (reflections private,
// membership and epochs control, the rest shared); -Wswitch flags a new kind left out.
Scope ScopeOf(const proto::Body& body);

class Author {
 public:
  // `signing` must outlive the Author.
  Author(const crypto::SigningKey& signing, const PactId& pact, FeedHead head);

  // Seals and signs the next entry: a shared or control body with the key of `epoch` (the
  // caller's choice: state::Epochs::EpochForWrite, or the old epoch for an EpochStart), a
  // private one with the newest person key (`epoch` is not used). `lamport` must exceed every
  // Lamport clock seen so far (the caller tracks that); `time_ms` is the wall clock, read by
  // the caller. kInvalidArgument for an empty body, kUnknownEpoch if `keys` lacks that key,
  // kTooLarge past kMaxSealedBodyBytes. On success the head advances.
  Result<AuthoredEntry> Write(const proto::Body& body, const KeyRing& keys, uint64_t epoch,
                              uint64_t lamport, int64_t time_ms);

  const FeedHead& head() const { return head_; }

 private:
  const crypto::SigningKey& signing_;
  PactId pact_;
  FeedHead head_;
};

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_AUTHOR_H_
