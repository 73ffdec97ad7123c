// CPace primitives for the suite CPACE-RISTR255-SHA512 (draft-irtf-cfrg-cpace), plus accord's
// explicit key confirmation and Noise psk derivation (SECURITY §3.2, Appendix A).
// Any thread; pure apart from scalar sampling. The message flow lives in cpace_session.
#ifndef ACCORD_CRYPTO_CPACE_CPACE_H_
#define ACCORD_CRYPTO_CPACE_CPACE_H_

#include <initializer_list>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/secret.h"

namespace accord::crypto::cpace {

constexpr size_t kPointLen = 32;       // bytes, ristretto255 element encoding
constexpr size_t kScalarLen = 32;      // bytes, ristretto255 scalar
constexpr size_t kIskLen = 64;         // bytes, SHA-512 output
constexpr size_t kTagLen = 64;         // bytes, HMAC-SHA512 confirmation tag
constexpr size_t kPskLen = 32;         // bytes, Noise psk derived from the ISK
constexpr size_t kHashBlockLen = 128;  // bytes, SHA-512 block: the draft's s_in_bytes
constexpr std::string_view kDsi = "CPaceRistretto255";

using Point = FixedBytes<kPointLen>;
using Scalar = Secret<kScalarLen>;
using Tag = FixedBytes<kTagLen>;

// The draft's lv_cat: each field prefixed by its length as LEB128.
Bytes LvCat(std::initializer_list<ByteView> fields);

// lv_cat(DSI, PRS, zero padding, CI, sid), the padding making the first three fields fill one
// SHA-512 block. Contains the password: callers wipe it (CalculateGenerator does).
Bytes GeneratorString(ByteView prs, ByteView ci, ByteView sid);
// g = ristretto255 from_hash(SHA-512(generator string)).
Point CalculateGenerator(ByteView prs, ByteView ci, ByteView sid);

// Uniform in [1, group order - 1] (the draft's allowed alternative to hashing random bytes).
Scalar SampleScalar();
// scalar * point; kCryptoFailure when the point does not decode or the result is the
// identity, the draft's scalar_mult_vfy abort. For public values (Ya, Yb).
Result<Point> ScalarMultVfy(const Scalar& scalar, const Point& point);
// The same operation for the shared secret K, kept in locked memory.
Result<Secret<kPointLen>> SharedSecret(const Scalar& scalar, const Point& peer);

// ISK = SHA-512(lv_cat(DSI "_ISK", sid, K) || transcript). Initiator-responder transcript:
// lv_cat(Ya, ADa) || lv_cat(Yb, ADb). Accord uses this mode.
Secret<kIskLen> DeriveIskInitiatorResponder(ByteView sid, const Secret<kPointLen>& k,
                                            const Point& ya, ByteView ada, const Point& yb,
                                            ByteView adb);
// Symmetric ("ordered concatenation") transcript: "oc" || larger || smaller of the two
// lv_cat(Y, AD) strings. Not used by accord; kept because the vectors pin it.
Secret<kIskLen> DeriveIskSymmetric(ByteView sid, const Secret<kPointLen>& k, const Point& ya,
                                   ByteView ada, const Point& yb, ByteView adb);

// Explicit key confirmation (SECURITY §3.2): mac_key = SHA-512("CPaceMac" || sid || ISK),
// tag = HMAC-SHA512(mac_key, lv_cat(Y, AD)) over the sender's own share.
Secret<kIskLen> ConfirmationKey(ByteView sid, const Secret<kIskLen>& isk);
Tag ConfirmationTag(const Secret<kIskLen>& mac_key, const Point& y, ByteView ad);
// Constant time.
bool VerifyConfirmationTag(const Secret<kIskLen>& mac_key, const Point& y, ByteView ad,
                           const Tag& tag);

// psk = BLAKE2b-256 keyed with ISK over "accord/pair/psk/v1", for Noise_XXpsk3.
Secret<kPskLen> DerivePairingPsk(const Secret<kIskLen>& isk);

}  // namespace accord::crypto::cpace

#endif  // ACCORD_CRYPTO_CPACE_CPACE_H_
