#include "daemon/log/author.h"

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/secret.h"

namespace accord::log {

Scope ScopeOf(const proto::Body& body) {
  using B = proto::Body;
  switch (body.kind_case()) {
    case B::kNeed:
    case B::kBoundary:
    case B::kProposal:
    case B::kAcceptance:
    case B::kDecline:
    case B::kRetire:
    case B::kSpaceRequest:
    case B::kSpaceAck:
    case B::kSpaceBack:
    case B::kCheckIn:
    case B::kAppreciation:
    case B::kRetract:
      return Scope::kShared;
    case B::kReflection:
    case B::kPrivateChainStart:
    case B::kForget:
    case B::kPersonKeyStart:
      return Scope::kPrivate;
    case B::kMemberCreated:
    case B::kMemberAdded:
    case B::kDeviceAdded:
    case B::kMemberLeft:
    case B::kDeviceRemoved:
    case B::kEpochStart:
    case B::kDeviceRekeyed:
      return Scope::kControl;
    case B::KIND_NOT_SET:
      break;
  }
  return Scope::kShared;  // no kind: Author::Write and the decoders refuse it before asking
}

Author::Author(const crypto::SigningKey& signing, const PactId& pact, FeedHead head)
    : signing_(signing), pact_(pact), head_(head) {}

Result<AuthoredEntry> Author::Write(const proto::Body& body, const KeyRing& keys,
                                    uint64_t shared_epoch, uint64_t lamport, int64_t time_ms) {
  if (body.kind_case() == proto::Body::KIND_NOT_SET) {
    return MakeError(ErrorCode::kInvalidArgument, "entry body has no kind");
  }
  const Scope scope = ScopeOf(body);
  const bool is_private = scope == Scope::kPrivate;
  if (is_private && !keys.has_person_keys()) {
    return MakeError(ErrorCode::kUnknownEpoch, "no key to seal this entry");
  }
  const uint64_t epoch = is_private ? keys.current_person_generation() : shared_epoch;
  if (keys.KeyFor(scope, epoch) == nullptr) {
    return MakeError(ErrorCode::kUnknownEpoch,
                     "no key of epoch " + std::to_string(epoch) + " to seal this entry");
  }

  std::string plaintext;
  if (!body.SerializeToString(&plaintext)) {
    return MakeError(ErrorCode::kInternal, "body does not serialize");
  }
  if (plaintext.size() + crypto::kAeadTagBytes > kMaxSealedBodyBytes) {
    return MakeError(ErrorCode::kTooLarge, "entry text is too long");
  }

  EntryHeader header;
  header.pact = pact_;
  header.author = signing_.public_key();
  header.seq = head_.seq + 1;
  header.lamport = lamport;
  header.prev = head_.seq == 0 ? EntryId{} : head_.id;
  header.time_ms = time_ms;
  header.epoch = epoch;
  header.scope = scope;
  header.nonce = crypto::RandomXNonce();
  header.body_len = static_cast<uint32_t>(plaintext.size() + crypto::kAeadTagBytes);

  // The AEAD data is the header prefix before the body hash, so encode once with a zero hash,
  // seal, then fill the hash in.
  FixedBytes<kHeaderBytes> encoded = EncodeHeader(header);
  Bytes sealed = crypto::SealBody(*keys.KeyFor(scope, epoch), header.nonce,
                                  ByteView(encoded.data(), kHeaderAdBytes), AsBytes(plaintext));
  crypto::Wipe(plaintext);
  header.body_hash = crypto::Blake2b256(sealed);
  encoded = EncodeHeader(header);

  crypto::Signature signature = signing_.Sign(encoded);
  AuthoredEntry out;
  out.header = header;
  out.envelope.header.assign(encoded.begin(), encoded.end());
  out.envelope.sealed_body = std::move(sealed);
  out.envelope.signature.assign(signature.begin(), signature.end());
  out.id = ComputeEntryId(out.envelope.header);
  head_ = FeedHead{header.seq, out.id};
  return out;
}

}  // namespace accord::log
