// The IK sync handshake: agreement, silence towards strangers, tamper and truncation
// resistance, and what the bytes on the wire do not reveal.
#include "daemon/peer/sync_handshake.h"

#include <gtest/gtest.h>

#include "tests/daemon/peer/peer_test_util.h"

namespace accord::peer {
namespace {

using crypto::DhKeyPair;
using crypto::noise::TransportSession;
using testing::Contains;
using testing::RandomPact;

constexpr int64_t kNow = 1'700'000'000'123'456'789;  // unix nanoseconds

struct Devices {
  DhKeyPair alice = DhKeyPair::Generate();  // initiator
  DhKeyPair bob = DhKeyPair::Generate();    // responder
  log::PactId pact = RandomPact();
};

Bytes Message1(const Devices& d, int64_t now = kNow) {
  Result<SyncInitiator> initiator = SyncInitiator::Create(d.alice, d.bob.public_key(), d.pact);
  EXPECT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(now));
  EXPECT_TRUE(m1.ok());
  return m1.ok() ? *m1 : Bytes();
}

Result<SyncResponder::Message1> ReadAsBob(const Devices& d, ByteView m1) {
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  EXPECT_TRUE(responder.ok());
  return responder->ReadMessage1(m1);
}

// An initiator that has sent msg1 and a msg2 for it, ready for ReadMessage2.
struct AwaitingMessage2 {
  SyncInitiator initiator;
  Bytes message2;
};

AwaitingMessage2 UpToMessage2(const Devices& d) {
  Result<SyncInitiator> initiator = SyncInitiator::Create(d.alice, d.bob.public_key(), d.pact);
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  if (!initiator.ok() || !responder.ok()) std::abort();
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  if (!m1.ok() || !responder->ReadMessage1(*m1).ok()) std::abort();
  auto m2 = responder->WriteMessage2();
  if (!m2.ok()) std::abort();
  return AwaitingMessage2{std::move(initiator).value(), m2->first};
}

TEST(SyncHandshake, PrologueIsTheLabelThenThePactId) {
  const log::PactId pact = RandomPact();
  Bytes expected(AsBytes("accord-sync/1").begin(), AsBytes("accord-sync/1").end());
  AppendBytes(expected, pact);
  EXPECT_EQ(SyncPrologue(pact), expected);
  EXPECT_EQ(kSyncProtocolName, "Noise_IK_25519_ChaChaPoly_BLAKE2b");
}

TEST(SyncHandshake, BothSidesAgreeAndExchangeTransportMessagesBothWays) {
  Devices d;
  Result<SyncInitiator> initiator = SyncInitiator::Create(d.alice, d.bob.public_key(), d.pact);
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  ASSERT_TRUE(initiator.ok() && responder.ok());

  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(m1->size(), kSyncMessage1Bytes);
  Result<SyncResponder::Message1> read = responder->ReadMessage1(*m1);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->initiator, d.alice.public_key());
  EXPECT_EQ(read->timestamp, Tai64nFromUnixNanos(kNow));

  auto m2 = responder->WriteMessage2();
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->first.size(), kSyncMessage2Bytes);
  Result<TransportSession> alice = initiator->ReadMessage2(m2->first);
  ASSERT_TRUE(alice.ok());
  TransportSession& bob = m2->second;
  EXPECT_EQ(alice->handshake_hash(), bob.handshake_hash());

  Result<Bytes> hello = alice->Encrypt(AsBytes("hello from the initiator"));
  ASSERT_TRUE(hello.ok());
  Result<Bytes> got = bob.Decrypt(*hello);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(AsChars(*got), "hello from the initiator");
  Result<Bytes> reply = bob.Encrypt(AsBytes("and back"));
  ASSERT_TRUE(reply.ok());
  Result<Bytes> back = alice->Decrypt(*reply);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(AsChars(*back), "and back");
}

TEST(SyncHandshake, EveryHandshakeDrawsAFreshEphemeralKey) {
  Devices d;
  const Bytes first = Message1(d);
  const Bytes second = Message1(d);  // same keys, same pact, same timestamp
  ASSERT_EQ(first.size(), second.size());
  EXPECT_NE(Bytes(first.begin(), first.begin() + 32), Bytes(second.begin(), second.begin() + 32));
  EXPECT_NE(first, second);
}

TEST(SyncHandshake, StrangerMessage1ForAnotherResponderKeyFailsToRead) {
  Devices d;
  const DhKeyPair stranger = DhKeyPair::Generate();
  const DhKeyPair someone_else = DhKeyPair::Generate();
  // The stranger knows the pact id but dials a key that is not Bob's.
  Result<SyncInitiator> initiator =
      SyncInitiator::Create(stranger, someone_else.public_key(), d.pact);
  ASSERT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());

  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  ASSERT_TRUE(responder.ok());
  Result<SyncResponder::Message1> read = responder->ReadMessage1(*m1);
  EXPECT_EQ(read.code(), ErrorCode::kDecryptFailed);
  // Nothing to answer with: the responder stays silent.
  EXPECT_EQ(responder->WriteMessage2().code(), ErrorCode::kRefused);
}

TEST(SyncHandshake, NonMemberWhoKnowsTheResponderKeyIsReportedForTheCallerToRefuse) {
  Devices d;
  const DhKeyPair outsider = DhKeyPair::Generate();
  Result<SyncInitiator> initiator = SyncInitiator::Create(outsider, d.bob.public_key(), d.pact);
  ASSERT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());
  Result<SyncResponder::Message1> read = ReadAsBob(d, *m1);
  ASSERT_TRUE(read.ok());
  // The reported key is the authenticated static key of whoever made msg1.
  EXPECT_EQ(read->initiator, outsider.public_key());
  EXPECT_NE(read->initiator, d.alice.public_key());
}

TEST(SyncHandshake, WrongPactIdFailsBecauseThePrologueDiffers) {
  Devices d;
  Result<SyncInitiator> initiator =
      SyncInitiator::Create(d.alice, d.bob.public_key(), RandomPact());
  ASSERT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(ReadAsBob(d, *m1).code(), ErrorCode::kDecryptFailed);

  // A pact id that differs in its last bit only fails too.
  log::PactId close_pact = d.pact;
  close_pact[15] ^= 0x01;
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, close_pact);
  ASSERT_TRUE(responder.ok());
  EXPECT_FALSE(responder->ReadMessage1(Message1(d)).ok());
}

TEST(SyncHandshake, EveryFlippedBitInMessage1Fails) {
  Devices d;
  const Bytes m1 = Message1(d);
  ASSERT_TRUE(ReadAsBob(d, m1).ok());  // the untouched message is fine
  for (size_t bit = 0; bit < m1.size() * 8; ++bit) {
    Bytes altered = m1;
    altered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(ReadAsBob(d, altered).ok()) << "bit " << bit;
  }
}

TEST(SyncHandshake, EveryFlippedBitInMessage2Fails) {
  Devices d;
  const size_t bits = kSyncMessage2Bytes * 8;
  for (size_t bit = 0; bit < bits; ++bit) {
    AwaitingMessage2 a = UpToMessage2(d);
    a.message2[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(a.initiator.ReadMessage2(a.message2).ok()) << "bit " << bit;
  }
  AwaitingMessage2 untouched = UpToMessage2(d);
  EXPECT_TRUE(untouched.initiator.ReadMessage2(untouched.message2).ok());
}

TEST(SyncHandshake, TruncatedOrExtendedMessagesFail) {
  Devices d;
  const Bytes m1 = Message1(d);
  for (size_t n = 0; n < m1.size(); ++n) {
    EXPECT_FALSE(ReadAsBob(d, ByteView(m1).first(n)).ok()) << "msg1 cut to " << n;
  }
  Bytes longer = m1;
  longer.push_back(0);
  EXPECT_FALSE(ReadAsBob(d, longer).ok());

  for (size_t n = 0; n < kSyncMessage2Bytes; ++n) {
    AwaitingMessage2 a = UpToMessage2(d);
    EXPECT_FALSE(a.initiator.ReadMessage2(ByteView(a.message2).first(n)).ok())
        << "msg2 cut to " << n;
  }
  AwaitingMessage2 a = UpToMessage2(d);
  a.message2.push_back(0);
  EXPECT_FALSE(a.initiator.ReadMessage2(a.message2).ok());
}

TEST(SyncHandshake, RandomBytesFailAsEitherMessage) {
  Devices d;
  for (int i = 0; i < 200; ++i) {
    Bytes noise(i % 2 == 0 ? kSyncMessage1Bytes : crypto::RandomUniform(300));
    crypto::RandomBytes(noise);
    EXPECT_FALSE(ReadAsBob(d, noise).ok());
  }
  for (int i = 0; i < 50; ++i) {
    AwaitingMessage2 a = UpToMessage2(d);
    crypto::RandomBytes(a.message2);
    EXPECT_FALSE(a.initiator.ReadMessage2(a.message2).ok());
  }
}

TEST(SyncHandshake, ResponderStaticKeyNeverAppearsOnTheWire) {
  Devices d;
  AwaitingMessage2 a = UpToMessage2(d);
  const Bytes m1 = Message1(d);
  EXPECT_FALSE(Contains(m1, d.bob.public_key()));
  EXPECT_FALSE(Contains(a.message2, d.bob.public_key()));
  // The initiator's key travels, but only encrypted to the responder.
  EXPECT_FALSE(Contains(m1, d.alice.public_key()));
  EXPECT_FALSE(Contains(a.message2, d.alice.public_key()));
  // Nor does the pact id or the protocol label.
  EXPECT_FALSE(Contains(m1, d.pact));
  EXPECT_FALSE(Contains(m1, AsBytes("accord")));
}

TEST(SyncHandshake, Message2BeforeAReadMessage1IsRefused) {
  Devices d;
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  ASSERT_TRUE(responder.ok());
  EXPECT_EQ(responder->WriteMessage2().code(), ErrorCode::kRefused);
}

TEST(SyncHandshake, ResponderAnswersOnlyOnce) {
  Devices d;
  Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
  ASSERT_TRUE(responder.ok());
  ASSERT_TRUE(responder->ReadMessage1(Message1(d)).ok());
  ASSERT_TRUE(responder->WriteMessage2().ok());
  EXPECT_FALSE(responder->WriteMessage2().ok());
  EXPECT_FALSE(responder->ReadMessage1(Message1(d)).ok());
}

// A raw Noise party with the sync prologue: what a peer holding real keys could send.
crypto::noise::HandshakeState RawParty(crypto::noise::Role role, const DhKeyPair& me,
                                       const std::optional<crypto::DhPublicKey>& remote,
                                       const log::PactId& pact) {
  crypto::noise::HandshakeConfig config;
  config.protocol_name = std::string(kSyncProtocolName);
  config.role = role;
  config.prologue = SyncPrologue(pact);
  config.local_static = DhKeyPair::FromSecret(me.secret().Clone());
  config.remote_static = remote;
  Result<crypto::noise::HandshakeState> state =
      crypto::noise::HandshakeState::Create(std::move(config));
  if (!state.ok()) std::abort();
  return std::move(state).value();
}

TEST(SyncHandshake, Message1WhosePayloadIsNotOneTimestampFails) {
  Devices d;
  for (size_t size : {size_t{0}, kTai64nBytes - 1, kTai64nBytes + 1, size_t{64}}) {
    crypto::noise::HandshakeState raw =
        RawParty(crypto::noise::Role::kInitiator, d.alice, d.bob.public_key(), d.pact);
    Result<Bytes> m1 = raw.WriteMessage(Bytes(size, 0x40));
    ASSERT_TRUE(m1.ok());
    Result<SyncResponder> responder = SyncResponder::Create(d.bob, d.pact);
    ASSERT_TRUE(responder.ok());
    EXPECT_FALSE(responder->ReadMessage1(*m1).ok()) << size;
    EXPECT_EQ(responder->WriteMessage2().code(), ErrorCode::kRefused);
  }
  // The same raw party with exactly 12 bytes is accepted, so the refusals above are about
  // the payload and not about the raw party.
  crypto::noise::HandshakeState raw =
      RawParty(crypto::noise::Role::kInitiator, d.alice, d.bob.public_key(), d.pact);
  Result<Bytes> m1 = raw.WriteMessage(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());
  EXPECT_TRUE(ReadAsBob(d, *m1).ok());
}

TEST(SyncHandshake, Message2CarryingDataFails) {
  Devices d;
  Result<SyncInitiator> initiator = SyncInitiator::Create(d.alice, d.bob.public_key(), d.pact);
  ASSERT_TRUE(initiator.ok());
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(kNow));
  ASSERT_TRUE(m1.ok());
  crypto::noise::HandshakeState raw =
      RawParty(crypto::noise::Role::kResponder, d.bob, std::nullopt, d.pact);
  ASSERT_TRUE(raw.ReadMessage(*m1).ok());
  Result<Bytes> m2 = raw.WriteMessage(AsBytes("early data"));
  ASSERT_TRUE(m2.ok());
  EXPECT_FALSE(initiator->ReadMessage2(*m2).ok());
}

}  // namespace
}  // namespace accord::peer
