// The pairing protocol as two state machines, bytes in and bytes out (docs/pairing.md): CPace
// with explicit confirmation, then Noise_XXpsk3 keyed from the CPace ISK, then signed device
// records and the pact bundle. One thread at a time. Sockets, framing, timeouts: the daemon.
#ifndef ACCORD_DAEMON_PAIRING_PAIRING_H_
#define ACCORD_DAEMON_PAIRING_PAIRING_H_

#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/cpace/cpace_session.h"
#include "crypto/identity.h"
#include "crypto/noise/handshake_state.h"
#include "daemon/pairing/code.h"
#include "daemon/pairing/records.h"
#include "daemon/pairing/safety_number.h"

namespace accord::proto {
class PairMessage;
}

namespace accord::pairing {

// Every wire message below is one plaintext the edge frames with a 2-byte length; all stay
// under kMaxPairMessageBytes (16 KiB, messages.h). Any error is final: the machine is dead and
// later calls fail with kRefused. Nothing but CPace and Noise handshake bytes is sent before
// both sides have proved the code.

// The person who typed the code: CPace party A, Noise initiator.
class PairingJoiner {
 public:
  PairingJoiner(const PairingCode& code, const crypto::DeviceIdentity& me, std::string my_name);
  ~PairingJoiner();
  PairingJoiner(PairingJoiner&&) = default;

  // The sync port our record tells the inviter (0, the default: none). Before Start().
  void AdvertiseListenPort(uint16_t port) { listen_port_ = port; }
  // The PairHello. Empty, and failed(), if called twice or if my_name is not a valid name.
  std::vector<Bytes> Start();
  // The messages to send in reply (possibly none).
  Result<std::vector<Bytes>> OnMessage(ByteView message);

  bool done() const { return phase_ == Phase::kDone; }  // bundle received and acknowledged
  bool failed() const { return phase_ == Phase::kFailed; }
  bool declined() const { return declined_; }    // failed because the inviter said no
  const Error& error() const { return error_; }  // why, once failed()

  // Filled once the inviter's record is verified (its `kind` says what the code adds).
  const DeviceRecord& inviter() const { return inviter_; }
  bool inviter_verified() const { return !inviter_.name.empty(); }
  // Filled once done().
  const PactBundle& bundle() const { return bundle_; }
  // 60 digits once the inviter's record is verified, else empty.
  std::string safety_number() const { return safety_number_; }

 private:
  enum class Phase {
    kNew,
    kAwaitNonce,
    kAwaitM2,
    kAwaitNoise2,
    kAwaitRecord,
    kAwaitBundle,
    kDone,
    kFailed
  };

  Error Fail(Error error);
  Result<std::vector<Bytes>> Step(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnNonce(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnM2(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnNoise2(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnRecord(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnBundle(const proto::PairMessage& message);

  Phase phase_ = Phase::kNew;
  uint32_t nameplate_;
  std::string prs_;  // the canonical code; wiped once the CPace generator is computed
  FixedBytes<16> nonce_a_{};
  Bytes sid_;
  crypto::SigningKey signing_;
  crypto::DhKeyPair dh_;
  std::string my_name_;
  uint16_t listen_port_ = 0;
  std::optional<crypto::cpace::CpaceInitiator> cpace_;
  std::optional<crypto::noise::HandshakeState> handshake_;
  std::optional<crypto::noise::TransportSession> transport_;
  crypto::noise::HashOutput handshake_hash_{};
  crypto::DhPublicKey peer_static_{};
  DeviceRecord inviter_;
  PactBundle bundle_;
  std::string safety_number_;
  bool declined_ = false;
  Error error_;
};

// The person who showed the code: CPace party B, Noise responder. It accepts one PairHello and
// so one guess: any failure once the CPace M1 has arrived burns the code.
class PairingInviter {
 public:
  // my_member_devices: the inviter's member's devices (our own key is added if missing).
  // `kind`: what the code adds, told to the joiner in our signed record; Consent's bundle must
  // be of the same kind.
  // `history`: what a new person will read, told in the record too (kWhole for kDevice).
  PairingInviter(const PairingCode& code, const crypto::DeviceIdentity& me, std::string my_name,
                 std::vector<log::DeviceKey> my_member_devices,
                 InviteKind kind = InviteKind::kPerson,
                 HistoryShare history = HistoryShare::kWhole);
  ~PairingInviter();
  PairingInviter(PairingInviter&&) = default;

  Result<std::vector<Bytes>> OnMessage(ByteView message);

  // The joiner's record is verified; a human must say yes (Consent) or no (Decline).
  bool awaiting_consent() const { return phase_ == Phase::kAwaitConsent; }
  // The bundle is sent; the joiner acknowledges it once its own human said yes to what the
  // code does (that may take minutes).
  bool awaiting_ack() const { return phase_ == Phase::kAwaitAck; }
  const DeviceRecord& joiner() const { return joiner_; }  // filled once awaiting_consent()
  // Sends the bundle. kRefused unless awaiting_consent(); kInvalidArgument (and no change)
  // if the bundle fails CheckBundle or is not of this invitation's kind.
  Result<std::vector<Bytes>> Consent(PactBundle bundle);
  // Ends the pairing without sending anything secret: a PairDecline if the channel is up
  // (awaiting consent), else nothing.
  std::vector<Bytes> Decline();
  // The edge saw the connection end or time out before done(). After M1 this burns the code:
  // a wrong guess looks exactly like a joiner that hangs up after reading Tb.
  void ConnectionEnded();

  bool done() const { return phase_ == Phase::kDone; }  // the joiner acknowledged the bundle
  bool failed() const { return phase_ == Phase::kFailed; }
  bool declined() const { return phase_ == Phase::kDeclined; }
  // The code was tried and the pairing failed: never use it again, and tell the human that
  // someone may have tried a wrong code.
  bool burned() const { return burned_; }
  const Error& error() const { return error_; }
  // 60 digits once the joiner's record is verified, else empty.
  std::string safety_number() const { return safety_number_; }

 private:
  enum class Phase {
    kAwaitHello,
    kAwaitM1,
    kAwaitM3,
    kAwaitNoise1,
    kAwaitNoise3,
    kAwaitRecord,
    kAwaitConsent,
    kAwaitAck,
    kDone,
    kDeclined,
    kFailed
  };

  Error Fail(Error error);
  void DropSecrets();
  Result<std::vector<Bytes>> Step(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnHello(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnM1(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnM3(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnNoise1(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnNoise3(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnRecord(const proto::PairMessage& message);
  Result<std::vector<Bytes>> OnAck(const proto::PairMessage& message);

  Phase phase_ = Phase::kAwaitHello;
  uint32_t nameplate_;
  std::string prs_;  // the canonical code; wiped once the CPace generator is computed
  Bytes sid_;
  crypto::SigningKey signing_;
  crypto::DhKeyPair dh_;
  std::string my_name_;
  std::vector<log::DeviceKey> my_member_devices_;  // ascending, distinct, includes ours
  InviteKind kind_ = InviteKind::kPerson;
  HistoryShare history_ = HistoryShare::kWhole;
  std::optional<crypto::cpace::CpaceResponder> cpace_;
  std::optional<crypto::noise::HandshakeState> handshake_;
  std::optional<crypto::noise::TransportSession> transport_;
  crypto::noise::HashOutput handshake_hash_{};
  crypto::DhPublicKey peer_static_{};
  DeviceRecord joiner_;
  std::string safety_number_;
  bool m1_received_ = false;
  bool burned_ = false;
  Error error_;
};

}  // namespace accord::pairing

#endif  // ACCORD_DAEMON_PAIRING_PAIRING_H_
