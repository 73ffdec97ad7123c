// The pairing PAKE run end to end between the two state machines, and every way it must abort.
#include "crypto/cpace/cpace_session.h"

#include <gtest/gtest.h>

#include <string>

namespace accord::crypto::cpace {
namespace {

// Stand-ins for what the pairing layer will supply (SECURITY §3.2).
struct Context {
  std::string code = "7-guitarist-revenge-tactics";
  Bytes ci =
      LvCat({AsBytes("accord-pair-v1"), AsBytes("joiner"), AsBytes("inviter"), AsBytes("7")});
  Bytes sid = Bytes(32, 0x5a);  // nonce_B || nonce_A
  CpaceInputs inputs() const { return CpaceInputs{AsBytes(code), ci, sid}; }
};

CpaceInitiator Joiner(const Context& c, ByteView ada = {}) {
  Result<CpaceInitiator> a = CpaceInitiator::Create(c.inputs(), ada);
  if (!a.ok()) std::abort();  // valid inputs; a failure here is a bug in the code under test
  return std::move(a).value();
}

CpaceResponder Inviter(const Context& c) {
  Result<CpaceResponder> b = CpaceResponder::Create(c.inputs());
  if (!b.ok()) std::abort();
  return std::move(b).value();
}

TEST(CpaceSession, SameCodeGivesBothSidesTheSameKeysAndBothConfirm) {
  Context ctx;
  CpaceInitiator joiner = Joiner(ctx, AsBytes("v1"));
  CpaceResponder inviter = Inviter(ctx);
  Result<Bytes> m2 = inviter.HandleM1(joiner.m1());
  ASSERT_TRUE(m2.ok()) << m2.error().message;
  EXPECT_EQ(m2->size(), kM2Len);
  EXPECT_EQ(AsChars(inviter.peer_ad()), "v1");
  Result<Bytes> m3 = joiner.HandleM2(*m2);
  ASSERT_TRUE(m3.ok()) << m3.error().message;
  EXPECT_EQ(m3->size(), kM3Len);
  ASSERT_TRUE(inviter.HandleM3(*m3).ok());
  ASSERT_TRUE(joiner.IsConfirmed() && inviter.IsConfirmed());

  Result<Secret<kIskLen>> isk_a = joiner.Isk();
  Result<Secret<kIskLen>> isk_b = inviter.Isk();
  ASSERT_TRUE(isk_a.ok() && isk_b.ok());
  EXPECT_TRUE(isk_a->Equals(*isk_b));
  Result<Secret<kPskLen>> psk_a = joiner.NoisePsk();
  Result<Secret<kPskLen>> psk_b = inviter.NoisePsk();
  ASSERT_TRUE(psk_a.ok() && psk_b.ok());
  EXPECT_TRUE(psk_a->Equals(*psk_b));
  // The psk is derived from the ISK, not the ISK itself.
  EXPECT_NE(ToHex(psk_a->view()), ToHex(isk_a->view().first(kPskLen)));
}

TEST(CpaceSession, FixedScalarsReproduceThePrimitiveComputation) {
  Context ctx;
  const Scalar ya = SampleScalar();
  const Scalar yb = SampleScalar();
  Result<CpaceInitiator> joiner = CpaceInitiator::Create(ctx.inputs(), {}, ya.Clone());
  Result<CpaceResponder> inviter = CpaceResponder::Create(ctx.inputs(), yb.Clone());
  ASSERT_TRUE(joiner.ok() && inviter.ok());
  Result<Bytes> m2 = inviter->HandleM1(joiner->m1());
  ASSERT_TRUE(m2.ok());
  Result<Bytes> m3 = joiner->HandleM2(*m2);
  ASSERT_TRUE(m3.ok());
  ASSERT_TRUE(inviter->HandleM3(*m3).ok());

  const Point g = CalculateGenerator(AsBytes(ctx.code), ctx.ci, ctx.sid);
  Result<Point> Ya = ScalarMultVfy(ya, g);
  Result<Point> Yb = ScalarMultVfy(yb, g);
  Result<Secret<kPointLen>> k = SharedSecret(ya, *Yb);
  ASSERT_TRUE(Ya.ok() && Yb.ok() && k.ok());
  Result<CpaceM1> m1 = DecodeM1(joiner->m1());
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(m1->ya, *Ya);
  const Secret<kIskLen> isk = DeriveIskInitiatorResponder(ctx.sid, *k, *Ya, {}, *Yb, {});
  EXPECT_TRUE(joiner->Isk()->Equals(isk));
}

TEST(CpaceSession, WrongCodeFailsAtTheJoinerAndAForgedConfirmationFailsAtTheInviter) {
  Context inviter_ctx;
  Context joiner_ctx;
  joiner_ctx.code = "7-guitarist-revenge-tactic";
  CpaceInitiator joiner = Joiner(joiner_ctx);
  CpaceResponder inviter = Inviter(inviter_ctx);
  Result<Bytes> m2 = inviter.HandleM1(joiner.m1());
  ASSERT_TRUE(m2.ok());  // the inviter cannot tell yet
  Result<Bytes> m3 = joiner.HandleM2(*m2);
  EXPECT_EQ(m3.code(), ErrorCode::kCryptoFailure);
  EXPECT_TRUE(joiner.IsDead());
  EXPECT_EQ(joiner.Isk().code(), ErrorCode::kRefused);

  // An attacker with the wrong code who answers anyway: the best Ta it can build uses its own
  // view of the session, and the inviter rejects it.
  const Scalar ya = SampleScalar();
  const Point g = CalculateGenerator(AsBytes(joiner_ctx.code), joiner_ctx.ci, joiner_ctx.sid);
  Result<Point> Ya = ScalarMultVfy(ya, g);
  ASSERT_TRUE(Ya.ok());
  CpaceResponder target = Inviter(inviter_ctx);
  Result<Bytes> m2b = target.HandleM1(EncodeM1(CpaceM1{*Ya, {}}));
  ASSERT_TRUE(m2b.ok());
  Result<CpaceM2> parsed = DecodeM2(*m2b);
  ASSERT_TRUE(parsed.ok());
  Result<Secret<kPointLen>> k = SharedSecret(ya, parsed->yb);
  ASSERT_TRUE(k.ok());
  const Secret<kIskLen> isk =
      DeriveIskInitiatorResponder(joiner_ctx.sid, *k, *Ya, {}, parsed->yb, {});
  const Tag forged = ConfirmationTag(ConfirmationKey(joiner_ctx.sid, isk), *Ya, {});
  EXPECT_EQ(target.HandleM3(EncodeM3(CpaceM3{forged})).code(), ErrorCode::kCryptoFailure);
  EXPECT_TRUE(target.IsDead());
  EXPECT_EQ(target.NoisePsk().code(), ErrorCode::kRefused);
}

TEST(CpaceSession, DifferentSessionIdOrChannelIdentifierFailsLikeAWrongCode) {
  for (int which = 0; which < 2; ++which) {
    Context inviter_ctx;
    Context joiner_ctx;
    if (which == 0) joiner_ctx.sid[0] ^= 1;
    if (which == 1)
      joiner_ctx.ci =
          LvCat({AsBytes("accord-pair-v1"), AsBytes("inviter"), AsBytes("joiner"), AsBytes("7")});
    CpaceInitiator joiner = Joiner(joiner_ctx);
    CpaceResponder inviter = Inviter(inviter_ctx);
    Result<Bytes> m2 = inviter.HandleM1(joiner.m1());
    ASSERT_TRUE(m2.ok());
    EXPECT_EQ(joiner.HandleM2(*m2).code(), ErrorCode::kCryptoFailure) << which;
  }
}

TEST(CpaceSession, IdentityOrInvalidShareAborts) {
  Context ctx;
  Point identity{};
  Point non_canonical{};
  non_canonical.fill(0xff);
  for (const Point& bad : {identity, non_canonical}) {
    CpaceResponder inviter = Inviter(ctx);
    EXPECT_EQ(inviter.HandleM1(EncodeM1(CpaceM1{bad, {}})).code(), ErrorCode::kCryptoFailure);
    EXPECT_TRUE(inviter.IsDead());

    CpaceInitiator joiner = Joiner(ctx);
    CpaceResponder honest = Inviter(ctx);
    Result<Bytes> m2 = honest.HandleM1(joiner.m1());
    ASSERT_TRUE(m2.ok());
    Result<CpaceM2> parsed = DecodeM2(*m2);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(joiner.HandleM2(EncodeM2(CpaceM2{bad, parsed->tb})).code(),
              ErrorCode::kCryptoFailure);
    EXPECT_TRUE(joiner.IsDead());
  }
}

TEST(CpaceSession, TamperedConfirmationTagsAbort) {
  Context ctx;
  for (size_t byte : {size_t{0}, size_t{31}, size_t{63}}) {
    CpaceInitiator joiner = Joiner(ctx);
    CpaceResponder inviter = Inviter(ctx);
    Result<Bytes> m2 = inviter.HandleM1(joiner.m1());
    ASSERT_TRUE(m2.ok());
    Bytes bad_m2 = *m2;
    bad_m2[kPointLen + byte] ^= 0x80;
    EXPECT_EQ(joiner.HandleM2(bad_m2).code(), ErrorCode::kCryptoFailure);
    EXPECT_TRUE(joiner.IsDead());

    CpaceInitiator joiner2 = Joiner(ctx);
    CpaceResponder inviter2 = Inviter(ctx);
    Result<Bytes> m2b = inviter2.HandleM1(joiner2.m1());
    ASSERT_TRUE(m2b.ok());
    Result<Bytes> m3 = joiner2.HandleM2(*m2b);
    ASSERT_TRUE(m3.ok());
    Bytes bad_m3 = *m3;
    bad_m3[byte] ^= 0x01;
    EXPECT_EQ(inviter2.HandleM3(bad_m3).code(), ErrorCode::kCryptoFailure);
    EXPECT_TRUE(inviter2.IsDead());
  }
}

TEST(CpaceSession, TamperedJoinerAssociatedDataFailsConfirmation) {
  Context ctx;
  CpaceInitiator joiner = Joiner(ctx, AsBytes("v1"));
  CpaceResponder inviter = Inviter(ctx);
  Bytes m1 = joiner.m1();
  m1.back() ^= 0x01;  // "v1" -> "v0": ADa is bound into the ISK
  Result<Bytes> m2 = inviter.HandleM1(m1);
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(joiner.HandleM2(*m2).code(), ErrorCode::kCryptoFailure);
}

TEST(CpaceSession, MessagesWithWrongLengthsAreRejected) {
  Context ctx;
  CpaceInitiator probe = Joiner(ctx, AsBytes("ad"));
  const Bytes m1 = probe.m1();
  ASSERT_EQ(m1.size(), kPointLen + 1 + 2);
  for (size_t len = 0; len <= m1.size() + 1; ++len) {
    if (len == m1.size()) continue;
    Bytes bad = m1;
    bad.resize(len);
    CpaceResponder inviter = Inviter(ctx);
    EXPECT_EQ(inviter.HandleM1(bad).code(), ErrorCode::kInvalidArgument) << len;
    EXPECT_TRUE(inviter.IsDead());
  }
  for (size_t len : {size_t{0}, kM2Len - 1, kM2Len + 1}) {
    CpaceInitiator joiner = Joiner(ctx);
    EXPECT_EQ(joiner.HandleM2(Bytes(len)).code(), ErrorCode::kInvalidArgument) << len;
    EXPECT_TRUE(joiner.IsDead());
  }
  for (size_t len : {size_t{0}, kM3Len - 1, kM3Len + 1}) {
    CpaceInitiator joiner = Joiner(ctx);
    CpaceResponder inviter = Inviter(ctx);
    ASSERT_TRUE(inviter.HandleM1(joiner.m1()).ok());
    EXPECT_EQ(inviter.HandleM3(Bytes(len)).code(), ErrorCode::kInvalidArgument) << len;
    EXPECT_TRUE(inviter.IsDead());
  }
  EXPECT_FALSE(CpaceInitiator::Create(ctx.inputs(), Bytes(kMaxAdLen + 1)).ok());
  EXPECT_TRUE(CpaceInitiator::Create(ctx.inputs(), Bytes(kMaxAdLen)).ok());
}

TEST(CpaceSession, TheInviterAcceptsExactlyOneGuess) {
  Context ctx;
  CpaceInitiator first = Joiner(ctx);
  CpaceInitiator second = Joiner(ctx);
  CpaceResponder inviter = Inviter(ctx);
  ASSERT_TRUE(inviter.HandleM1(first.m1()).ok());
  EXPECT_EQ(inviter.HandleM1(second.m1()).code(), ErrorCode::kRefused);
  EXPECT_TRUE(inviter.IsDead());
}

TEST(CpaceSession, OutOfOrderCallsAreRefused) {
  Context ctx;
  CpaceResponder inviter = Inviter(ctx);
  EXPECT_EQ(inviter.HandleM3(Bytes(kM3Len)).code(), ErrorCode::kRefused);
  EXPECT_TRUE(inviter.IsDead());
  EXPECT_EQ(inviter.Isk().code(), ErrorCode::kRefused);

  CpaceInitiator joiner = Joiner(ctx);
  CpaceResponder honest = Inviter(ctx);
  Result<Bytes> m2 = honest.HandleM1(joiner.m1());
  ASSERT_TRUE(m2.ok());
  ASSERT_TRUE(joiner.HandleM2(*m2).ok());
  EXPECT_EQ(joiner.HandleM2(*m2).code(), ErrorCode::kRefused);  // a replayed M2
}

TEST(CpaceSession, FreshScalarsMakeEveryRunDifferent) {
  Context ctx;
  EXPECT_NE(Joiner(ctx).m1(), Joiner(ctx).m1());
}

}  // namespace
}  // namespace accord::crypto::cpace
