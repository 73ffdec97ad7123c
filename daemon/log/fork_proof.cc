#include "daemon/log/fork_proof.h"

#include <algorithm>

#include "crypto/sign.h"

namespace accord::log {

namespace {

bool SignatureVerifies(const DeviceKey& author, const Envelope& envelope) {
  crypto::Signature signature{};
  if (envelope.signature.size() != signature.size()) return false;
  std::copy(envelope.signature.begin(), envelope.signature.end(), signature.begin());
  return crypto::VerifySignature(author, envelope.header, signature);
}

}  // namespace

Result<ForkClaim> CheckForkProof(const Envelope& first, const Envelope& second,
                                 const PactId& pact) {
  Result<EntryHeader> a = DecodeHeader(first.header);
  Result<EntryHeader> b = DecodeHeader(second.header);
  if (!a.ok() || !b.ok()) return MakeError(ErrorCode::kMalformedEntry, "fork proof headers");
  const size_t signature_bytes = crypto::Signature{}.size();
  if (first.signature.size() != signature_bytes || second.signature.size() != signature_bytes ||
      a->author != b->author || a->seq != b->seq || a->pact != pact ||
      first.header == second.header) {
    return MakeError(ErrorCode::kMalformedEntry, "not a fork proof");
  }
  if (!SignatureVerifies(a->author, first) || !SignatureVerifies(b->author, second)) {
    return MakeError(ErrorCode::kBadSignature, "fork proof signature");
  }
  return ForkClaim{a->author, a->seq, ComputeEntryId(first.header), ComputeEntryId(second.header)};
}

std::optional<ForkProof> ForkProofToRecord(const ForkClaim& claim, const Envelope& first,
                                           const Envelope& second,
                                           const std::optional<EntryId>& held, bool frozen) {
  ForkProof proof;
  proof.author = claim.author;
  proof.seq = claim.seq;
  if (held && *held == claim.second_id) {
    proof.existing_id = claim.second_id;
    proof.conflicting_id = claim.first_id;
    proof.conflicting = first;
  } else if (held && *held == claim.first_id) {
    proof.existing_id = claim.first_id;
    proof.conflicting_id = claim.second_id;
    proof.conflicting = second;
  } else {
    return std::nullopt;
  }
  if (frozen) return std::nullopt;
  return proof;
}

}  // namespace accord::log
