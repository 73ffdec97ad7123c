// What both ends of a pairing connection share: the step deadlines, sending the pairing
// machine's messages as frames, and the name this device pairs under. Daemon thread only.
// The inviter's flow is invitations.h, the joiner's join.h; the protocol is daemon/pairing.
#ifndef ACCORD_DAEMON_NET_PAIRING_LINK_H_
#define ACCORD_DAEMON_NET_PAIRING_LINK_H_

#include <chrono>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "daemon/net/framed_socket.h"
#include "daemon/node/node.h"
#include "daemon/peer/frames.h"

namespace accord::daemon {

constexpr std::chrono::minutes kConsentTimeout{5};       // a human has this long to say yes
constexpr std::chrono::seconds kPairingStepTimeout{30};  // each machine step must arrive by then

inline void SendAll(FramedSocket& socket, const std::vector<Bytes>& messages) {
  for (const Bytes& m : messages) socket.Send(peer::EncodeFrame(m));
}

// This device's member name as the pact knows it, or "partner" before it knows.
inline std::string MyName(Node& node) {
  const state::Member* me = node.State().FindMember(node.member());
  return me ? me->name : "partner";
}

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_PAIRING_LINK_H_
