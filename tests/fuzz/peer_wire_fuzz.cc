// Peer wire messages (daemon/sync/wire.h DecodePeerMessage): any bytes a peer sends after the
// channel opens. Invariants: a decoded message is within every cap the header promises, and
// encoding it again decodes to the same message (for a fork: without bodies).
#include <variant>

#include "daemon/sync/session.h"
#include "daemon/sync/wire.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/log_world.h"

namespace {

using accord::Bytes;
namespace fuzz = accord::fuzz;
namespace log = accord::log;
namespace sync = accord::sync;

std::vector<Bytes> Seeds() {
  const fuzz::LogWorld& w = fuzz::World();
  std::map<log::DeviceKey, log::FeedHead> heads;
  for (int i = 0; i < 2; ++i) heads[w.feed.device(i)] = w.log.Head(w.feed.device(i));
  std::vector<log::Envelope> entries;
  for (const log::AuthoredEntry& e : w.held) entries.push_back(e.envelope);
  return {
      sync::EncodeHello(heads),
      sync::EncodeBatch(7, entries, 3),
      sync::EncodeBatch(8, {w.pending[0].envelope}, 0),
      sync::EncodeAck(7),
      sync::EncodeKeepalive(),
      sync::EncodeFork(w.held[2].envelope, w.fork.envelope),
      sync::EncodeBodyRequest({w.held[0].id, w.held[2].id}),
      sync::EncodeBodyReply({w.held[1].envelope}),
  };
}

bool SameHeader(const log::EntryHeader& a, const log::EntryHeader& b) {
  return log::EncodeHeader(a) == log::EncodeHeader(b);
}

void CheckEntries(const std::vector<log::Envelope>& entries) {
  for (const log::Envelope& e : entries) {
    fuzz::Check(sync::HasEntrySizes(e), "decoded entry outside the entry sizes");
  }
}

// Re-encodes `msg` and decodes it again: the same message must come back.
void CheckRoundTrip(const sync::PeerMsg& msg) {
  Bytes again;
  if (const auto* hello = std::get_if<sync::HelloMsg>(&msg)) {
    again = sync::EncodeHello(hello->heads);
  } else if (const auto* batch = std::get_if<sync::BatchMsg>(&msg)) {
    fuzz::Check(batch->entries.size() <= sync::kMaxEntriesPerBatch, "batch past the cap");
    fuzz::Check(batch->headers.size() == batch->entries.size(), "a header per entry");
    CheckEntries(batch->entries);
    for (size_t i = 0; i < batch->entries.size(); ++i) {
      accord::Result<log::EntryHeader> h = log::DecodeHeader(batch->entries[i].header);
      fuzz::Check(h.ok() && SameHeader(*h, batch->headers[i]), "batch header differs");
      const auto encoded = log::EncodeHeader(*h);
      fuzz::Check(std::equal(encoded.begin(), encoded.end(), batch->entries[i].header.begin()),
                  "entry header does not re-encode to its bytes");
    }
    again = sync::EncodeBatch(batch->batch_id, batch->entries, batch->total_behind);
  } else if (const auto* ack = std::get_if<sync::AckMsg>(&msg)) {
    again = sync::EncodeAck(ack->batch_id);
  } else if (const auto* fork = std::get_if<sync::ForkMsg>(&msg)) {
    CheckEntries({fork->existing, fork->conflicting});
    again = sync::EncodeFork(fork->existing, fork->conflicting);
  } else if (const auto* close = std::get_if<sync::CloseMsg>(&msg)) {
    fuzz::Check(close->reason.size() <= sync::kMaxCloseReasonBytes, "close reason past the cap");
    for (char c : close->reason) fuzz::Check(c >= 0x20 && c <= 0x7e, "close reason unprintable");
    return;  // no encoder: the edge writes Close itself
  } else if (std::holds_alternative<sync::KeepaliveMsg>(msg)) {
    again = sync::EncodeKeepalive();
  } else if (const auto* request = std::get_if<sync::BodyRequestMsg>(&msg)) {
    fuzz::Check(request->ids.size() <= sync::kMaxBodyRequestIds, "body request past the cap");
    again = sync::EncodeBodyRequest(request->ids);
  } else if (const auto* reply = std::get_if<sync::BodyReplyMsg>(&msg)) {
    CheckEntries(reply->entries);
    fuzz::Check(reply->ids.size() == reply->entries.size(), "an id per body reply entry");
    for (size_t i = 0; i < reply->entries.size(); ++i) {
      fuzz::Check(!reply->entries[i].sealed_body.empty(), "body reply entry without a body");
      fuzz::Check(reply->ids[i] == log::ComputeEntryId(reply->entries[i].header),
                  "body reply id is not the header's");
    }
    again = sync::EncodeBodyReply(reply->entries);
  }
  if (again.size() > sync::kMaxPeerMessageBytes) return;  // a larger re-encoding is refused
  accord::Result<sync::PeerMsg> decoded = sync::DecodePeerMessage(again);
  fuzz::Check(decoded.ok(), "re-encoded message does not decode");
  fuzz::Check(decoded->index() == msg.index(), "re-encoded message changed kind");
  if (const auto* hello = std::get_if<sync::HelloMsg>(&msg)) {
    const auto& back = std::get<sync::HelloMsg>(*decoded).heads;
    fuzz::Check(back.size() == hello->heads.size(), "hello heads changed");
    for (const auto& [author, head] : hello->heads) {
      auto it = back.find(author);
      fuzz::Check(it != back.end() && it->second.seq == head.seq && it->second.id == head.id,
                  "hello head changed");
    }
  } else if (const auto* batch = std::get_if<sync::BatchMsg>(&msg)) {
    const auto& back = std::get<sync::BatchMsg>(*decoded);
    fuzz::Check(back.batch_id == batch->batch_id && back.total_behind == batch->total_behind &&
                    back.entries == batch->entries,
                "batch changed");
  } else if (const auto* ack = std::get_if<sync::AckMsg>(&msg)) {
    fuzz::Check(std::get<sync::AckMsg>(*decoded).batch_id == ack->batch_id, "ack changed");
  } else if (const auto* fork = std::get_if<sync::ForkMsg>(&msg)) {
    const auto& back = std::get<sync::ForkMsg>(*decoded);
    fuzz::Check(back.existing.header == fork->existing.header &&
                    back.existing.signature == fork->existing.signature &&
                    back.conflicting.header == fork->conflicting.header &&
                    back.conflicting.signature == fork->conflicting.signature &&
                    back.existing.sealed_body.empty() && back.conflicting.sealed_body.empty(),
                "fork changed");
  } else if (const auto* request = std::get_if<sync::BodyRequestMsg>(&msg)) {
    fuzz::Check(std::get<sync::BodyRequestMsg>(*decoded).ids == request->ids,
                "body request changed");
  } else if (const auto* reply = std::get_if<sync::BodyReplyMsg>(&msg)) {
    const auto& back = std::get<sync::BodyReplyMsg>(*decoded);
    fuzz::Check(back.entries == reply->entries && back.ids == reply->ids, "body reply changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::World();
  fuzz::WriteSeedsIfAsked("peer_wire", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ResetRandom(size);
  accord::Result<sync::PeerMsg> msg = sync::DecodePeerMessage(accord::ByteView(data, size));
  if (!msg.ok()) {
    const accord::ErrorCode code = msg.code();
    fuzz::Check(code == accord::ErrorCode::kInvalidArgument ||
                    code == accord::ErrorCode::kTooLarge ||
                    code == accord::ErrorCode::kMalformedEntry,
                "DecodePeerMessage: an error code its contract does not list");
    return 0;
  }
  CheckRoundTrip(*msg);
  return 0;
}
