// The entry header: a fixed big-endian binary layout, signed by its author and stored and
// relayed as exactly those bytes (docs/log-format.md). Pure; any thread.
// Validation against the rest of the log lives in validate.h, not here.
#ifndef ACCORD_DAEMON_LOG_HEADER_H_
#define ACCORD_DAEMON_LOG_HEADER_H_

#include <cstdint>

#include "base/bytes.h"
#include "base/result.h"

namespace accord::log {

using PactId = FixedBytes<16>;
using DeviceKey = FixedBytes<32>;  // author device Ed25519 public key
using EntryId = Hash32;            // BLAKE2b-256 of the header bytes

enum class Scope : uint8_t {
  kShared = 1,   // sealed with the pact epoch key
  kPrivate = 2,  // sealed with the member's person key; never leaves the member's devices
  kControl = 3,  // membership and epochs; sealed with the epoch key
};

constexpr uint8_t kHeaderMagic[4] = {'A', 'C', 'E', '1'};
constexpr size_t kHeaderBytes = 178;             // bytes, fixed
constexpr size_t kHeaderAdBytes = 146;           // bytes of the header bound as AEAD data
constexpr size_t kSignatureBytes = 64;           // bytes, Ed25519
constexpr uint32_t kMaxSealedBodyBytes = 61440;  // bytes, so an entry fits one wire frame

// Offsets of the v1 layout (docs/log-format.md). The body hash is last, so the AEAD data is
// a prefix: the header commits to the sealed body, the sealed body to everything else.
struct HeaderLayout {
  static constexpr size_t kMagic = 0;       // 4
  static constexpr size_t kPact = 4;        // 16
  static constexpr size_t kAuthor = 20;     // 32
  static constexpr size_t kSeq = 52;        // 8
  static constexpr size_t kLamport = 60;    // 8
  static constexpr size_t kPrev = 68;       // 32
  static constexpr size_t kTimeMs = 100;    // 8, unix milliseconds, author's clock
  static constexpr size_t kEpoch = 108;     // 8
  static constexpr size_t kScope = 116;     // 1
  static constexpr size_t kReserved = 117;  // 1, zero
  static constexpr size_t kNonce = 118;     // 24
  static constexpr size_t kBodyLen = 142;   // 4
  static constexpr size_t kBodyHash = 146;  // 32
};

struct EntryHeader {
  PactId pact{};
  DeviceKey author{};
  uint64_t seq = 0;      // 1, 2, 3 ... per author, no gaps
  uint64_t lamport = 0;  // > every lamport the author had seen
  EntryId prev{};        // id of the author's seq-1 entry; zero for seq 1
  int64_t time_ms = 0;   // author's wall clock, unix milliseconds
  uint64_t epoch = 0;    // key epoch (person-key generation for kPrivate)
  Scope scope = Scope::kShared;
  FixedBytes<24> nonce{};
  uint32_t body_len = 0;
  Hash32 body_hash{};
};

FixedBytes<kHeaderBytes> EncodeHeader(const EntryHeader& header);

// Structural checks only: size, magic, reserved byte, known scope, body_len cap,
// seq >= 1, prev zero exactly when seq == 1. kMalformedEntry otherwise.
Result<EntryHeader> DecodeHeader(ByteView bytes);

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_HEADER_H_
