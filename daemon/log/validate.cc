#include "daemon/log/validate.h"

#include <algorithm>
#include <string>
#include <utility>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/secret.h"
#include "crypto/sign.h"
#include "daemon/log/author.h"
#include "daemon/log/private_chain.h"
#include "daemon/log/rekey.h"

namespace accord::log {

namespace {

Error Fail(ErrorCode code, std::string why) { return MakeError(code, std::move(why)); }

// Sizes first, so nothing below works on lengths a peer chose without a check.
Status CheckBodyCap(const Envelope& envelope) {
  if (envelope.sealed_body.size() > kMaxSealedBodyBytes) {
    return Fail(
        ErrorCode::kTooLarge,
        "sealed body of " + std::to_string(envelope.sealed_body.size()) + " bytes exceeds the cap");
  }
  return Status::Ok();
}

// The envelope's sizes against its decoded header.
Status CheckShape(const EntryHeader& header, const Envelope& envelope) {
  if (envelope.signature.size() != kSignatureBytes) {
    return Fail(ErrorCode::kMalformedEntry, "malformed entry: signature of " +
                                                std::to_string(envelope.signature.size()) +
                                                " bytes, want " + std::to_string(kSignatureBytes));
  }
  // An entry may travel without its body (the chain stays whole: the signed header commits
  // to the withheld ciphertext's hash): another member's private entry always does, and any
  // entry whose body the sender holds damaged or never received (docs/log-format.md).
  if (envelope.sealed_body.empty() && header.body_len > 0) return Status::Ok();
  if (envelope.sealed_body.size() != header.body_len) {
    return Fail(ErrorCode::kMalformedEntry,
                "malformed entry: sealed body of " + std::to_string(envelope.sealed_body.size()) +
                    " bytes, header says " + std::to_string(header.body_len));
  }
  return Status::Ok();
}

bool SignatureVerifies(const EntryHeader& header, const Envelope& envelope) {
  crypto::Signature signature;
  std::copy(envelope.signature.begin(), envelope.signature.end(), signature.begin());
  return crypto::VerifySignature(header.author, envelope.header, signature);
}

// Seq and prev against the author's head. Returns an outcome for duplicates and forks,
// nullopt when the entry is the author's next one.
Result<std::optional<Validation>> CheckChain(const EntryHeader& header, const EntryId& id,
                                             const Envelope& envelope, const LogView& view) {
  const FeedHead head = view.Head(header.author);
  if (header.seq <= head.seq) {
    std::optional<EntryId> held = view.IdAt(header.author, header.seq);
    if (!held) {
      return Fail(ErrorCode::kInternal, "log view has a head at seq " + std::to_string(head.seq) +
                                            " but no entry at seq " + std::to_string(header.seq));
    }
    Validation out;
    if (*held == id) {
      out.outcome = Validation::Outcome::kDuplicate;
    } else {
      out.outcome = Validation::Outcome::kFork;
      out.fork = ForkProof{header.author, header.seq, *held, id, envelope};
    }
    return std::optional<Validation>(std::move(out));
  }
  if (header.seq != head.seq + 1) {
    return Fail(ErrorCode::kSeqGap, "entry seq " + std::to_string(header.seq) +
                                        " leaves a gap after seq " + std::to_string(head.seq));
  }
  if (header.prev != head.id) {
    return Fail(ErrorCode::kPrevMismatch, "entry at seq " + std::to_string(header.seq) +
                                              " does not chain to the author's seq " +
                                              std::to_string(head.seq));
  }
  return std::optional<Validation>();
}

// An author no control entry named may still be a private chain of a known device: its first
// entry (seq 1, whole, opening under a key held here, which for private scope is the person
// key) binds the chain key to that device by the device's own signature. Later entries of
// the chain find their author known (the ingest overlay and the node learn it).
bool StartsPrivateChain(const EntryHeader& header, const Envelope& envelope, const PactId& pact,
                        const LogView& view, const KeyRing& keys) {
  if (header.scope != Scope::kPrivate || header.seq != 1 || IsWithheld(header, envelope))
    return false;
  proto::Body body;
  if (!OpenEntryBody(header, envelope, keys, body).ok()) return false;
  DeviceKey device;
  return BindsPrivateChain(body, pact, header.author, device) && view.IsKnownDevice(device);
}

// An author no control entry named may also be a device's new key after its old one forked:
// its first entry (seq 1, whole, control scope, opening under an epoch key held here) is a
// DeviceRekeyed signed by a known device vouching for the new key (rekey.h).
bool StartsRekeyedFeed(const EntryHeader& header, const Envelope& envelope, const PactId& pact,
                       const LogView& view, const KeyRing& keys) {
  if (header.scope != Scope::kControl || header.seq != 1 || IsWithheld(header, envelope))
    return false;
  proto::Body body;
  if (!OpenEntryBody(header, envelope, keys, body).ok()) return false;
  DeviceKey old_device;
  return BindsRekey(body, pact, header.author, old_device) && view.IsKnownDevice(old_device);
}

// Everything after the body cap and the header's decoding, shared by both ValidateEntry.
Result<Validation> ValidateDecoded(const Envelope& envelope, const EntryHeader& header,
                                   const PactId& pact, const LogView& view, const KeyRing& keys,
                                   SignatureVerdict signature) {
  ACCORD_RETURN_IF_ERROR(CheckShape(header, envelope));

  if (header.pact != pact) return Fail(ErrorCode::kWrongPact, "entry belongs to another pact");
  const bool verifies = signature == SignatureVerdict::kUnchecked
                            ? SignatureVerifies(header, envelope)
                            : signature == SignatureVerdict::kValid;
  if (!verifies) {
    return Fail(ErrorCode::kBadSignature, "entry signature does not verify");
  }
  const bool withheld = IsWithheld(header, envelope);
  if (!withheld && crypto::Blake2b256(envelope.sealed_body) != header.body_hash) {
    return Fail(ErrorCode::kBodyHashMismatch, "sealed body does not match the header's hash");
  }
  if (view.IsFrozen(header.author)) {
    return Fail(ErrorCode::kFrozenAuthor, "author's feed is frozen after a fork");
  }
  if (!view.IsKnownDevice(header.author) &&
      !StartsPrivateChain(header, envelope, pact, view, keys) &&
      !StartsRekeyedFeed(header, envelope, pact, view, keys)) {
    return Fail(ErrorCode::kUnknownAuthor, "author is not a device of this pact");
  }

  const EntryId id = ComputeEntryId(envelope.header);
  Result<std::optional<Validation>> chain = CheckChain(header, id, envelope, view);
  if (!chain.ok()) return chain.error();
  if (chain->has_value()) return std::move(**chain);

  Validation out;
  out.outcome = Validation::Outcome::kNew;
  VerifiedEntry& entry = out.entry.emplace();  // a withheld entry's body stays empty
  entry.id = id;
  entry.header = header;
  entry.envelope = envelope;
  if (!withheld) {
    ACCORD_RETURN_IF_ERROR(OpenEntryBody(header, envelope, keys, entry.body));
    ACCORD_RETURN_IF_ERROR(CheckBindings(header, entry.body, pact));
  }
  return out;
}

}  // namespace

Status CheckBindings(const EntryHeader& header, const proto::Body& body, const PactId& pact) {
  DeviceKey vouching;
  if (body.kind_case() == proto::Body::kPrivateChainStart &&
      !BindsPrivateChain(body, pact, header.author, vouching)) {
    return Fail(ErrorCode::kBadBody, "private chain start whose binding does not verify");
  }
  if (body.kind_case() == proto::Body::kDeviceRekeyed &&
      (header.seq != 1 || !BindsRekey(body, pact, header.author, vouching))) {
    return Fail(ErrorCode::kBadBody,
                "device re-key that is not its key's first entry or whose binding does not verify");
  }
  return Status::Ok();
}

Status OpenEntryBody(const EntryHeader& header, const Envelope& envelope, const KeyRing& keys,
                     proto::Body& body) {
  const crypto::SecretKey* key = keys.KeyFor(header.scope, header.epoch);
  if (key == nullptr) {
    return Fail(ErrorCode::kUnknownEpoch,
                "no key for epoch " + std::to_string(header.epoch) + " of this scope");
  }
  Result<Bytes> plaintext = crypto::OpenBody(
      *key, header.nonce, ByteView(envelope.header.data(), kHeaderAdBytes), envelope.sealed_body);
  if (!plaintext.ok()) {
    return Fail(ErrorCode::kDecryptFailed, "entry body does not open with the epoch key");
  }
  const bool parsed = body.ParseFromArray(plaintext->data(), static_cast<int>(plaintext->size()));
  crypto::Wipe(*plaintext);
  if (!parsed) return Fail(ErrorCode::kBadBody, "entry body does not parse");
  if (body.kind_case() == proto::Body::KIND_NOT_SET) {
    return Fail(ErrorCode::kBadBody, "entry body has no known kind");
  }
  if (ScopeOf(body) != header.scope) {
    return Fail(ErrorCode::kBadBody, "entry body kind does not belong to the header's scope");
  }
  return Status::Ok();
}

bool IsWithheld(const EntryHeader& header, const Envelope& envelope) {
  return envelope.sealed_body.empty() && header.body_len > 0;
}

Result<Validation> ValidateEntry(const Envelope& envelope, const PactId& pact, const LogView& view,
                                 const KeyRing& keys) {
  return ValidateEntry(envelope, pact, view, keys, SignatureVerdict::kUnchecked);
}

Result<Validation> ValidateEntry(const Envelope& envelope, const PactId& pact, const LogView& view,
                                 const KeyRing& keys, SignatureVerdict signature) {
  ACCORD_RETURN_IF_ERROR(CheckBodyCap(envelope));
  Result<EntryHeader> header = DecodeHeader(envelope.header);
  if (!header.ok()) return header.error();
  return ValidateDecoded(envelope, *header, pact, view, keys, signature);
}

Result<Validation> ValidateEntry(const Envelope& envelope, const EntryHeader& header,
                                 const PactId& pact, const LogView& view, const KeyRing& keys,
                                 SignatureVerdict signature) {
  ACCORD_RETURN_IF_ERROR(CheckBodyCap(envelope));
  return ValidateDecoded(envelope, header, pact, view, keys, signature);
}

}  // namespace accord::log
