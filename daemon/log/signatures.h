// Signature checks for a whole received batch, ahead of validation and on several threads:
// checking an entry's signature depends on nothing but the entry itself, and it is most of
// what receiving an entry costs (bench/: receive is ~0.75 x raw Ed25519 verify). Validation
// stays in order on the caller's thread and only reads the verdicts. Pure; any thread.
#ifndef ACCORD_DAEMON_LOG_SIGNATURES_H_
#define ACCORD_DAEMON_LOG_SIGNATURES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "daemon/log/entry.h"
#include "daemon/log/header.h"

namespace accord::log {

enum class SignatureVerdict : uint8_t {
  kUnchecked,  // the header or signature is malformed: validation reports that first
  kValid,      // the signature verifies under the header's author over the header bytes
  kInvalid,
};

// Batches smaller than this are checked on the calling thread (a live push is one entry).
constexpr size_t kMinParallelSignatures = 64;
constexpr unsigned kMaxSignatureThreads = 4;  // threads, the caller's included

// One verdict per entry of `batch`, in order. Uses up to `threads` threads (at least one:
// the caller's), each on its own contiguous slice.
std::vector<SignatureVerdict> VerifySignatures(std::span<const Envelope> batch, unsigned threads);
// The same with the headers decoded ahead (where the batch was parsed), so none is decoded
// again here. REQUIRES: headers[i] is DecodeHeader(batch[i].header) for every i.
std::vector<SignatureVerdict> VerifySignatures(std::span<const Envelope> batch,
                                               std::span<const EntryHeader> headers,
                                               unsigned threads);

// The thread count VerifySignatures should use on this machine.
unsigned SignatureThreads();

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_SIGNATURES_H_
