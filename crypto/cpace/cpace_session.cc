#include "crypto/cpace/cpace_session.h"

#include <algorithm>

namespace accord::crypto::cpace {
namespace {

constexpr ByteView kEmptyAdb;  // the inviter's ADb, see cpace_session.h

Error Malformed(const char* what) {
  return MakeError(ErrorCode::kInvalidArgument, std::string("cpace: malformed ") + what);
}

Error Refused() { return MakeError(ErrorCode::kRefused, "cpace: message out of order or dead"); }

template <size_t N>
FixedBytes<N> Take(ByteView bytes, size_t offset) {
  FixedBytes<N> out;
  std::copy_n(bytes.begin() + offset, N, out.begin());
  return out;
}

}  // namespace

Bytes EncodeM1(const CpaceM1& m) {
  Bytes out(m.ya.begin(), m.ya.end());
  AppendU8(out, static_cast<uint8_t>(m.ada.size()));
  AppendBytes(out, m.ada);
  return out;
}

Bytes EncodeM2(const CpaceM2& m) {
  Bytes out(m.yb.begin(), m.yb.end());
  AppendBytes(out, m.tb);
  return out;
}

Bytes EncodeM3(const CpaceM3& m) { return Bytes(m.ta.begin(), m.ta.end()); }

Result<CpaceM1> DecodeM1(ByteView bytes) {
  if (bytes.size() < kPointLen + 1 || bytes.size() != kPointLen + 1 + bytes[kPointLen]) {
    return Malformed("M1");
  }
  ByteView ada = bytes.subspan(kPointLen + 1);
  return CpaceM1{Take<kPointLen>(bytes, 0), Bytes(ada.begin(), ada.end())};
}

Result<CpaceM2> DecodeM2(ByteView bytes) {
  if (bytes.size() != kM2Len) return Malformed("M2");
  return CpaceM2{Take<kPointLen>(bytes, 0), Take<kTagLen>(bytes, kPointLen)};
}

Result<CpaceM3> DecodeM3(ByteView bytes) {
  if (bytes.size() != kM3Len) return Malformed("M3");
  return CpaceM3{Take<kTagLen>(bytes, 0)};
}

// ---- Initiator (joiner, party A) ----

Result<CpaceInitiator> CpaceInitiator::Create(const CpaceInputs& inputs, ByteView ada,
                                              std::optional<Scalar> fixed_scalar) {
  if (ada.size() > kMaxAdLen) {
    return MakeError(ErrorCode::kInvalidArgument, "cpace: associated data too long");
  }
  CpaceInitiator a;
  a.sid_.assign(inputs.sid.begin(), inputs.sid.end());
  a.ada_.assign(ada.begin(), ada.end());
  a.ya_scalar_ = fixed_scalar ? std::move(fixed_scalar) : SampleScalar();
  Result<Point> ya =
      ScalarMultVfy(*a.ya_scalar_, CalculateGenerator(inputs.prs, inputs.ci, inputs.sid));
  if (!ya.ok()) return ya.error();
  a.ya_ = *ya;
  return a;
}

Error CpaceInitiator::Fail(Error error) {
  phase_ = Phase::kDead;
  ya_scalar_.reset();
  isk_.reset();
  return error;
}

Result<Bytes> CpaceInitiator::HandleM2(ByteView m2_bytes) {
  if (phase_ != Phase::kAwaitM2) return Fail(Refused());
  Result<CpaceM2> m2 = DecodeM2(m2_bytes);
  if (!m2.ok()) return Fail(m2.error());
  Result<Secret<kPointLen>> k = SharedSecret(*ya_scalar_, m2->yb);
  // Never reuse a scalar (SECURITY §3.2), whatever happens next.
  ya_scalar_.reset();
  if (!k.ok()) return Fail(k.error());
  Secret<kIskLen> isk = DeriveIskInitiatorResponder(sid_, *k, ya_, ada_, m2->yb, kEmptyAdb);
  Secret<kIskLen> mac_key = ConfirmationKey(sid_, isk);
  if (!VerifyConfirmationTag(mac_key, m2->yb, kEmptyAdb, m2->tb)) {
    return Fail(MakeError(ErrorCode::kCryptoFailure, "cpace: inviter confirmation failed"));
  }
  isk_ = std::move(isk);
  phase_ = Phase::kConfirmed;
  return EncodeM3(CpaceM3{ConfirmationTag(mac_key, ya_, ada_)});
}

Result<Secret<kIskLen>> CpaceInitiator::Isk() const {
  if (!IsConfirmed()) return Refused();
  return isk_->Clone();
}

Result<Secret<kPskLen>> CpaceInitiator::NoisePsk() const {
  if (!IsConfirmed()) return Refused();
  return DerivePairingPsk(*isk_);
}

// ---- Responder (inviter, party B) ----

Result<CpaceResponder> CpaceResponder::Create(const CpaceInputs& inputs,
                                              std::optional<Scalar> fixed_scalar) {
  CpaceResponder b;
  b.sid_.assign(inputs.sid.begin(), inputs.sid.end());
  b.yb_scalar_ = fixed_scalar ? std::move(fixed_scalar) : SampleScalar();
  Result<Point> yb =
      ScalarMultVfy(*b.yb_scalar_, CalculateGenerator(inputs.prs, inputs.ci, inputs.sid));
  if (!yb.ok()) return yb.error();
  b.yb_ = *yb;
  return b;
}

Error CpaceResponder::Fail(Error error) {
  phase_ = Phase::kDead;
  yb_scalar_.reset();
  isk_.reset();
  mac_key_.reset();
  return error;
}

Result<Bytes> CpaceResponder::HandleM1(ByteView m1_bytes) {
  if (phase_ != Phase::kAwaitM1) return Fail(Refused());
  Result<CpaceM1> m1 = DecodeM1(m1_bytes);
  if (!m1.ok()) return Fail(m1.error());
  Result<Secret<kPointLen>> k = SharedSecret(*yb_scalar_, m1->ya);
  yb_scalar_.reset();
  if (!k.ok()) return Fail(k.error());
  ya_ = m1->ya;
  ada_ = std::move(m1->ada);
  isk_ = DeriveIskInitiatorResponder(sid_, *k, ya_, ada_, yb_, kEmptyAdb);
  mac_key_ = ConfirmationKey(sid_, *isk_);
  phase_ = Phase::kAwaitM3;
  return EncodeM2(CpaceM2{yb_, ConfirmationTag(*mac_key_, yb_, kEmptyAdb)});
}

Status CpaceResponder::HandleM3(ByteView m3_bytes) {
  if (phase_ != Phase::kAwaitM3) return Fail(Refused());
  Result<CpaceM3> m3 = DecodeM3(m3_bytes);
  if (!m3.ok()) return Fail(m3.error());
  if (!VerifyConfirmationTag(*mac_key_, ya_, ada_, m3->ta)) {
    return Fail(MakeError(ErrorCode::kCryptoFailure, "cpace: joiner confirmation failed"));
  }
  mac_key_.reset();
  phase_ = Phase::kConfirmed;
  return Status::Ok();
}

Result<Secret<kIskLen>> CpaceResponder::Isk() const {
  if (!IsConfirmed()) return Refused();
  return isk_->Clone();
}

Result<Secret<kPskLen>> CpaceResponder::NoisePsk() const {
  if (!IsConfirmed()) return Refused();
  return DerivePairingPsk(*isk_);
}

}  // namespace accord::crypto::cpace
