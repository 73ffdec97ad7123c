#include "crypto/cpace/cpace.h"

#include <sodium.h>

#include <algorithm>

namespace accord::crypto::cpace {
namespace {

static_assert(crypto_core_ristretto255_BYTES == kPointLen);
static_assert(crypto_core_ristretto255_SCALARBYTES == kScalarLen);
static_assert(crypto_core_ristretto255_HASHBYTES == crypto_hash_sha512_BYTES);
static_assert(crypto_hash_sha512_BYTES == kIskLen);
static_assert(crypto_auth_hmacsha512_BYTES == kTagLen);

// LEB128, as the draft's prepend_len: 7 bits per byte, low bits first, high bit = "more".
void AppendLeb128(Bytes& out, size_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(0x80 | (value & 0x7f)));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

size_t Leb128Len(size_t value) {
  size_t n = 1;
  for (; value >= 0x80; value >>= 7) ++n;
  return n;
}

// Hashes one lv field without copying it (K and the ISK stay out of temporary buffers).
void UpdateLv(crypto_hash_sha512_state* state, ByteView field) {
  Bytes prefix;
  AppendLeb128(prefix, field.size());
  crypto_hash_sha512_update(state, prefix.data(), prefix.size());
  crypto_hash_sha512_update(state, field.data(), field.size());
}

void StartIsk(crypto_hash_sha512_state* state, ByteView sid, const Secret<kPointLen>& k) {
  const std::string dsi_isk = std::string(kDsi) + "_ISK";
  crypto_hash_sha512_init(state);
  UpdateLv(state, AsBytes(dsi_isk));
  UpdateLv(state, sid);
  UpdateLv(state, k.view());
}

Secret<kIskLen> FinishSecretSha512(crypto_hash_sha512_state* state) {
  Secret<kIskLen> isk;
  crypto_hash_sha512_final(state, isk.data());
  sodium_memzero(state, sizeof(*state));
  return isk;
}

}  // namespace

Bytes LvCat(std::initializer_list<ByteView> fields) {
  Bytes out;
  for (ByteView f : fields) {
    AppendLeb128(out, f.size());
    AppendBytes(out, f);
  }
  return out;
}

Bytes GeneratorString(ByteView prs, ByteView ci, ByteView sid) {
  // len_zpad = max(0, s_in_bytes - 1 - len(prepend_len(PRS)) - len(prepend_len(DSI))); the
  // "- 1" is the padding field's own one-byte length.
  const size_t used = 1 + (Leb128Len(prs.size()) + prs.size()) + (1 + kDsi.size());
  const size_t zpad_len = used < kHashBlockLen ? kHashBlockLen - used : 0;
  const Bytes zpad(zpad_len, 0);
  return LvCat({AsBytes(kDsi), prs, zpad, ci, sid});
}

Point CalculateGenerator(ByteView prs, ByteView ci, ByteView sid) {
  Bytes gen_str = GeneratorString(prs, ci, sid);
  uint8_t digest[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(digest, gen_str.data(), gen_str.size());
  Point g;
  crypto_core_ristretto255_from_hash(g.data(), digest);
  sodium_memzero(gen_str.data(), gen_str.size());
  sodium_memzero(digest, sizeof(digest));
  return g;
}

Scalar SampleScalar() {
  Scalar y;
  crypto_core_ristretto255_scalar_random(y.data());
  return y;
}

Result<Point> ScalarMultVfy(const Scalar& scalar, const Point& point) {
  Point out;
  if (crypto_scalarmult_ristretto255(out.data(), scalar.data(), point.data()) != 0) {
    return MakeError(ErrorCode::kCryptoFailure, "cpace: invalid point or identity result");
  }
  return out;
}

Result<Secret<kPointLen>> SharedSecret(const Scalar& scalar, const Point& peer) {
  Secret<kPointLen> k;
  if (crypto_scalarmult_ristretto255(k.data(), scalar.data(), peer.data()) != 0) {
    return MakeError(ErrorCode::kCryptoFailure, "cpace: invalid peer share");
  }
  return k;
}

Secret<kIskLen> DeriveIskInitiatorResponder(ByteView sid, const Secret<kPointLen>& k,
                                            const Point& ya, ByteView ada, const Point& yb,
                                            ByteView adb) {
  crypto_hash_sha512_state state;
  StartIsk(&state, sid, k);
  UpdateLv(&state, ya);
  UpdateLv(&state, ada);
  UpdateLv(&state, yb);
  UpdateLv(&state, adb);
  return FinishSecretSha512(&state);
}

Secret<kIskLen> DeriveIskSymmetric(ByteView sid, const Secret<kPointLen>& k, const Point& ya,
                                   ByteView ada, const Point& yb, ByteView adb) {
  const Bytes a = LvCat({ya, ada});
  const Bytes b = LvCat({yb, adb});
  // The draft's lexiographically_larger: bytewise, a proper prefix being the smaller.
  const bool a_larger = std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
  crypto_hash_sha512_state state;
  StartIsk(&state, sid, k);
  const uint8_t oc[2] = {'o', 'c'};
  crypto_hash_sha512_update(&state, oc, sizeof(oc));
  const Bytes& first = a_larger ? a : b;
  const Bytes& second = a_larger ? b : a;
  crypto_hash_sha512_update(&state, first.data(), first.size());
  crypto_hash_sha512_update(&state, second.data(), second.size());
  return FinishSecretSha512(&state);
}

Secret<kIskLen> ConfirmationKey(ByteView sid, const Secret<kIskLen>& isk) {
  constexpr std::string_view kLabel = "CPaceMac";
  crypto_hash_sha512_state state;
  crypto_hash_sha512_init(&state);
  crypto_hash_sha512_update(&state, AsBytes(kLabel).data(), kLabel.size());
  crypto_hash_sha512_update(&state, sid.data(), sid.size());
  crypto_hash_sha512_update(&state, isk.data(), isk.size());
  return FinishSecretSha512(&state);
}

Tag ConfirmationTag(const Secret<kIskLen>& mac_key, const Point& y, ByteView ad) {
  const Bytes message = LvCat({y, ad});
  crypto_auth_hmacsha512_state state;
  crypto_auth_hmacsha512_init(&state, mac_key.data(), mac_key.size());
  crypto_auth_hmacsha512_update(&state, message.data(), message.size());
  Tag tag;
  crypto_auth_hmacsha512_final(&state, tag.data());
  sodium_memzero(&state, sizeof(state));
  return tag;
}

bool VerifyConfirmationTag(const Secret<kIskLen>& mac_key, const Point& y, ByteView ad,
                           const Tag& tag) {
  const Tag expected = ConfirmationTag(mac_key, y, ad);
  return crypto_verify_64(expected.data(), tag.data()) == 0;
}

Secret<kPskLen> DerivePairingPsk(const Secret<kIskLen>& isk) {
  constexpr std::string_view kLabel = "accord/pair/psk/v1";
  Secret<kPskLen> psk;
  crypto_generichash(psk.data(), psk.size(), AsBytes(kLabel).data(), kLabel.size(), isk.data(),
                     isk.size());
  return psk;
}

}  // namespace accord::crypto::cpace
