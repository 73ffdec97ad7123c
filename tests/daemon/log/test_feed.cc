#include "tests/daemon/log/test_feed.h"

#include <cassert>
#include <cstdlib>

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace accord::log::testing {

TestFeed::TestFeed(int devices) : pact_(crypto::RandomFixed<16>()) {
  keys_.AddEpochKey(1, crypto::SecretKey::Random());
  keys_.AddPersonKey(1, crypto::SecretKey::Random());
  for (int i = 0; i < devices; ++i) {
    signing_.push_back(std::make_unique<crypto::SigningKey>(crypto::SigningKey::Generate()));
    authors_.push_back(std::make_unique<Author>(*signing_.back(), pact_, FeedHead{}));
  }
}

AuthoredEntry TestFeed::Write(int device, const proto::Body& body) {
  time_ms_ += 1000;
  Result<AuthoredEntry> entry =
      authors_[device]->Write(body, keys_, keys_.current_epoch(), ++lamport_, time_ms_);
  if (!entry.ok()) std::abort();  // the helper's own bug; tests need a real entry
  return std::move(*entry);
}

void TestFeed::Rewind(int device, FeedHead head) {
  authors_[device] = std::make_unique<Author>(*signing_[device], pact_, head);
}

AuthoredEntry TestFeed::WriteRaw(int device, Scope scope, const std::string& plaintext) {
  const bool is_private = scope == Scope::kPrivate;
  const FeedHead head = authors_[device]->head();
  EntryHeader h;
  h.pact = pact_;
  h.author = signing_[device]->public_key();
  h.seq = head.seq + 1;
  h.lamport = ++lamport_;
  h.prev = head.id;
  h.time_ms = (time_ms_ += 1000);
  h.epoch = is_private ? keys_.current_person_generation() : keys_.current_epoch();
  h.scope = scope;
  h.nonce = crypto::RandomXNonce();
  h.body_len = static_cast<uint32_t>(plaintext.size() + crypto::kAeadTagBytes);
  FixedBytes<kHeaderBytes> encoded = EncodeHeader(h);
  Bytes sealed = crypto::SealBody(*keys_.KeyFor(scope, h.epoch), h.nonce,
                                  ByteView(encoded.data(), kHeaderAdBytes), AsBytes(plaintext));
  h.body_hash = crypto::Blake2b256(sealed);
  encoded = EncodeHeader(h);
  const crypto::Signature sig = signing_[device]->Sign(encoded);

  AuthoredEntry out;
  out.header = h;
  out.envelope.header.assign(encoded.begin(), encoded.end());
  out.envelope.sealed_body = std::move(sealed);
  out.envelope.signature.assign(sig.begin(), sig.end());
  out.id = ComputeEntryId(out.envelope.header);
  Rewind(device, FeedHead{h.seq, out.id});
  return out;
}

proto::Body NeedBody(const std::string& text) {
  proto::Body body;
  body.mutable_need()->set_text(text);
  return body;
}

proto::Body ReflectionBody(const std::string& text) {
  proto::Body body;
  body.mutable_reflection()->set_text(text);
  return body;
}

proto::Body MemberCreatedBody(const DeviceKey& self, const std::string& name) {
  proto::Body body;
  body.mutable_member_created()->set_member_id(std::string(self.begin(), self.end()));
  body.mutable_member_created()->set_name(name);
  return body;
}

proto::Body MemberAddedBody(const DeviceKey& device, const std::string& name) {
  proto::Body body;
  body.mutable_member_added()->set_member_id(std::string(device.begin(), device.end()));
  body.mutable_member_added()->set_device_key(std::string(device.begin(), device.end()));
  body.mutable_member_added()->set_name(name);
  return body;
}

proto::Body DeviceAddedBody(const DeviceKey& device) {
  proto::Body body;
  body.mutable_device_added()->set_device_key(std::string(device.begin(), device.end()));
  return body;
}

VerifiedEntry AsVerified(const AuthoredEntry& entry, const proto::Body& body) {
  return VerifiedEntry{entry.id, entry.header, entry.envelope, body};
}

void FakeLog::Add(const AuthoredEntry& entry) {
  std::vector<EntryId>& ids = feeds_[entry.header.author];
  assert(entry.header.seq == ids.size() + 1);
  ids.push_back(entry.id);
}

FeedHead FakeLog::Head(const DeviceKey& author) const {
  auto it = feeds_.find(author);
  if (it == feeds_.end() || it->second.empty()) return FeedHead{};
  return FeedHead{it->second.size(), it->second.back()};
}

std::optional<EntryId> FakeLog::IdAt(const DeviceKey& author, uint64_t seq) const {
  auto it = feeds_.find(author);
  if (it == feeds_.end() || seq == 0 || seq > it->second.size()) return std::nullopt;
  return it->second[seq - 1];
}

}  // namespace accord::log::testing
