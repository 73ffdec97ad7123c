#include "daemon/log/integrity.h"

#include "crypto/hash.h"
#include "daemon/log/validate.h"

namespace accord::log {

std::string_view DamageName(Damage damage) {
  switch (damage) {
    case Damage::kNone:
      return "";
    case Damage::kHeader:
      return "header";
    case Damage::kBody:
      return "body";
    case Damage::kMissingBody:
      return "missing body";
  }
  return "";
}

Damage CheckStoredBytes(const EntryId& stored_id, const EntryHeader& header,
                        const Envelope& envelope) {
  if (envelope.header.size() != kHeaderBytes || ComputeEntryId(envelope.header) != stored_id) {
    return Damage::kHeader;
  }
  if (envelope.sealed_body.empty() && header.body_len > 0) return Damage::kMissingBody;
  if (envelope.sealed_body.size() != header.body_len ||
      crypto::Blake2b256(envelope.sealed_body) != header.body_hash) {
    return Damage::kBody;
  }
  return Damage::kNone;
}

Damage CheckStoredEntry(const EntryId& stored_id, const EntryHeader& header,
                        const Envelope& envelope, SignatureVerdict signature) {
  if (signature != SignatureVerdict::kValid) return Damage::kHeader;
  return CheckStoredBytes(stored_id, header, envelope);
}

bool IsIntactCopy(const EntryId& id, const Envelope& candidate) {
  Result<EntryHeader> header = DecodeHeader(candidate.header);
  if (!header.ok() || candidate.signature.size() != kSignatureBytes) return false;
  const std::vector<SignatureVerdict> verdict =
      VerifySignatures(std::span<const Envelope>(&candidate, 1), 1);
  return CheckStoredEntry(id, *header, candidate, verdict[0]) == Damage::kNone;
}

}  // namespace accord::log
