#include "daemon/log/ingest.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace accord::log {

namespace {

constexpr size_t kAuthorHexBytes = 8;  // bytes of the author key shown in error messages

// The view as it would be after storing the batch's accepted entries so far.
class OverlayView : public LogView {
 public:
  explicit OverlayView(const LogView& base) : base_(base) {}

  FeedHead Head(const DeviceKey& author) const override {
    auto it = feeds_.find(author);
    return it == feeds_.end() ? base_.Head(author) : it->second.head;
  }

  std::optional<EntryId> IdAt(const DeviceKey& author, uint64_t seq) const override {
    auto it = feeds_.find(author);
    if (it != feeds_.end() && seq > it->second.base_seq) {
      const uint64_t index = seq - it->second.base_seq - 1;
      if (index < it->second.added.size()) return it->second.added[index];
      return std::nullopt;
    }
    return base_.IdAt(author, seq);
  }

  bool IsFrozen(const DeviceKey& author) const override {
    return frozen_.contains(author) || base_.IsFrozen(author);
  }

  bool IsKnownDevice(const DeviceKey& device) const override {
    return known_.contains(device) || base_.IsKnownDevice(device);
  }

  // REQUIRES: `entry` is the author's next entry in this view.
  void Append(const VerifiedEntry& entry) {
    auto [it, inserted] = feeds_.try_emplace(entry.header.author);
    if (inserted) {
      it->second.head = base_.Head(entry.header.author);
      it->second.base_seq = it->second.head.seq;
    }
    it->second.added.push_back(entry.id);
    it->second.head = FeedHead{entry.header.seq, entry.id};
  }

  void Freeze(const DeviceKey& author) { frozen_.insert(author); }

  void LearnDevice(const std::string& key_bytes) {
    if (key_bytes.size() != std::tuple_size_v<DeviceKey>) return;  // the fold judges these
    DeviceKey key;
    std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
    known_.insert(key);
  }

 private:
  struct Feed {
    uint64_t base_seq = 0;       // the base view's head when the batch first touched it
    std::vector<EntryId> added;  // ids of seq base_seq+1, base_seq+2, ...
    FeedHead head;
  };
  const LogView& base_;
  std::map<DeviceKey, Feed> feeds_;
  std::set<DeviceKey> frozen_;
  std::set<DeviceKey> known_;
};

void LearnDevicesFrom(const VerifiedEntry& entry, OverlayView& overlay) {
  const proto::Body& body = entry.body;
  switch (body.kind_case()) {
    case proto::Body::kMemberCreated:
      overlay.LearnDevice(std::string(entry.header.author.begin(), entry.header.author.end()));
      break;
    case proto::Body::kMemberAdded:
      overlay.LearnDevice(body.member_added().device_key());
      break;
    case proto::Body::kDeviceAdded:
      overlay.LearnDevice(body.device_added().device_key());
      break;
    case proto::Body::kPrivateChainStart:  // validation checked the binding
    case proto::Body::kDeviceRekeyed:
      overlay.LearnDevice(std::string(entry.header.author.begin(), entry.header.author.end()));
      break;
    default:
      break;
  }
}

// "entry 3 of the batch (author 0123456789abcdef, seq 7): <why>"; `header` is null when the
// entry's header does not decode.
Error InContext(size_t index, const EntryHeader* header, const Error& error) {
  std::string where = "entry " + std::to_string(index) + " of the batch";
  if (header != nullptr) {
    where += " (author " + ToHex(ByteView(header->author.data(), kAuthorHexBytes)) + ", seq " +
             std::to_string(header->seq) + ")";
  }
  return MakeError(error.code, where + ": " + error.message);
}

// Every header of `batch`, decoded; nullopt if any does not decode (validation then reports
// the first failure in batch order, as it would without this).
std::optional<std::vector<EntryHeader>> DecodeAll(std::span<const Envelope> batch) {
  std::vector<EntryHeader> headers;
  headers.reserve(batch.size());
  for (const Envelope& envelope : batch) {
    Result<EntryHeader> header = DecodeHeader(envelope.header);
    if (!header.ok()) return std::nullopt;
    headers.push_back(*header);
  }
  return headers;
}

// The batch loop, shared by every IngestBatch. `headers` is empty (each entry's header is
// decoded where it is validated) or holds every entry's decoded header.
Result<IngestPlan> Ingest(std::span<const Envelope> batch, std::span<const EntryHeader> headers,
                          const PactId& pact, const LogView& view, const KeyRing& keys,
                          std::span<const SignatureVerdict> signatures) {
  if (signatures.size() != batch.size()) {
    return MakeError(ErrorCode::kInternal, "signature verdicts do not match the batch");
  }
  if (!headers.empty() && headers.size() != batch.size()) {
    return MakeError(ErrorCode::kInternal, "decoded headers do not match the batch");
  }
  OverlayView overlay(view);
  IngestPlan plan;
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<Validation> checked =
        headers.empty() ? ValidateEntry(batch[i], pact, overlay, keys, signatures[i])
                        : ValidateEntry(batch[i], headers[i], pact, overlay, keys, signatures[i]);
    if (!checked.ok()) {
      // Frozen is checked after the signature and body hash, so this entry is authentic;
      // a peer that has not seen the fork yet keeps relaying the feed, which is no fault.
      if (checked.code() == ErrorCode::kFrozenAuthor) {
        ++plan.frozen_skipped;
        continue;
      }
      if (!headers.empty()) return InContext(i, &headers[i], checked.error());
      Result<EntryHeader> header = DecodeHeader(batch[i].header);
      return InContext(i, header.ok() ? &*header : nullptr, checked.error());
    }
    Validation& v = *checked;
    switch (v.outcome) {
      case Validation::Outcome::kDuplicate:
        ++plan.duplicates;
        break;
      case Validation::Outcome::kFork:
        overlay.Freeze(v.fork->author);
        plan.forks.push_back(std::move(*v.fork));
        break;
      case Validation::Outcome::kNew:
        overlay.Append(*v.entry);
        LearnDevicesFrom(*v.entry, overlay);
        plan.to_store.push_back(std::move(*v.entry));
        break;
    }
  }
  return plan;
}

}  // namespace

Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys) {
  return IngestBatch(batch, pact, view, keys, SignatureThreads());
}

Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               unsigned signature_threads) {
  const std::optional<std::vector<EntryHeader>> headers = DecodeAll(batch);
  if (!headers) {
    return Ingest(batch, {}, pact, view, keys, VerifySignatures(batch, signature_threads));
  }
  return IngestBatch(batch, *headers, pact, view, keys,
                     VerifySignatures(batch, *headers, signature_threads));
}

Result<IngestPlan> IngestBatch(std::span<const Envelope> batch, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               std::span<const SignatureVerdict> signatures) {
  const std::optional<std::vector<EntryHeader>> headers = DecodeAll(batch);
  if (!headers) return Ingest(batch, {}, pact, view, keys, signatures);
  return Ingest(batch, *headers, pact, view, keys, signatures);
}

Result<IngestPlan> IngestBatch(std::span<const Envelope> batch,
                               std::span<const EntryHeader> headers, const PactId& pact,
                               const LogView& view, const KeyRing& keys,
                               std::span<const SignatureVerdict> signatures) {
  if (headers.size() != batch.size()) {
    return MakeError(ErrorCode::kInternal, "decoded headers do not match the batch");
  }
  return Ingest(batch, headers, pact, view, keys, signatures);
}

}  // namespace accord::log
