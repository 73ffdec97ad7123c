// Conversion between PeerMessage bytes (proto/accord/wire.proto) and plain sync structs,
// with every size a peer chooses checked against the hard caps. Pure; any thread.
// Protocol rules (order, windows, what to send) are the session's, not this file's.
#ifndef ACCORD_DAEMON_SYNC_WIRE_H_
#define ACCORD_DAEMON_SYNC_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "daemon/log/author.h"
#include "daemon/log/entry.h"
#include "daemon/log/header.h"

namespace accord::sync {

constexpr uint32_t kProtocolVersion = 1;      // SyncHello.protocol; a change is a new prologue too
constexpr size_t kMaxCloseReasonBytes = 160;  // bytes of a peer's close reason kept for logs
constexpr size_t kMaxBodyRequestIds = 256;    // ids per BodyRequest, checked before copying

// Bytes an EntryBatch adds around its entries inside a PeerMessage, at most: the oneof tag
// and length (1 + 3), batch_id and total_behind (2 x (1 + 10)).
constexpr size_t kBatchFramingBytes = 26;  // bytes

struct HelloMsg {
  std::map<log::DeviceKey, log::FeedHead> heads;  // authors with seq >= 1 only
};
struct BatchMsg {
  uint64_t batch_id = 0;
  std::vector<log::Envelope> entries;
  std::vector<log::EntryHeader> headers;  // decoded entries[i].header (decoding only)
  uint64_t total_behind = 0;
};
struct AckMsg {
  uint64_t batch_id = 0;
};
struct ForkMsg {
  log::Envelope existing;
  log::Envelope conflicting;
};
struct CloseMsg {
  std::string reason;  // printable ASCII, at most kMaxCloseReasonBytes
};
struct KeepaliveMsg {};
struct BodyRequestMsg {
  std::vector<log::EntryId> ids;  // at most kMaxBodyRequestIds, no duplicates
};
struct BodyReplyMsg {
  std::vector<log::Envelope> entries;  // each with its body
  std::vector<log::EntryId> ids;       // ComputeEntryId(entries[i].header)
};
using PeerMsg = std::variant<HelloMsg, BatchMsg, AckMsg, ForkMsg, CloseMsg, KeepaliveMsg,
                             BodyRequestMsg, BodyReplyMsg>;

// Parses one PeerMessage. Checks, in this order and before anything is sized by the peer
// beyond the protobuf parse of the bounded buffer: total size (kTooLarge), parse and known
// kind (kInvalidArgument), protocol version, head field sizes and duplicate authors
// (kInvalidArgument), entry count (kTooLarge), entry field sizes and header structure
// (kMalformedEntry; kTooLarge for a sealed body past the cap). A BodyRequest has at most
// kMaxBodyRequestIds distinct 32-byte ids; a BodyReply's entries carry their bodies.
Result<PeerMsg> DecodePeerMessage(ByteView plaintext);

Bytes EncodeHello(const std::map<log::DeviceKey, log::FeedHead>& heads);
// REQUIRES: the result fits kMaxPeerMessageBytes (sum of EntryCost + kBatchFramingBytes).
Bytes EncodeBatch(uint64_t batch_id, const std::vector<log::Envelope>& entries,
                  uint64_t total_behind);
Bytes EncodeAck(uint64_t batch_id);
Bytes EncodeKeepalive();
// REQUIRES: ids.size() <= kMaxBodyRequestIds.
Bytes EncodeBodyRequest(const std::vector<log::EntryId>& ids);
// REQUIRES: the result fits kMaxPeerMessageBytes (sum of EntryCost + kBatchFramingBytes).
Bytes EncodeBodyReply(const std::vector<log::Envelope>& entries);
// Headers and signatures only: a proof needs no bodies, and stays small.
Bytes EncodeFork(const log::Envelope& existing, const log::Envelope& conflicting);

// Bytes `entry` adds to an EntryBatch (field tag, length and the WireEntry itself).
size_t EntryCost(const log::Envelope& entry);

// Sizes a well-formed envelope must have (header, signature, sealed body cap).
bool HasEntrySizes(const log::Envelope& entry);

}  // namespace accord::sync

#endif  // ACCORD_DAEMON_SYNC_WIRE_H_
