// The pairing PAKE as two state machines, bytes in and bytes out: the joiner is CPace party A
// (initiator), the inviter party B (responder), with explicit confirmation (SECURITY §3.2).
// One thread at a time. Nonces, sid assembly, code normalisation and burning the code belong
// to the pairing layer; beacons, sockets and timeouts to the daemon.
#ifndef ACCORD_CRYPTO_CPACE_CPACE_SESSION_H_
#define ACCORD_CRYPTO_CPACE_CPACE_SESSION_H_

#include <optional>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/cpace/cpace.h"
#include "crypto/secret.h"

namespace accord::crypto::cpace {

constexpr size_t kMaxAdLen = 255;  // bytes, ADa travels with a one-byte length

// Wire forms: M1 = Ya(32) || u8 len || ADa;  M2 = Yb(32) || Tb(64);  M3 = Ta(64).
// The inviter's ADb is always empty (it has nothing to announce before confirmation).
struct CpaceM1 {
  Point ya;
  Bytes ada;
};
struct CpaceM2 {
  Point yb;
  Tag tb;
};
struct CpaceM3 {
  Tag ta;
};
constexpr size_t kM2Len = kPointLen + kTagLen;  // bytes
constexpr size_t kM3Len = kTagLen;              // bytes

Bytes EncodeM1(const CpaceM1& m);  // REQUIRES: m.ada.size() <= kMaxAdLen
Bytes EncodeM2(const CpaceM2& m);
Bytes EncodeM3(const CpaceM3& m);
// kInvalidArgument unless the length is exactly what the fields say.
Result<CpaceM1> DecodeM1(ByteView bytes);
Result<CpaceM2> DecodeM2(ByteView bytes);
Result<CpaceM3> DecodeM3(ByteView bytes);

// What both parties must agree on. prs is the normalised code; sid = nonce_B || nonce_A;
// ci = lv_cat("accord-pair-v1", "joiner", "inviter", nameplate).
struct CpaceInputs {
  ByteView prs;
  ByteView ci;
  ByteView sid;
};

// Every failure is final: the object goes dead and later calls return kRefused. Errors:
// kInvalidArgument (malformed message), kCryptoFailure (invalid point, or a confirmation tag
// that does not verify, which is what a wrong code looks like), kRefused (wrong order/dead).
class CpaceInitiator {
 public:
  // fixed_scalar: tests only (published vectors); production draws a fresh scalar.
  static Result<CpaceInitiator> Create(const CpaceInputs& inputs, ByteView ada,
                                       std::optional<Scalar> fixed_scalar = std::nullopt);
  CpaceInitiator(CpaceInitiator&&) = default;
  CpaceInitiator& operator=(CpaceInitiator&&) = default;

  Bytes m1() const { return EncodeM1(CpaceM1{ya_, ada_}); }
  // Verifies the inviter's Tb, then returns M3 carrying our Ta.
  Result<Bytes> HandleM2(ByteView m2);

  bool IsConfirmed() const { return phase_ == Phase::kConfirmed; }
  bool IsDead() const { return phase_ == Phase::kDead; }
  // Only once confirmed (else kRefused).
  Result<Secret<kIskLen>> Isk() const;
  Result<Secret<kPskLen>> NoisePsk() const;

 private:
  enum class Phase { kAwaitM2, kConfirmed, kDead };
  CpaceInitiator() = default;
  Error Fail(Error error);

  Bytes sid_;
  Bytes ada_;
  std::optional<Scalar> ya_scalar_;
  Point ya_{};
  std::optional<Secret<kIskLen>> isk_;
  Phase phase_ = Phase::kAwaitM2;
};

class CpaceResponder {
 public:
  static Result<CpaceResponder> Create(const CpaceInputs& inputs,
                                       std::optional<Scalar> fixed_scalar = std::nullopt);
  CpaceResponder(CpaceResponder&&) = default;
  CpaceResponder& operator=(CpaceResponder&&) = default;

  // Accepts exactly one M1 (one guess per code); returns M2 = {Yb, Tb}.
  Result<Bytes> HandleM1(ByteView m1);
  // Verifies the joiner's Ta. On failure the caller must burn the code.
  Status HandleM3(ByteView m3);

  bool IsConfirmed() const { return phase_ == Phase::kConfirmed; }
  bool IsDead() const { return phase_ == Phase::kDead; }
  const Bytes& peer_ad() const { return ada_; }  // ADa from M1, unauthenticated until confirmed
  Result<Secret<kIskLen>> Isk() const;
  Result<Secret<kPskLen>> NoisePsk() const;

 private:
  enum class Phase { kAwaitM1, kAwaitM3, kConfirmed, kDead };
  CpaceResponder() = default;
  Error Fail(Error error);

  Bytes sid_;
  Bytes ada_;
  std::optional<Scalar> yb_scalar_;
  Point yb_{};
  Point ya_{};
  std::optional<Secret<kIskLen>> isk_;
  std::optional<Secret<kIskLen>> mac_key_;
  Phase phase_ = Phase::kAwaitM1;
};

}  // namespace accord::crypto::cpace

#endif  // ACCORD_CRYPTO_CPACE_CPACE_SESSION_H_
