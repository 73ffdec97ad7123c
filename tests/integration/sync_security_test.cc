// The sync port under attack, against real daemons on loopback (SECURITY §4.2, §4.3): random
// bytes, strangers' handshakes, a replayed msg1, stalled handshakes, a tampered transport
// frame and batches past the caps. The attacker is this test speaking raw TCP; acting as a
// device means reading that device's key file (same user), as a thief of the file could.
#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/log/header.h"
#include "daemon/store/store.h"
#include "daemon/sync/session.h"
#include "tests/integration/peer_attack_fixture.h"

namespace accord::testing {
namespace {

using SyncSecurityTest = PeerAttackTest;

TEST_F(SyncSecurityTest, RandomBytesOnTheSyncPortGetZeroBytesBack) {
  Person& alice = Start("alice");
  Ok(alice, {"need", "add", "I need a quiet morning"});
  const uint64_t entries = Entries(alice);
  const std::string digest = Digest(alice);

  struct Round {
    std::string what;
    Bytes bytes;
  };
  std::vector<Round> rounds;
  auto with_type = [](uint8_t type, Bytes rest) {
    rest.insert(rest.begin(), type);
    return rest;
  };
  // A frame of msg1's exact size, full of noise.
  rounds.push_back(
      {"sync, a msg1-sized frame of noise",
       with_type(kSyncType, peer::EncodeFrame(RandomBytes(peer::kSyncMessage1Bytes)))});
  // A frame of random length, complete, so the daemon reads all of it before deciding.
  for (int i = 0; i < 3; ++i) {
    const size_t n = 1 + crypto::RandomUniform(peer::kMaxFrameBytes);
    rounds.push_back({"sync, a noise frame of " + std::to_string(n) + " bytes",
                      with_type(kSyncType, peer::EncodeFrame(RandomBytes(n)))});
  }
  rounds.push_back({"sync, a zero-length frame", with_type(kSyncType, Bytes{0, 0})});
  rounds.push_back({"pairing with no open invitation", with_type(kPairingType, RandomBytes(300))});
  for (uint8_t type : {uint8_t{0x00}, uint8_t{0x03}, uint8_t{0x16}, uint8_t{0xff}}) {
    rounds.push_back({"type byte " + std::to_string(type), with_type(type, RandomBytes(500))});
  }
  uint8_t other = 0;
  while (other == kSyncType || other == kPairingType) other = crypto::RandomFixed<1>()[0];
  rounds.push_back(
      {"random type byte " + std::to_string(other), with_type(other, RandomBytes(2000))});

  for (const Round& r : rounds) {
    SCOPED_TRACE(r.what);
    Conn conn(alice.address);
    ASSERT_TRUE(conn.connected());
    conn.Send(r.bytes);  // may fail part way: the daemon is allowed to hang up early
    conn.ReadUntilClosed();
    EXPECT_EQ(conn.received(), 0u);
    EXPECT_TRUE(conn.closed());
  }
  CommandResult status = alice.daemon->Accord({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err << alice.daemon->Log();
  EXPECT_EQ(Entries(alice), entries);
  EXPECT_EQ(Digest(alice), digest);
}

TEST_F(SyncSecurityTest, AStrangersIkMessageOneGetsSilence) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const crypto::DhPublicKey alice_key = Identity(alice).dh.public_key();
  const crypto::DeviceIdentity as_bob = Identity(bob);
  const crypto::DhKeyPair stranger = crypto::DhKeyPair::Generate();
  const uint64_t entries = Entries(alice);

  struct Round {
    std::string what;
    Bytes message1;
  };
  const std::vector<Round> rounds = {
      {"a correct msg1 for alice's key from a key of no pact device",
       Message1(stranger, alice_key, pact)},
      {"a stranger's msg1 made for the wrong responder key",
       Message1(stranger, crypto::DhKeyPair::Generate().public_key(), pact)},
      {"bob's key, but a msg1 made for bob's own key",
       Message1(as_bob.dh, as_bob.dh.public_key(), pact)},
      {"bob's key and alice's key, but another pact",
       Message1(as_bob.dh, alice_key, crypto::RandomFixed<16>())},
  };
  for (const Round& r : rounds) {
    SCOPED_TRACE(r.what);
    Conn conn(alice.address);
    ASSERT_TRUE(conn.connected());
    conn.Send(SyncOpening(r.message1));
    conn.ReadUntilClosed();
    EXPECT_EQ(conn.received(), 0u);
    EXPECT_TRUE(conn.closed());
  }

  // The same construction with a pact device's key is answered: the silence above is the
  // daemon's decision, not a broken harness.
  Conn control(alice.address);
  ASSERT_TRUE(control.Send(SyncOpening(Message1(as_bob.dh, alice_key, pact))));
  std::optional<Bytes> message2 = control.ReadFrame();
  ASSERT_TRUE(message2.has_value()) << alice.daemon->Log();
  EXPECT_EQ(message2->size(), peer::kSyncMessage2Bytes);

  EXPECT_EQ(alice.daemon->Accord({"status"}).exit_code, 0);
  EXPECT_EQ(Entries(alice), entries);
  EXPECT_EQ(PeerState(alice, "bob"), "PEER_STATE_CONNECTED");
}

TEST_F(SyncSecurityTest, AReplayedMessageOneCreatesNoSession) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const Bytes opening =
      SyncOpening(Message1(Identity(bob).dh, Identity(alice).dh.public_key(), pact));
  {
    Conn first(alice.address);
    ASSERT_TRUE(first.Send(opening));
    std::optional<Bytes> message2 = first.ReadFrame();
    ASSERT_TRUE(message2.has_value()) << alice.daemon->Log();
    EXPECT_EQ(message2->size(), peer::kSyncMessage2Bytes);
    EXPECT_EQ(first.received(), peer::kFrameHeaderBytes + peer::kSyncMessage2Bytes);
  }  // closed before any transport frame: Alice's half-made session ends with it

  Conn replay(alice.address);
  ASSERT_TRUE(replay.connected());
  replay.Send(opening);
  replay.ReadUntilClosed();
  EXPECT_EQ(replay.received(), 0u);
  EXPECT_TRUE(replay.closed());

  // The real Bob was never displaced and keeps syncing.
  Ok(bob, {"need", "add", "I need us to ask before making weekend plans"});
  EXPECT_TRUE(WaitFor([&] {
    return Json(alice, {"needs"}).dump().find("before making weekend plans") != std::string::npos;
  })) << alice.daemon->Log();
  EXPECT_TRUE(WaitFor([&] { return PeerState(alice, "bob") == "PEER_STATE_CONNECTED"; }));
  EXPECT_TRUE(WaitFor([&] { return Digest(alice) == Digest(bob); }));
}

// Bob's daemon is stopped before the impostor speaks (see StopBob): the test is about what
// Alice does with a tampered frame, not about which of two Bobs keeps the slot.
TEST_F(SyncSecurityTest, AFlippedBitInATransportFrameClosesTheConnectionAndStoresNothing) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const crypto::DeviceIdentity as_bob = Identity(bob);
  StopPeer(alice, bob);
  const uint64_t entries = Entries(alice);
  const std::string digest = Digest(alice);

  auto flip_one_bit = [](Bytes& frame) {
    const size_t at =
        peer::kFrameHeaderBytes +
        crypto::RandomUniform(static_cast<uint32_t>(frame.size() - peer::kFrameHeaderBytes));
    frame[at] ^= static_cast<uint8_t>(1u << crypto::RandomUniform(8));
  };
  {
    SCOPED_TRACE("the first transport frame (the Hello) altered");
    RawSession imp = Handshake(alice, as_bob.dh, pact);
    ASSERT_TRUE(imp.ok) << alice.daemon->Log();
    const size_t before = imp.conn->received();
    Result<Bytes> frame = imp.channel->Seal(Serialize(Hello()));
    ASSERT_TRUE(frame.ok());
    flip_one_bit(*frame);
    imp.conn->Send(*frame);
    EXPECT_FALSE(imp.conn->ReadFrame(kCloseWaitSeconds).has_value());
    EXPECT_TRUE(imp.conn->closed());
    EXPECT_EQ(imp.conn->received(), before);
  }
  {
    SCOPED_TRACE("a frame altered in an established session");
    RawSession imp = Established(alice, as_bob.dh, pact);
    ASSERT_TRUE(imp.ok) << alice.daemon->Log();
    const size_t before = imp.conn->received();
    Result<Bytes> frame = imp.channel->Seal(Serialize(EmptyBatch(1)));
    ASSERT_TRUE(frame.ok());
    flip_one_bit(*frame);
    imp.conn->Send(*frame);
    EXPECT_FALSE(imp.conn->ReadFrame(kCloseWaitSeconds).has_value());
    EXPECT_TRUE(imp.conn->closed());
    EXPECT_EQ(imp.conn->received(), before);  // not even a SyncClose: the channel is dead
  }
  ExpectUnchanged(alice, entries, digest);
}

TEST_F(SyncSecurityTest, AnOversizedLengthInsideAFrameIsRefused) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const crypto::DeviceIdentity as_bob = Identity(bob);
  StopPeer(alice, bob);
  const uint64_t entries = Entries(alice);
  const std::string digest = Digest(alice);

  struct Round {
    std::string what;
    proto::PeerMessage batch;
    std::string reason;  // what Alice's SyncClose must name
  };
  auto batch_of = [](const std::vector<std::array<size_t, 3>>& sizes) {
    proto::PeerMessage m = EmptyBatch(2);
    for (const auto& [header, body, signature] : sizes) {
      proto::WireEntry* e = m.mutable_batch()->add_entries();
      e->set_header(std::string(header, 'h'));
      e->set_sealed_body(std::string(body, 'b'));
      e->set_signature(std::string(signature, 's'));
    }
    return m;
  };
  const size_t too_many = sync::kMaxEntriesPerBatch + 1;
  std::vector<Round> rounds;
  rounds.push_back({"more entries than a batch may hold",
                    batch_of(std::vector<std::array<size_t, 3>>(too_many, {0, 0, 0})),
                    "batch of " + std::to_string(too_many) + " entries"});
  rounds.push_back({"a header one byte too long",
                    batch_of({{log::kHeaderBytes + 1, 100, log::kSignatureBytes}}),
                    "header of " + std::to_string(log::kHeaderBytes + 1) + " bytes"});
  rounds.push_back({"a signature one byte too long",
                    batch_of({{log::kHeaderBytes, 100, log::kSignatureBytes + 1}}),
                    "signature of " + std::to_string(log::kSignatureBytes + 1) + " bytes"});
  rounds.push_back(
      {"a sealed body over the cap",
       batch_of({{log::kHeaderBytes, log::kMaxSealedBodyBytes + 1, log::kSignatureBytes}}),
       "exceeds the cap"});

  for (const Round& r : rounds) {
    SCOPED_TRACE(r.what);
    ASSERT_LE(r.batch.ByteSizeLong(), sync::kMaxPeerMessageBytes);  // it fits one frame
    RawSession imp = Established(alice, as_bob.dh, pact);
    ASSERT_TRUE(imp.ok) << alice.daemon->Log();
    // A well-formed empty batch is acknowledged: the session is reading batches.
    ASSERT_TRUE(imp.Send(EmptyBatch(1)));
    std::optional<proto::PeerMessage> ack = imp.Read();
    ASSERT_TRUE(ack.has_value() && ack->has_ack()) << alice.daemon->Log();
    EXPECT_EQ(ack->ack().batch_id(), 1u);

    ASSERT_TRUE(imp.Send(r.batch));
    std::optional<proto::PeerMessage> bye = imp.Read();
    ASSERT_TRUE(bye.has_value() && bye->has_close()) << alice.daemon->Log();
    EXPECT_NE(bye->close().reason().find(r.reason), std::string::npos) << bye->close().reason();
    EXPECT_FALSE(imp.conn->ReadFrame(kCloseWaitSeconds).has_value());
    EXPECT_TRUE(imp.conn->closed());
  }
  ExpectUnchanged(alice, entries, digest);
}

// SECURITY §4.3: the handshake must complete in 10 s. Whoever stalls or drips bytes is cut
// off by the daemon, with nothing sent (or only msg2, to a real device that then goes quiet).
TEST_F(SyncSecurityTest, AStalledOrDrippedHandshakeIsCutOffWithoutAReply) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const Bytes bobs_opening =
      SyncOpening(Message1(Identity(bob).dh, Identity(alice).dh.public_key(), pact));

  Conn silent(alice.address);      // not even the type byte
  Conn type_only(alice.address);   // the type byte, then nothing
  Conn dripping(alice.address);    // a maximum frame, one byte at a time
  Conn after_msg2(alice.address);  // a real msg1, then no transport frame
  ASSERT_TRUE(silent.connected() && type_only.connected() && dripping.connected() &&
              after_msg2.connected());
  ASSERT_TRUE(type_only.Send(Bytes{kSyncType}));
  ASSERT_TRUE(dripping.Send(Bytes{kSyncType, 0xff, 0xff}));
  ASSERT_TRUE(after_msg2.Send(bobs_opening));

  const auto give_up = Clock::now() + std::chrono::seconds(kCloseWaitSeconds);
  size_t dripped = 0;
  Conn* all[] = {&silent, &type_only, &dripping, &after_msg2};
  auto all_closed = [&] {
    for (Conn* c : all)
      if (!c->closed()) return false;
    return true;
  };
  while (!all_closed() && Clock::now() < give_up) {
    if (!dripping.closed() && dripping.Send(RandomBytes(1))) ++dripped;
    for (Conn* c : all) c->ReadFor(100);
  }
  for (Conn* c : {&silent, &type_only, &dripping}) {
    EXPECT_TRUE(c->closed());
    EXPECT_EQ(c->received(), 0u);
  }
  EXPECT_LT(dripped, peer::kMaxFrameBytes);  // cut off, not served once the frame was whole
  EXPECT_TRUE(after_msg2.closed());
  EXPECT_EQ(after_msg2.received(), peer::kFrameHeaderBytes + peer::kSyncMessage2Bytes);

  EXPECT_EQ(PeerState(alice, "bob"), "PEER_STATE_CONNECTED");  // the real Bob was never displaced
}

// A stale inbound session (a half-open connection: the peer lost power or network) must not
// block the device's reconnection, whichever device key is smaller. An idle impostor
// session with Bob's key stands in for the half-open connection.
TEST_F(SyncSecurityTest, AStaleSessionDoesNotLockOutTheDevicesReconnection) {
  Person& first = Start("alice");
  Person& second = Start("bob");
  const bool first_smaller = Json(first, {"status"})["status"]["device_key"].get<std::string>() <
                             Json(second, {"status"})["status"]["device_key"].get<std::string>();
  Person& alice = first_smaller ? first : second;
  Person& bob = first_smaller ? second : first;
  const log::PactId pact = PairAndSync(alice, bob);
  const crypto::DeviceIdentity as_bob = Identity(bob);
  StopPeer(alice, bob);
  RawSession stale = Established(alice, as_bob.dh, pact);
  ASSERT_TRUE(stale.ok);
  ASSERT_TRUE(bob.daemon->Start()) << bob.daemon->Log();
  Ok(bob, {"need", "add", "I need a call when plans change"});
  EXPECT_TRUE(WaitFor([&] {
    return Json(alice, {"needs"}).dump().find("when plans change") != std::string::npos;
  })) << alice.daemon->Log()
      << bob.daemon->Log();
}

// SECURITY §4.3: at most 8 inbound handshakes in flight, and a stranger cannot hold them
// (docs/sync.md "Connections"): one source address keeps at most 2 unproven slots, so of 8
// connections from it that send the sync type byte and then nothing, the 6 oldest are
// closed at once, without a byte, long before the handshake deadline closes the last 2; the
// port serves on (Bob can still pair).
TEST_F(SyncSecurityTest, StalledHandshakesFromOneAddressHoldAtMostTwoHandshakeSlots) {
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  std::vector<std::unique_ptr<Conn>> held;
  for (int i = 0; i < 8; ++i) {
    held.push_back(std::make_unique<Conn>(alice.address));
    ASSERT_TRUE(held.back()->connected());
    ASSERT_TRUE(held.back()->Send(Bytes{kSyncType}));
    held.back()->ReadFor(50);  // in this order
  }
  const auto opened = Clock::now();
  for (int i = 0; i < 6; ++i) held[i]->ReadUntilClosed(1);
  for (auto& c : held) c->ReadFor(0);
  ASSERT_LT(Clock::now() - opened, std::chrono::seconds(5))
      << "too slow to tell eviction from the handshake deadline";
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(held[i]->closed(), i < 6) << "connection " << i;
    EXPECT_EQ(held[i]->received(), 0u);
  }
  for (int i = 6; i < 8; ++i) {
    held[i]->ReadUntilClosed();
    EXPECT_TRUE(held[i]->closed()) << "the handshake deadline closes a stalled handshake";
    EXPECT_EQ(held[i]->received(), 0u);
  }
  held.clear();
  PairAndSync(alice, bob);
}

// SECURITY test plan 9: a member device relays a batch large enough to be checked on the
// verification thread, with one flipped bit in one entry. Alice rejects the whole batch and
// closes; the same batch untampered is stored whole (so the rejection is the bit's doing).
TEST_F(SyncSecurityTest, AMemberRelayingOneTamperedEntryGetsTheWholeBatchRejected) {
  constexpr int kNew = 100;  // entries: above log::kMinParallelSignatures
  Person& alice = Start("alice");
  Person& bob = Start("bob");
  const log::PactId pact = PairAndSync(alice, bob);
  const crypto::DeviceIdentity as_bob = Identity(bob);
  const log::DeviceKey bob_key = as_bob.signing.public_key();
  ASSERT_EQ(alice.daemon->Stop(), 0);
  for (int i = 0; i < kNew; ++i) Ok(bob, {"need", "add", "I need note " + std::to_string(i)});
  ASSERT_EQ(bob.daemon->Stop(), 0);

  std::vector<log::Envelope> fresh;
  {
    Result<std::unique_ptr<store::Store>> bobs =
        store::Store::Open(bob.daemon->home() / "accord.db");
    ASSERT_TRUE(bobs.ok()) << bobs.error().message;
    const uint64_t head = (*bobs)->Head(bob_key).seq;
    ASSERT_GE(head, static_cast<uint64_t>(kNew));
    Result<std::vector<log::Envelope>> range = (*bobs)->ReadRange(bob_key, head - kNew + 1, kNew);
    ASSERT_TRUE(range.ok());
    fresh = std::move(*range);
  }
  ASSERT_EQ(fresh.size(), static_cast<size_t>(kNew));
  auto batch_of = [](const std::vector<log::Envelope>& entries) {
    proto::PeerMessage m = EmptyBatch(1);
    for (const log::Envelope& e : entries) {
      proto::WireEntry* w = m.mutable_batch()->add_entries();
      w->set_header(std::string(e.header.begin(), e.header.end()));
      w->set_sealed_body(std::string(e.sealed_body.begin(), e.sealed_body.end()));
      w->set_signature(std::string(e.signature.begin(), e.signature.end()));
    }
    return m;
  };

  ASSERT_TRUE(alice.daemon->Start()) << alice.daemon->Log();
  alice.address = Json(alice, {"status"})["status"]["listen_address"].get<std::string>();
  const uint64_t before = Entries(alice);
  for (const char* part : {"signature", "sealed body"}) {
    std::vector<log::Envelope> tampered = fresh;
    Bytes& bytes =
        std::string_view(part) == "signature" ? tampered[80].signature : tampered[80].sealed_body;
    bytes[3] ^= 0x10;
    RawSession imp = Established(alice, as_bob.dh, pact);
    ASSERT_TRUE(imp.ok) << part;
    ASSERT_TRUE(imp.Send(batch_of(tampered)));
    bool acked = false;
    while (std::optional<proto::PeerMessage> m = imp.Read()) acked = acked || m->has_ack();
    EXPECT_FALSE(acked) << part;
    EXPECT_TRUE(imp.conn->closed()) << part;
    EXPECT_EQ(Entries(alice), before) << part;  // not the 80 good entries before it either
  }

  RawSession genuine = Established(alice, as_bob.dh, pact);
  ASSERT_TRUE(genuine.ok);
  ASSERT_TRUE(genuine.Send(batch_of(fresh)));
  std::optional<proto::PeerMessage> ack = genuine.Read();
  while (ack && !ack->has_ack()) ack = genuine.Read();
  ASSERT_TRUE(ack.has_value()) << alice.daemon->Log();
  EXPECT_EQ(ack->ack().batch_id(), 1u);
  EXPECT_EQ(Entries(alice), before + kNew);
}

}  // namespace
}  // namespace accord::testing
