#include "daemon/sync/wire.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "accord/wire.pb.h"
#include "daemon/sync/session.h"

namespace accord::sync {

namespace {

// A feed this long cannot exist (years of writes per second); refusing larger numbers keeps
// `seq + 1` arithmetic in the session far from overflow whatever a peer announces.
constexpr uint64_t kMaxSeq = uint64_t{1} << 48;  // entries per author

constexpr size_t kKeyBytes = std::tuple_size_v<log::DeviceKey>;  // bytes
constexpr size_t kIdBytes = std::tuple_size_v<log::EntryId>;     // bytes

Error Violation(std::string why) { return MakeError(ErrorCode::kInvalidArgument, std::move(why)); }

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Tag + length + bytes of a non-empty `bytes` field (proto3 omits empty ones).
size_t BytesFieldSize(size_t n) { return n == 0 ? 0 : 1 + VarintSize(n) + n; }

template <size_t N>
FixedBytes<N> ToFixed(const std::string& s) {
  FixedBytes<N> out{};
  std::copy(s.begin(), s.end(), out.begin());
  return out;
}

Bytes ToBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string ToString(ByteView b) { return std::string(AsChars(b)); }

Bytes Serialize(const proto::PeerMessage& message) {
  Bytes out(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

void FillWire(const log::Envelope& entry, bool with_body, proto::WireEntry* out) {
  out->set_header(ToString(entry.header));
  if (with_body) out->set_sealed_body(ToString(entry.sealed_body));
  out->set_signature(ToString(entry.signature));
}

// Sizes first: a wrong-sized field is refused before it is copied anywhere.
Result<log::Envelope> FromWire(const proto::WireEntry& wire) {
  if (wire.header().size() != log::kHeaderBytes) {
    return MakeError(ErrorCode::kMalformedEntry,
                     "entry header of " + std::to_string(wire.header().size()) + " bytes");
  }
  if (wire.signature().size() != log::kSignatureBytes) {
    return MakeError(ErrorCode::kMalformedEntry,
                     "entry signature of " + std::to_string(wire.signature().size()) + " bytes");
  }
  if (wire.sealed_body().size() > log::kMaxSealedBodyBytes) {
    return MakeError(
        ErrorCode::kTooLarge,
        "sealed body of " + std::to_string(wire.sealed_body().size()) + " bytes exceeds the cap");
  }
  return log::Envelope{ToBytes(wire.header()), ToBytes(wire.sealed_body()),
                       ToBytes(wire.signature())};
}

Result<HelloMsg> FromHello(const proto::SyncHello& hello) {
  if (hello.protocol() != kProtocolVersion) {
    return Violation("unsupported sync protocol " + std::to_string(hello.protocol()));
  }
  HelloMsg out;
  for (const proto::FeedHeadMsg& head : hello.heads()) {
    if (head.author().size() != kKeyBytes) return Violation("hello names a malformed author");
    if (head.seq() > kMaxSeq) return Violation("hello announces an impossible seq");
    if (head.seq() == 0) {
      if (!head.head_id().empty() && head.head_id().size() != kIdBytes) {
        return Violation("hello has a malformed head id");
      }
      continue;  // an empty feed tells us nothing
    }
    if (head.head_id().size() != kIdBytes) return Violation("hello has a malformed head id");
    auto [it, inserted] =
        out.heads.try_emplace(ToFixed<kKeyBytes>(head.author()),
                              log::FeedHead{head.seq(), ToFixed<kIdBytes>(head.head_id())});
    if (!inserted) return Violation("hello names an author twice");
  }
  return out;
}

Result<BatchMsg> FromBatch(const proto::EntryBatch& batch) {
  // The count first: nothing below may be sized by a count past the cap.
  if (static_cast<size_t>(batch.entries_size()) > kMaxEntriesPerBatch) {
    return MakeError(ErrorCode::kTooLarge,
                     "batch of " + std::to_string(batch.entries_size()) + " entries");
  }
  BatchMsg out;
  out.batch_id = batch.batch_id();
  out.total_behind = batch.total_behind();
  out.entries.reserve(batch.entries_size());
  out.headers.reserve(batch.entries_size());
  for (const proto::WireEntry& wire : batch.entries()) {
    Result<log::Envelope> entry = FromWire(wire);
    if (!entry.ok()) return entry.error();
    Result<log::EntryHeader> header = log::DecodeHeader(entry->header);
    if (!header.ok()) return header.error();
    if (header->seq > kMaxSeq) return Violation("entry with an impossible seq");
    out.entries.push_back(std::move(*entry));
    out.headers.push_back(*header);
  }
  return out;
}

Result<BodyRequestMsg> FromBodyRequest(const proto::BodyRequest& request) {
  if (static_cast<size_t>(request.entry_ids_size()) > kMaxBodyRequestIds) {
    return MakeError(ErrorCode::kTooLarge,
                     "body request for " + std::to_string(request.entry_ids_size()) + " entries");
  }
  BodyRequestMsg out;
  std::set<log::EntryId> seen;
  for (const std::string& id : request.entry_ids()) {
    if (id.size() != kIdBytes) return Violation("body request names a malformed id");
    if (!seen.insert(ToFixed<kIdBytes>(id)).second) return Violation("body request repeats an id");
    out.ids.push_back(ToFixed<kIdBytes>(id));
  }
  return out;
}

Result<BodyReplyMsg> FromBodyReply(const proto::BodyReply& reply) {
  if (static_cast<size_t>(reply.entries_size()) > kMaxEntriesPerBatch) {
    return MakeError(ErrorCode::kTooLarge,
                     "body reply of " + std::to_string(reply.entries_size()) + " entries");
  }
  BodyReplyMsg out;
  for (const proto::WireEntry& wire : reply.entries()) {
    Result<log::Envelope> entry = FromWire(wire);
    if (!entry.ok()) return entry.error();
    if (entry->sealed_body.empty()) return Violation("body reply without a body");
    out.ids.push_back(log::ComputeEntryId(entry->header));
    out.entries.push_back(std::move(*entry));
  }
  return out;
}

std::string Printable(const std::string& reason) {
  std::string out = reason.substr(0, kMaxCloseReasonBytes);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';  // the edge logs this: no control characters
  }
  return out;
}

}  // namespace

Result<PeerMsg> DecodePeerMessage(ByteView plaintext) {
  if (plaintext.size() > kMaxPeerMessageBytes) {
    return MakeError(ErrorCode::kTooLarge,
                     "message of " + std::to_string(plaintext.size()) + " bytes");
  }
  proto::PeerMessage message;
  if (!message.ParseFromArray(plaintext.data(), static_cast<int>(plaintext.size()))) {
    return Violation("message does not parse");
  }
  switch (message.kind_case()) {
    case proto::PeerMessage::kHello: {
      Result<HelloMsg> hello = FromHello(message.hello());
      if (!hello.ok()) return hello.error();
      return PeerMsg(std::move(*hello));
    }
    case proto::PeerMessage::kBatch: {
      Result<BatchMsg> batch = FromBatch(message.batch());
      if (!batch.ok()) return batch.error();
      return PeerMsg(std::move(*batch));
    }
    case proto::PeerMessage::kAck:
      return PeerMsg(AckMsg{message.ack().batch_id()});
    case proto::PeerMessage::kFork: {
      Result<log::Envelope> existing = FromWire(message.fork().existing());
      if (!existing.ok()) return existing.error();
      Result<log::Envelope> conflicting = FromWire(message.fork().conflicting());
      if (!conflicting.ok()) return conflicting.error();
      return PeerMsg(ForkMsg{std::move(*existing), std::move(*conflicting)});
    }
    case proto::PeerMessage::kClose:
      return PeerMsg(CloseMsg{Printable(message.close().reason())});
    case proto::PeerMessage::kKeepalive:
      return PeerMsg(KeepaliveMsg{});
    case proto::PeerMessage::kBodyRequest: {
      Result<BodyRequestMsg> request = FromBodyRequest(message.body_request());
      if (!request.ok()) return request.error();
      return PeerMsg(std::move(*request));
    }
    case proto::PeerMessage::kBodyReply: {
      Result<BodyReplyMsg> reply = FromBodyReply(message.body_reply());
      if (!reply.ok()) return reply.error();
      return PeerMsg(std::move(*reply));
    }
    case proto::PeerMessage::KIND_NOT_SET:
      break;
  }
  return Violation("message of no known kind");
}

Bytes EncodeHello(const std::map<log::DeviceKey, log::FeedHead>& heads) {
  proto::PeerMessage message;
  proto::SyncHello* hello = message.mutable_hello();
  hello->set_protocol(kProtocolVersion);
  for (const auto& [author, head] : heads) {
    if (head.seq == 0) continue;
    proto::FeedHeadMsg* h = hello->add_heads();
    h->set_author(ToString(author));
    h->set_seq(head.seq);
    h->set_head_id(ToString(head.id));
  }
  return Serialize(message);
}

Bytes EncodeBatch(uint64_t batch_id, const std::vector<log::Envelope>& entries,
                  uint64_t total_behind) {
  proto::PeerMessage message;
  proto::EntryBatch* batch = message.mutable_batch();
  batch->set_batch_id(batch_id);
  batch->set_total_behind(total_behind);
  for (const log::Envelope& entry : entries) FillWire(entry, true, batch->add_entries());
  // May exceed kMaxPeerMessageBytes for a caller that did not pack by EntryCost; the session
  // checks before sending.
  return Serialize(message);
}

Bytes EncodeKeepalive() {
  proto::PeerMessage message;
  message.mutable_keepalive();
  return Serialize(message);
}

Bytes EncodeAck(uint64_t batch_id) {
  proto::PeerMessage message;
  message.mutable_ack()->set_batch_id(batch_id);
  return Serialize(message);
}

Bytes EncodeBodyRequest(const std::vector<log::EntryId>& ids) {
  proto::PeerMessage message;
  for (const log::EntryId& id : ids) message.mutable_body_request()->add_entry_ids(ToString(id));
  if (ids.empty()) message.mutable_body_request();
  return Serialize(message);
}

Bytes EncodeBodyReply(const std::vector<log::Envelope>& entries) {
  proto::PeerMessage message;
  proto::BodyReply* reply = message.mutable_body_reply();
  for (const log::Envelope& entry : entries) FillWire(entry, true, reply->add_entries());
  return Serialize(message);
}

Bytes EncodeFork(const log::Envelope& existing, const log::Envelope& conflicting) {
  proto::PeerMessage message;
  FillWire(existing, false, message.mutable_fork()->mutable_existing());
  FillWire(conflicting, false, message.mutable_fork()->mutable_conflicting());
  return Serialize(message);
}

size_t EntryCost(const log::Envelope& entry) {
  const size_t wire = BytesFieldSize(entry.header.size()) +
                      BytesFieldSize(entry.sealed_body.size()) +
                      BytesFieldSize(entry.signature.size());
  return 1 + VarintSize(wire) + wire;
}

bool HasEntrySizes(const log::Envelope& entry) {
  return entry.header.size() == log::kHeaderBytes &&
         entry.signature.size() == log::kSignatureBytes &&
         entry.sealed_body.size() <= log::kMaxSealedBodyBytes;
}

}  // namespace accord::sync
