// In-memory runs of the pairing protocol for tests: two state machines and a queue of frames
// between them, with hooks to tamper with a frame and to answer the consent question.
#ifndef ACCORD_TESTS_DAEMON_PAIRING_PAIRING_HARNESS_H_
#define ACCORD_TESTS_DAEMON_PAIRING_PAIRING_HARNESS_H_

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/identity.h"
#include "crypto/random.h"
#include "daemon/pairing/messages.h"
#include "daemon/pairing/pairing.h"

namespace accord::pairing::testing {

struct Frame {
  bool to_inviter = false;
  Bytes bytes;
};

inline PactBundle MakeBundle(const log::DeviceKey& inviter_member, size_t keys = 2) {
  PactBundle bundle;
  bundle.pact = crypto::RandomFixed<16>();
  for (size_t i = 0; i < keys; ++i) {
    bundle.epoch_keys.emplace_back(i + 1, crypto::SecretKey::Random());
  }
  bundle.inviter_member = inviter_member;
  bundle.inviter_name = "Robin";
  return bundle;
}

inline PactBundle CloneBundle(const PactBundle& b) {
  PactBundle out;
  out.pact = b.pact;
  for (const auto& [epoch, key] : b.epoch_keys) out.epoch_keys.emplace_back(epoch, key.Clone());
  out.inviter_member = b.inviter_member;
  out.devices = b.devices;
  out.inviter_name = b.inviter_name;
  out.kind = b.kind;
  for (const auto& [g, key] : b.person_keys) out.person_keys.emplace_back(g, key.Clone());
  out.restated = b.restated;
  return out;
}

// The same nameplate with the second word replaced by the next list word.
inline PairingCode OneWordOff(const PairingCode& code) {
  std::array<uint8_t, kCodeWords> secret = code.secret;
  secret[1] = static_cast<uint8_t>(secret[1] + 1);
  return PairingCode{code.nameplate, secret, CanonicalCodeText(code.nameplate, secret)};
}

// The PairMessage kind of a frame, or -1 when it does not parse.
inline int KindOf(const Bytes& frame) {
  Result<proto::PairMessage> m = ParsePairMessage(frame);
  return m.ok() ? static_cast<int>(m->kind_case()) : -1;
}

class PairingRun {
 public:
  // The joiner types `joiner_code`; the inviter showed `inviter_code`.
  // `kind`: what the inviter's code adds (the bundle is made to match it).
  PairingRun(const PairingCode& joiner_code, const PairingCode& inviter_code,
             std::vector<log::DeviceKey> other_inviter_devices = {},
             InviteKind kind = InviteKind::kPerson, HistoryShare history = HistoryShare::kWhole)
      : joiner_id(crypto::DeviceIdentity::Generate()),
        inviter_id(crypto::DeviceIdentity::Generate()),
        joiner(joiner_code, joiner_id, "Sam"),
        inviter(inviter_code, inviter_id, "Robin", std::move(other_inviter_devices), kind, history),
        bundle(MakeBundle(inviter_id.signing.public_key())) {
    bundle.kind = kind;
    if (kind == InviteKind::kDevice) {
      bundle.person_keys.emplace_back(0, crypto::SecretKey::Random());
      bundle.person_keys.emplace_back(1, crypto::SecretKey::Random());
    }
  }
  explicit PairingRun(const PairingCode& code) : PairingRun(code, code) {}

  // Delivers frames until none is left. A machine that returns an error makes its edge close
  // the connection: the rest of the queue is dropped and the inviter hears the connection end.
  void Go() {
    for (Bytes& b : joiner.Start()) queue_.push_back(Frame{true, std::move(b)});
    while (true) {
      while (!queue_.empty() && !closed_) Deliver();
      if (!closed_ && inviter.awaiting_consent() && !consent_answered_) {
        consent_answered_ = true;
        if (consent) {
          Result<std::vector<Bytes>> out = inviter.Consent(CloneBundle(bundle));
          if (out.ok()) {
            for (Bytes& b : *out) queue_.push_back(Frame{false, std::move(b)});
          } else {
            consent_error = out.error();
          }
        } else {
          for (Bytes& b : inviter.Decline()) queue_.push_back(Frame{false, std::move(b)});
        }
        continue;
      }
      break;
    }
    // Nothing more will arrive: the connection ends, as the edge would notice.
    inviter.ConnectionEnded();
  }

  crypto::DeviceIdentity joiner_id;
  crypto::DeviceIdentity inviter_id;
  PairingJoiner joiner;
  PairingInviter inviter;
  PactBundle bundle;
  bool consent = true;
  // Called with (frame index, frame) before delivery.
  std::function<void(size_t, Frame&)> tamper;

  std::vector<Frame> delivered;  // every frame, after tampering, in order
  std::vector<Frame>
      sent_after_failure;  // frames a machine produced after an error (must stay empty)
  std::optional<Error> joiner_error;
  std::optional<Error> inviter_error;
  std::optional<Error> consent_error;

 private:
  void Deliver() {
    Frame frame = std::move(queue_.front());
    queue_.pop_front();
    if (tamper) tamper(delivered.size(), frame);
    delivered.push_back(frame);
    Result<std::vector<Bytes>> out =
        frame.to_inviter ? inviter.OnMessage(frame.bytes) : joiner.OnMessage(frame.bytes);
    if (!out.ok()) {
      (frame.to_inviter ? inviter_error : joiner_error) = out.error();
      closed_ = true;
      queue_.clear();
      return;
    }
    const bool from_failed = frame.to_inviter ? inviter.failed() : joiner.failed();
    for (Bytes& b : *out) {
      Frame next{!frame.to_inviter, std::move(b)};
      if (from_failed) sent_after_failure.push_back(next);
      queue_.push_back(std::move(next));
    }
  }

  std::deque<Frame> queue_;
  bool closed_ = false;
  bool consent_answered_ = false;
};

}  // namespace accord::pairing::testing

#endif  // ACCORD_TESTS_DAEMON_PAIRING_PAIRING_HARNESS_H_
