// Integrity of stored entries: whether the bytes a device holds are still exactly what their
// author signed, and whether a copy offered by a peer provably is. Pure; any thread.
// What to do about damage (report, withhold, repair) is the node's and the sync edge's.
#ifndef ACCORD_DAEMON_LOG_INTEGRITY_H_
#define ACCORD_DAEMON_LOG_INTEGRITY_H_

#include <string_view>

#include "daemon/log/entry.h"
#include "daemon/log/header.h"
#include "daemon/log/signatures.h"

namespace accord::log {

enum class Damage {
  kNone,
  kHeader,       // the header no longer hashes to the stored id, or its signature fails
  kBody,         // the sealed body no longer hashes to what the signed header names
  kMissingBody,  // held without its body (a peer could not send it): not readable here
};

// "header", "body", "missing body" (empty for kNone).
std::string_view DamageName(Damage damage);

// The cheap checks, done for every entry when the log is read: the header hashes to the id
// the entry is stored under, and the sealed body (if held) to the header's body hash.
// A body-less entry is kMissingBody; the caller decides whether it expected one.
Damage CheckStoredBytes(const EntryId& stored_id, const EntryHeader& header,
                        const Envelope& envelope);
// CheckStoredBytes plus the signature, whose verdict was computed ahead (signatures.h).
Damage CheckStoredEntry(const EntryId& stored_id, const EntryHeader& header,
                        const Envelope& envelope, SignatureVerdict signature);

// True when `candidate` is a whole, authentic copy of the entry with id `id`: its header
// hashes to `id`, its signature verifies, and its sealed body is present and matches the
// header's body hash. The signed header names the body hash, so this proves the copy good.
bool IsIntactCopy(const EntryId& id, const Envelope& candidate);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_INTEGRITY_H_
