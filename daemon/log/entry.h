// A signed entry as it is stored and relayed: the author's exact bytes (SPEC §3 envelope).
// Plain data; any thread.
#ifndef ACCORD_DAEMON_LOG_ENTRY_H_
#define ACCORD_DAEMON_LOG_ENTRY_H_

#include "base/bytes.h"
#include "daemon/log/header.h"

namespace accord::log {

struct Envelope {
  Bytes header;       // kHeaderBytes, exactly as signed
  Bytes sealed_body;  // XChaCha20-Poly1305 ciphertext of a proto Body (may be erased later)
  Bytes signature;    // kSignatureBytes, Ed25519 by header.author over `header`

  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// BLAKE2b-256 of the header bytes. REQUIRES: header.size() == kHeaderBytes.
EntryId ComputeEntryId(ByteView header);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_ENTRY_H_
