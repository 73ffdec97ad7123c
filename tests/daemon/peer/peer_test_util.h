// Helpers shared by the daemon/peer tests: key sets and a completed sync handshake.
#ifndef ACCORD_TESTS_DAEMON_PEER_PEER_TEST_UTIL_H_
#define ACCORD_TESTS_DAEMON_PEER_PEER_TEST_UTIL_H_

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "daemon/peer/channel.h"
#include "daemon/peer/sync_handshake.h"

namespace accord::peer::testing {

inline log::PactId RandomPact() { return crypto::RandomFixed<16>(); }

// Both transport sessions of one completed handshake between two fresh devices.
struct SessionPair {
  crypto::noise::TransportSession initiator;
  crypto::noise::TransportSession responder;
};

inline SessionPair Handshake() {
  const crypto::DhKeyPair alice = crypto::DhKeyPair::Generate();
  const crypto::DhKeyPair bob = crypto::DhKeyPair::Generate();
  const log::PactId pact = RandomPact();
  Result<SyncInitiator> initiator = SyncInitiator::Create(alice, bob.public_key(), pact);
  Result<SyncResponder> responder = SyncResponder::Create(bob, pact);
  if (!initiator.ok() || !responder.ok()) std::abort();
  Result<Bytes> m1 = initiator->WriteMessage1(Tai64nFromUnixNanos(1));
  if (!m1.ok() || !responder->ReadMessage1(*m1).ok()) std::abort();
  auto m2 = responder->WriteMessage2();
  if (!m2.ok()) std::abort();
  Result<crypto::noise::TransportSession> i = initiator->ReadMessage2(m2->first);
  if (!i.ok()) std::abort();
  return SessionPair{std::move(i).value(), std::move(m2->second)};
}

struct ChannelPair {
  SecureChannel initiator;
  SecureChannel responder;
};

inline ChannelPair Connect(uint64_t max_frames = kMaxFramesPerSession) {
  SessionPair s = Handshake();
  return ChannelPair{SecureChannel(std::move(s.initiator), max_frames),
                     SecureChannel(std::move(s.responder), max_frames)};
}

// Whether `needle` occurs anywhere in `haystack`.
inline bool Contains(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

}  // namespace accord::peer::testing

#endif  // ACCORD_TESTS_DAEMON_PEER_PEER_TEST_UTIL_H_
