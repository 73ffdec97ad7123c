#include "daemon/log/header.h"

#include <algorithm>
#include <cstring>

namespace accord::log {

namespace {

using L = HeaderLayout;

Error Malformed(const std::string& why) {
  return MakeError(ErrorCode::kMalformedEntry, "malformed entry header: " + why);
}

template <size_t N>
void CopyOut(FixedBytes<N>& out, const uint8_t* in) {
  std::copy(in, in + N, out.begin());
}

}  // namespace

FixedBytes<kHeaderBytes> EncodeHeader(const EntryHeader& h) {
  FixedBytes<kHeaderBytes> out{};
  uint8_t* p = out.data();
  std::memcpy(p + L::kMagic, kHeaderMagic, 4);
  std::copy(h.pact.begin(), h.pact.end(), p + L::kPact);
  std::copy(h.author.begin(), h.author.end(), p + L::kAuthor);
  PutU64Be(p + L::kSeq, h.seq);
  PutU64Be(p + L::kLamport, h.lamport);
  std::copy(h.prev.begin(), h.prev.end(), p + L::kPrev);
  PutU64Be(p + L::kTimeMs, static_cast<uint64_t>(h.time_ms));
  PutU64Be(p + L::kEpoch, h.epoch);
  p[L::kScope] = static_cast<uint8_t>(h.scope);
  p[L::kReserved] = 0;
  std::copy(h.nonce.begin(), h.nonce.end(), p + L::kNonce);
  PutU32Be(p + L::kBodyLen, h.body_len);
  std::copy(h.body_hash.begin(), h.body_hash.end(), p + L::kBodyHash);
  return out;
}

Result<EntryHeader> DecodeHeader(ByteView bytes) {
  if (bytes.size() != kHeaderBytes) {
    return Malformed("size " + std::to_string(bytes.size()) + ", want " +
                     std::to_string(kHeaderBytes));
  }
  const uint8_t* p = bytes.data();
  if (std::memcmp(p + L::kMagic, kHeaderMagic, 4) != 0) return Malformed("bad magic");
  if (p[L::kReserved] != 0) return Malformed("reserved byte is not zero");
  uint8_t scope = p[L::kScope];
  if (scope < 1 || scope > 3) return Malformed("unknown scope " + std::to_string(scope));

  EntryHeader h;
  CopyOut(h.pact, p + L::kPact);
  CopyOut(h.author, p + L::kAuthor);
  h.seq = GetU64Be(p + L::kSeq);
  h.lamport = GetU64Be(p + L::kLamport);
  CopyOut(h.prev, p + L::kPrev);
  h.time_ms = static_cast<int64_t>(GetU64Be(p + L::kTimeMs));
  h.epoch = GetU64Be(p + L::kEpoch);
  h.scope = static_cast<Scope>(scope);
  CopyOut(h.nonce, p + L::kNonce);
  h.body_len = GetU32Be(p + L::kBodyLen);
  CopyOut(h.body_hash, p + L::kBodyHash);

  if (h.seq == 0) return Malformed("seq 0");
  if (h.lamport == 0) return Malformed("lamport 0");
  if ((h.seq == 1) != IsAllZero(h.prev)) return Malformed("prev must be zero exactly at seq 1");
  if (h.body_len > kMaxSealedBodyBytes) return Malformed("body longer than the cap");
  return h;
}

}  // namespace accord::log
