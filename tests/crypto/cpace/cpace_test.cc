// CPace primitives against the draft's published ristretto255 vectors (object G_Coffee25519
// and G_Coffee25519_points in ../shared/vectors/cpace/cpace-testvectors.json).
#include "crypto/cpace/cpace.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/hash.h"

namespace accord::crypto::cpace {
namespace {

using nlohmann::json;

const json& Vectors() {
  static const json root = [] {
    std::ifstream in(std::string(ACCORD_VECTORS_DIR) + "/cpace/cpace-testvectors.json");
    if (!in) {
      ADD_FAILURE() << "cannot open the CPace vector file";
      return json::object();
    }
    return json::parse(in);
  }();
  return root;
}

Bytes Field(const json& object, const std::string& key) {
  EXPECT_TRUE(object.contains(key)) << "vector field missing: " << key;
  if (!object.contains(key)) return Bytes();
  std::optional<Bytes> b = FromHex(object[key].get<std::string>());
  EXPECT_TRUE(b.has_value()) << key;
  return b.value_or(Bytes());
}

template <size_t N>
FixedBytes<N> Fixed(const Bytes& b) {
  EXPECT_EQ(b.size(), N);
  FixedBytes<N> out{};
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

template <size_t N>
Secret<N> SecretOf(const Bytes& b) {
  return Secret<N>::FromBytes(Fixed<N>(b));
}

struct Suite {
  Bytes prs, ci, sid, ada, adb;
  Scalar ya, yb;
  Point g, Ya, Yb;
  Secret<kPointLen> k;
};

Suite Load() {
  const json& v = Vectors()["G_Coffee25519"];
  return Suite{Field(v, "PRS"),
               Field(v, "CI"),
               Field(v, "sid"),
               Field(v, "ADa"),
               Field(v, "ADb"),
               SecretOf<kScalarLen>(Field(v, "ya")),
               SecretOf<kScalarLen>(Field(v, "yb")),
               Fixed<kPointLen>(Field(v, "g")),
               Fixed<kPointLen>(Field(v, "Ya")),
               Fixed<kPointLen>(Field(v, "Yb")),
               SecretOf<kPointLen>(Field(v, "K"))};
}

TEST(CpaceVectors, GeneratorStringHasTheDraftLayout) {
  Suite s = Load();
  const Bytes gen = GeneratorString(s.prs, s.ci, s.sid);
  // draft-irtf-cfrg-cpace-21 B.3.1: lv(DSI) || lv("Password") || lv(100 zero bytes) || lv(CI)
  // || lv(sid), 170 bytes. (The JSON file does not carry the string; the draft text does.)
  const std::string expected = "11435061636552697374726574746f3235350850617373776f726464" +
                               std::string(200, '0') +
                               "180b415f696e69746961746f720b425f726573706f6e646572"
                               "107e4b4791d6a8ef019b936c79fb7f2c57";
  EXPECT_EQ(gen.size(), 170u);
  EXPECT_EQ(ToHex(gen), expected);
}

TEST(CpaceVectors, GeneratorMatches) {
  Suite s = Load();
  // g pins SHA-512 of the generator string and from_hash together.
  EXPECT_EQ(ToHex(CalculateGenerator(s.prs, s.ci, s.sid)), ToHex(s.g));
}

TEST(CpaceVectors, PublicSharesMatch) {
  Suite s = Load();
  Result<Point> ya = ScalarMultVfy(s.ya, s.g);
  Result<Point> yb = ScalarMultVfy(s.yb, s.g);
  ASSERT_TRUE(ya.ok() && yb.ok());
  EXPECT_EQ(ToHex(*ya), ToHex(s.Ya));
  EXPECT_EQ(ToHex(*yb), ToHex(s.Yb));
}

TEST(CpaceVectors, BothSidesReachTheSameK) {
  Suite s = Load();
  Result<Secret<kPointLen>> ka = SharedSecret(s.ya, s.Yb);
  Result<Secret<kPointLen>> kb = SharedSecret(s.yb, s.Ya);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_EQ(ToHex(ka->view()), ToHex(s.k.view()));
  EXPECT_EQ(ToHex(kb->view()), ToHex(s.k.view()));
}

TEST(CpaceVectors, IntermediateSessionKeysMatchForBothModes) {
  Suite s = Load();
  const json& v = Vectors()["G_Coffee25519"];
  EXPECT_EQ(ToHex(DeriveIskInitiatorResponder(s.sid, s.k, s.Ya, s.ada, s.Yb, s.adb).view()),
            ToHex(Field(v, "ISK_IR")));
  ASSERT_TRUE(v.contains("ISK_SY"));
  EXPECT_EQ(ToHex(DeriveIskSymmetric(s.sid, s.k, s.Ya, s.ada, s.Yb, s.adb).view()),
            ToHex(Field(v, "ISK_SY")));
  // The symmetric transcript does not depend on who is called A.
  EXPECT_EQ(ToHex(DeriveIskSymmetric(s.sid, s.k, s.Yb, s.adb, s.Ya, s.ada).view()),
            ToHex(Field(v, "ISK_SY")));
}

TEST(CpaceVectors, ValidPointScalarMultMatches) {
  const json& valid = Vectors()["G_Coffee25519_points"]["Valid"];
  Result<Point> out =
      ScalarMultVfy(SecretOf<kScalarLen>(Field(valid, "s")), Fixed<kPointLen>(Field(valid, "X")));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(ToHex(*out), ToHex(Field(valid, "G.scalar_mult_vfy(s,X)")));
}

TEST(CpaceVectors, InvalidPointsAbort) {
  const json& points = Vectors()["G_Coffee25519_points"];
  const Scalar s = SecretOf<kScalarLen>(Field(points["Valid"], "s"));
  int invalid = 0;
  for (const auto& [key, value] : points.items()) {
    if (key.rfind("Invalid", 0) != 0) continue;
    ++invalid;
    const Point p = Fixed<kPointLen>(Field(points, key));
    EXPECT_EQ(ScalarMultVfy(s, p).code(), ErrorCode::kCryptoFailure) << key;
    EXPECT_EQ(SharedSecret(s, p).code(), ErrorCode::kCryptoFailure) << key;
  }
  EXPECT_EQ(invalid, 2);  // Y1 (non-canonical encoding) and Y2 (identity)
}

TEST(Cpace, LvCatUsesLeb128Lengths) {
  EXPECT_EQ(ToHex(LvCat({})), "");
  EXPECT_EQ(ToHex(LvCat({AsBytes(""), AsBytes("ab")})), "00026162");
  const Bytes b127(127, 0), b128(128, 0), b300(300, 0);
  EXPECT_EQ(LvCat({b127})[0], 0x7f);
  EXPECT_EQ(LvCat({b127}).size(), 128u);
  // 128 = 0x80 -> 80 01; 300 = 0x12c -> ac 02.
  EXPECT_EQ(ToHex(ByteView(LvCat({b128})).first(2)), "8001");
  EXPECT_EQ(LvCat({b128}).size(), 130u);
  EXPECT_EQ(ToHex(ByteView(LvCat({b300})).first(2)), "ac02");
}

TEST(Cpace, PaddingShrinksToNothingForLongPasswords) {
  // lv(DSI) is 18 bytes and the padding's own length byte 1, so a PRS field (length prefix
  // included) of 109 bytes fills the 128-byte block alone.
  struct Case {
    size_t prs_len;
    size_t prs_prefix_len;  // LEB128 bytes
    uint8_t zpad_len;
  };
  for (const Case& c :
       {Case{1, 1, 107}, Case{107, 1, 1}, Case{108, 1, 0}, Case{127, 1, 0}, Case{200, 2, 0}}) {
    const Bytes prs(c.prs_len, 'p');
    const Bytes gen = GeneratorString(prs, AsBytes("ci"), AsBytes("sid"));
    const size_t zpad_at = 18 + c.prs_prefix_len + c.prs_len;
    ASSERT_GT(gen.size(), zpad_at) << c.prs_len;
    EXPECT_EQ(gen[zpad_at], c.zpad_len) << c.prs_len;
    EXPECT_EQ(gen.size(), zpad_at + 1 + c.zpad_len + 3 + 4) << c.prs_len;
  }
}

TEST(Cpace, SampledScalarsAreFreshAndUsable) {
  const Point g = CalculateGenerator(AsBytes("code"), AsBytes("ci"), AsBytes("sid"));
  Scalar a = SampleScalar();
  Scalar b = SampleScalar();
  EXPECT_FALSE(a.Equals(b));
  EXPECT_TRUE(ScalarMultVfy(a, g).ok());
}

// Accord's confirmation and psk derivation (SECURITY §3.2) over the draft's ISK_IR, compared
// with values from an independent implementation (Python hashlib/hmac).
TEST(CpaceConfirmation, TagsAndPskMatchReference) {
  Suite s = Load();
  const Secret<kIskLen> isk = SecretOf<kIskLen>(Field(Vectors()["G_Coffee25519"], "ISK_IR"));
  const Secret<kIskLen> mac_key = ConfirmationKey(s.sid, isk);
  EXPECT_EQ(ToHex(mac_key.view()),
            "26cef0ae277a6b25bb1ad7e3ca83ce2cd8f4341669dde058314a6a73d5fff55e"
            "09872d5546058d1d9374ee0363d4ec9aecb9b1beb2e50d30f122ad8e5056b413");
  const Tag ta = ConfirmationTag(mac_key, s.Ya, s.ada);
  const Tag tb = ConfirmationTag(mac_key, s.Yb, s.adb);
  EXPECT_EQ(ToHex(ta),
            "30478d28d83ae3b214295e91f4a3eb62999a8ed94575075db4a7d3bc3e4d26f1"
            "6c51adba12dc7771372637a46b5134e0937cddd7d820bfdd83be335e339eb57a");
  EXPECT_EQ(ToHex(tb),
            "e927a7da291676f8878caae9cb70407d2f14117e6f9ff9adcfda797c4bcf2bd2"
            "fefd2ca3f2ddcce81b7386996c895b2f359010cc92069d5ff4ad49a977de79a6");
  EXPECT_TRUE(VerifyConfirmationTag(mac_key, s.Ya, s.ada, ta));
  EXPECT_FALSE(VerifyConfirmationTag(mac_key, s.Yb, s.adb, ta));
  const Secret<kPskLen> psk = DerivePairingPsk(isk);
  EXPECT_EQ(ToHex(psk.view()), "fcd2d9cbb707cb5bfe0542127300567bc77fe13922861697c538975750130b2d");
  // Same construction as crypto/hash.h's keyed BLAKE2b-256: key = ISK, message = the label.
  EXPECT_EQ(ToHex(psk.view()), ToHex(Blake2b256Keyed(isk.view(), AsBytes("accord/pair/psk/v1"))));
}

TEST(CpaceConfirmation, EveryFlippedBitOfATagIsRejected) {
  Suite s = Load();
  const Secret<kIskLen> mac_key = ConfirmationKey(s.sid, SecretOf<kIskLen>(Bytes(kIskLen, 1)));
  const Tag good = ConfirmationTag(mac_key, s.Ya, s.ada);
  for (size_t bit = 0; bit < kTagLen * 8; ++bit) {
    Tag bad = good;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(VerifyConfirmationTag(mac_key, s.Ya, s.ada, bad)) << bit;
  }
}

}  // namespace
}  // namespace accord::crypto::cpace
