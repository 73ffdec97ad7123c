// Entry header decode and validation (daemon/log/header.h, validate.h) against a fixed pact:
// a FakeLog holding three entries and a KeyRing with epoch 1 and person key 1 (log_world.h).
// Input: a mode byte, then
//   mode & 1 == 0: header, sealed body and signature chunks, validated as sent (structure,
//     pact, signature, hash, chain: what a peer controls);
//   mode & 1 == 1: a header chunk and a plaintext chunk; the harness seals the plaintext with
//     the ring's key for the header's scope and epoch, fixes length and hash, and signs with
//     device (mode >> 1) % 3, optionally chaining to that author's head (mode & 8) and setting
//     the pact (mode & 16), so the fuzzer reaches the key, decryption, body and binding checks.
// Invariants: a header that decodes re-encodes to its bytes; a kNew entry carries its own id,
// envelope and header, validates again alike, and once held validates as a duplicate; a fork
// names two different ids at the header's seq; errors are validation codes only.
#include <set>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "daemon/log/validate.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/log_world.h"

namespace {

using accord::Bytes;
using accord::ByteView;
using accord::ErrorCode;
namespace fuzz = accord::fuzz;
namespace log = accord::log;

const std::set<ErrorCode> kValidationCodes = {
    ErrorCode::kMalformedEntry, ErrorCode::kWrongPact,        ErrorCode::kTooLarge,
    ErrorCode::kBadSignature,   ErrorCode::kBodyHashMismatch, ErrorCode::kFrozenAuthor,
    ErrorCode::kUnknownAuthor,  ErrorCode::kSeqGap,           ErrorCode::kPrevMismatch,
    ErrorCode::kUnknownEpoch,   ErrorCode::kDecryptFailed,    ErrorCode::kBadBody,
};

Bytes Raw(const log::Envelope& e) {
  Bytes out = {0};
  fuzz::AppendChunk(out, e.header);
  fuzz::AppendChunk(out, e.sealed_body);
  fuzz::AppendChunk(out, e.signature);
  return out;
}

Bytes Resigned(uint8_t mode, const log::AuthoredEntry& e, const accord::proto::Body& body) {
  Bytes out = {mode};
  fuzz::AppendChunk(out, e.envelope.header);
  fuzz::AppendChunk(out, fuzz::Serialize(body));
  return out;
}

std::vector<Bytes> Seeds() {
  const fuzz::LogWorld& w = fuzz::World();
  std::vector<Bytes> seeds = {Raw(w.held[1].envelope), Raw(w.fork.envelope)};
  for (const log::AuthoredEntry& e : w.pending) seeds.push_back(Raw(e.envelope));
  // Device 0 (mode 1 | 0 << 1), device 1 (mode 1 | 1 << 1), chained, in the pact.
  seeds.push_back(Resigned(1 | 8 | 16, w.pending[0], w.pending_bodies[0]));
  seeds.push_back(Resigned(1 | 2 | 8 | 16, w.pending[1], w.pending_bodies[1]));
  seeds.push_back(Resigned(1 | 2 | 8 | 16, w.pending[3], w.pending_bodies[3]));
  const std::vector<accord::proto::Body> bodies = fuzz::SampleBodies(w);
  seeds.push_back(Resigned(1 | 8 | 16, w.pending[0], bodies[10]));  // a control body, shared scope
  return seeds;
}

// A header and plaintext made into a signed, sealed envelope; nullopt if the header does not
// decode (the raw mode covers those).
std::optional<log::Envelope> Sign(const fuzz::LogWorld& w, uint8_t mode, ByteView header_bytes,
                                  ByteView plaintext) {
  accord::Result<log::EntryHeader> decoded = log::DecodeHeader(header_bytes);
  if (!decoded.ok()) return std::nullopt;
  log::EntryHeader h = *decoded;
  const int device = (mode >> 1) % 3;
  h.author = w.feed.device(device);
  if (mode & 8) {
    const log::FeedHead head = w.log.Head(h.author);
    h.seq = head.seq + 1;
    h.prev = head.id;
  }
  if (mode & 16) h.pact = w.feed.pact();
  Bytes sealed(plaintext.begin(), plaintext.end());
  if (const accord::crypto::SecretKey* key = w.feed.keys().KeyFor(h.scope, h.epoch)) {
    h.body_len = static_cast<uint32_t>(plaintext.size() + accord::crypto::kAeadTagBytes);
    const auto ad = log::EncodeHeader(h);
    sealed = accord::crypto::SealBody(*key, h.nonce, ByteView(ad.data(), log::kHeaderAdBytes),
                                      plaintext);
  } else {
    h.body_len = static_cast<uint32_t>(sealed.size());
  }
  if (h.body_len > log::kMaxSealedBodyBytes) return std::nullopt;
  h.body_hash = accord::crypto::Blake2b256(sealed);
  const auto encoded = log::EncodeHeader(h);
  const accord::crypto::Signature sig = w.feed.signing(device).Sign(encoded);
  return log::Envelope{Bytes(encoded.begin(), encoded.end()), std::move(sealed),
                       Bytes(sig.begin(), sig.end())};
}

void CheckHeaderRoundTrip(ByteView bytes) {
  accord::Result<log::EntryHeader> h = log::DecodeHeader(bytes);
  if (!h.ok()) {
    fuzz::Check(h.code() == ErrorCode::kMalformedEntry || h.code() == ErrorCode::kTooLarge,
                "DecodeHeader: unexpected code");
    return;
  }
  const auto encoded = log::EncodeHeader(*h);
  fuzz::Check(bytes.size() == log::kHeaderBytes &&
                  std::equal(encoded.begin(), encoded.end(), bytes.begin()),
              "a decoded header does not re-encode to its bytes");
  fuzz::Check(h->seq >= 1 && (h->seq == 1) == (h->prev == log::EntryId{}),
              "DecodeHeader accepted a seq/prev it must refuse");
}

void CheckValidation(const fuzz::LogWorld& w, const log::Envelope& envelope) {
  const accord::Result<log::Validation> v =
      log::ValidateEntry(envelope, w.feed.pact(), w.log, w.feed.keys());
  if (!v.ok()) {
    fuzz::Explain("invalid: " + v.error().message);
    fuzz::Check(kValidationCodes.contains(v.code()), "ValidateEntry: not a validation code");
    return;
  }
  const log::EntryId id = log::ComputeEntryId(envelope.header);
  fuzz::Explain("outcome " + std::to_string(static_cast<int>(v->outcome)) +
                " (0 new, 1 duplicate, 2 fork)");
  switch (v->outcome) {
    case log::Validation::Outcome::kNew: {
      fuzz::Check(v->entry.has_value() && !v->fork.has_value(), "kNew without its entry");
      const log::VerifiedEntry& e = *v->entry;
      fuzz::Check(e.id == id && e.envelope == envelope, "kNew entry is not the envelope");
      const auto encoded = log::EncodeHeader(e.header);
      fuzz::Check(std::equal(encoded.begin(), encoded.end(), envelope.header.begin()),
                  "kNew header is not the envelope's");
      fuzz::Check(e.header.pact == w.feed.pact(), "kNew entry of another pact");
      fuzz::Check(w.log.IsKnownDevice(e.header.author), "kNew entry by an unknown device");
      fuzz::Check(e.header.seq == w.log.Head(e.header.author).seq + 1, "kNew entry off the chain");
      fuzz::Check(log::IsWithheld(e.header, envelope) ||
                      log::CheckBindings(e.header, e.body, w.feed.pact()).ok(),
                  "kNew body fails its bindings");
      const accord::Result<log::Validation> again =
          log::ValidateEntry(envelope, w.feed.pact(), w.log, w.feed.keys());
      fuzz::Check(again.ok() && again->outcome == log::Validation::Outcome::kNew &&
                      again->entry->body.SerializeAsString() == e.body.SerializeAsString(),
                  "a valid entry does not validate again alike");
      log::testing::FakeLog held = w.log;
      held.Add(log::AuthoredEntry{e.id, e.header, e.envelope});
      const accord::Result<log::Validation> dup =
          log::ValidateEntry(envelope, w.feed.pact(), held, w.feed.keys());
      fuzz::Check(dup.ok() && dup->outcome == log::Validation::Outcome::kDuplicate,
                  "a held entry is not a duplicate");
      break;
    }
    case log::Validation::Outcome::kDuplicate: {
      const accord::Result<log::EntryHeader> h = log::DecodeHeader(envelope.header);
      fuzz::Check(h.ok() && w.log.IdAt(h->author, h->seq) == id, "kDuplicate of nothing held");
      break;
    }
    case log::Validation::Outcome::kFork: {
      fuzz::Check(v->fork.has_value(), "kFork without its proof");
      const log::ForkProof& f = *v->fork;
      fuzz::Check(f.conflicting_id == id && f.existing_id != id &&
                      w.log.IdAt(f.author, f.seq) == f.existing_id && f.conflicting == envelope,
                  "kFork proof does not name the two entries");
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::World();
  fuzz::WriteSeedsIfAsked("entry_validate", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::LogWorld& w = fuzz::World();
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t mode = in.Byte();
  const ByteView header = in.Chunk();
  CheckHeaderRoundTrip(header);
  if ((mode & 1) == 0) {
    const ByteView body = in.Chunk();
    const ByteView signature = in.Chunk();
    CheckValidation(
        w, log::Envelope{Bytes(header.begin(), header.end()), Bytes(body.begin(), body.end()),
                         Bytes(signature.begin(), signature.end())});
    return 0;
  }
  const ByteView plaintext = in.Chunk();
  std::optional<log::Envelope> signed_envelope = Sign(w, mode, header, plaintext);
  if (signed_envelope) CheckValidation(w, *signed_envelope);
  return 0;
}
