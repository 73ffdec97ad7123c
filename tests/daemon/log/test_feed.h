// Test helpers for the log: a pact whose devices write real entries (real keys, real
// crypto, through log::Author), hand-sealed entries for bodies Author refuses to write, and
// an in-memory LogView. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_LOG_TEST_FEED_H_
#define ACCORD_TESTS_DAEMON_LOG_TEST_FEED_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "accord/entry.pb.h"
#include "crypto/sign.h"
#include "daemon/log/author.h"
#include "daemon/log/key_ring.h"
#include "daemon/log/log_view.h"
#include "daemon/log/validate.h"

namespace accord::log::testing {

// A random pact id, a KeyRing with epoch 1 and person-key generation 1, and `devices`
// signing keys, each with its own Author.
class TestFeed {
 public:
  explicit TestFeed(int devices = 3);

  const PactId& pact() const { return pact_; }
  const KeyRing& keys() const { return keys_; }
  const DeviceKey& device(int i) const { return signing_[i]->public_key(); }
  const crypto::SigningKey& signing(int i) const { return *signing_[i]; }
  FeedHead head(int i) const { return authors_[i]->head(); }

  // The device's next entry; Lamport clocks increase across the whole feed.
  AuthoredEntry Write(int device, const proto::Body& body);
  // Moves the device's author back to `head`, so its next entry conflicts (a fork).
  void Rewind(int device, FeedHead head);
  // The device's next entry with `plaintext` sealed as given under `scope`'s current key:
  // for bodies Author would refuse (unparsable, no kind, wrong scope). Advances the head.
  AuthoredEntry WriteRaw(int device, Scope scope, const std::string& plaintext);

 private:
  PactId pact_;
  KeyRing keys_;
  std::vector<std::unique_ptr<crypto::SigningKey>> signing_;
  std::vector<std::unique_ptr<Author>> authors_;
  uint64_t lamport_ = 0;
  int64_t time_ms_ = 1'700'000'000'000;  // unix ms; advanced by one second per entry
};

proto::Body NeedBody(const std::string& text);
proto::Body ReflectionBody(const std::string& text);
proto::Body MemberCreatedBody(const DeviceKey& self, const std::string& name);
proto::Body MemberAddedBody(const DeviceKey& device, const std::string& name);
proto::Body DeviceAddedBody(const DeviceKey& device);

// The VerifiedEntry validation would produce for an own entry with this body.
VerifiedEntry AsVerified(const AuthoredEntry& entry, const proto::Body& body);

// An in-memory log: entries added in order, frozen and known sets set by the test.
class FakeLog : public LogView {
 public:
  // REQUIRES: `entry` is its author's next entry here.
  void Add(const AuthoredEntry& entry);
  void Know(const DeviceKey& device) { known_.insert(device); }
  void Freeze(const DeviceKey& author) { frozen_.insert(author); }

  FeedHead Head(const DeviceKey& author) const override;
  std::optional<EntryId> IdAt(const DeviceKey& author, uint64_t seq) const override;
  bool IsFrozen(const DeviceKey& author) const override { return frozen_.contains(author); }
  bool IsKnownDevice(const DeviceKey& device) const override { return known_.contains(device); }

 private:
  std::map<DeviceKey, std::vector<EntryId>> feeds_;  // ids of seq 1, 2, ...
  std::set<DeviceKey> known_;
  std::set<DeviceKey> frozen_;
};

}  // namespace accord::log::testing

#endif  // ACCORD_TESTS_DAEMON_LOG_TEST_FEED_H_
