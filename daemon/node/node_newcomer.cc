// Node: newcomers without history (SPEC §6 "invite into a pact of two or more",
// docs/pairing.md "Newcomers without history"). The inviter starts a new epoch whose key is
// all the newcomer gets, and restates the bodies of the pact's control entries, which the
// newcomer receives header-only, so that it can fold who is in the pact; the newcomer keeps
// them sealed under its storage key and folds each one when its header arrives.
#include <algorithm>

#include "daemon/logging.h"
#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"

namespace accord::daemon {

namespace {

constexpr std::string_view kMetaRestated = "restated_control";
constexpr std::string_view kRestatedPurpose = "accord-restated-control-v1";
constexpr size_t kRestatedFixedBytes = 32 + 32 + 4;  // id, author, body length

std::string EncodeRestated(const std::map<log::EntryId, Node::RestatedBody>& restated) {
  Bytes out;
  for (const auto& [id, r] : restated) {
    AppendBytes(out, r.id);
    AppendBytes(out, r.author);
    AppendU32Be(out, static_cast<uint32_t>(r.body.size()));
    AppendBytes(out, r.body);
  }
  return std::string(AsChars(out));
}

std::optional<std::map<log::EntryId, Node::RestatedBody>> DecodeRestated(ByteView in) {
  std::map<log::EntryId, Node::RestatedBody> out;
  while (!in.empty()) {
    if (in.size() < kRestatedFixedBytes) return std::nullopt;
    Node::RestatedBody r;
    std::copy_n(in.begin(), r.id.size(), r.id.begin());
    std::copy_n(in.begin() + 32, r.author.size(), r.author.begin());
    const uint32_t length = GetU32Be(in.data() + 64);
    in = in.subspan(kRestatedFixedBytes);
    if (length > in.size()) return std::nullopt;
    r.body.assign(in.begin(), in.begin() + length);
    in = in.subspan(length);
    const log::EntryId id = r.id;
    out.emplace(id, std::move(r));
  }
  return out;
}

// The device keys a restated body names: their feeds are accepted before the entries that
// introduce them have been folded here.
std::vector<log::DeviceKey> NamedBy(const Node::RestatedBody& r) {
  std::vector<log::DeviceKey> out{r.author};
  proto::Body body;
  if (!body.ParseFromArray(r.body.data(), static_cast<int>(r.body.size()))) return out;
  auto add = [&](const std::string& key) {
    log::DeviceKey device;
    if (key.size() != device.size()) return;
    std::copy(key.begin(), key.end(), device.begin());
    out.push_back(device);
  };
  if (body.has_member_added()) add(body.member_added().device_key());
  if (body.has_device_added()) add(body.device_added().device_key());
  return out;
}

}  // namespace

Result<std::vector<Node::RestatedBody>> Node::RestatedControl(uint64_t newest_epoch) const {
  std::vector<RestatedBody> out;
  Status read = store_->ForEachEntry([&](const store::StoredEntry& e) -> Status {
    if (e.header.scope != log::Scope::kControl) return Status::Ok();
    Result<proto::Body> body = OpenStoredBody(e.header, e.envelope, keys_);
    if (!body.ok()) {
      // A newcomer inviting the next one passes on what its own inviter restated to it;
      // anything else it cannot open is not folded here either.
      std::optional<proto::Body> restated = RestatedBodyOf(e.id);
      if (!restated || restated_.at(e.id).author != e.header.author) return Status::Ok();
      body = std::move(*restated);
    }
    // Earlier rotations seal keys the newcomer never gets: only the newest one counts.
    if (body->has_epoch_start() && body->epoch_start().epoch() != newest_epoch) {
      return Status::Ok();
    }
    RestatedBody r;
    r.id = e.id;
    r.author = e.header.author;
    const std::string plain = body->SerializeAsString();
    r.body.assign(plain.begin(), plain.end());
    out.push_back(std::move(r));
    return Status::Ok();
  });
  if (!read.ok()) return read.error();
  std::sort(out.begin(), out.end(),
            [](const RestatedBody& a, const RestatedBody& b) { return a.id < b.id; });
  return out;
}

Result<Node::NewcomerStart> Node::StartNewcomerEpoch() {
  if (std::optional<Error> blocked = WriteBlocked()) return *blocked;
  if (std::optional<Error> left = LeftError()) return *left;
  if (!Epochs().IsCurrentDevice(device_key_)) {
    return MakeError(ErrorCode::kRefused, "this device is not a current device of the pact");
  }
  ACCORD_RETURN_IF_ERROR(Rotate());
  NewcomerStart start;
  start.epoch = Epochs().current();
  const crypto::SecretKey* key = keys_.KeyFor(log::Scope::kShared, start.epoch);
  if (key == nullptr) return MakeError(ErrorCode::kInternal, "the newcomer's epoch key is missing");
  start.key = key->Clone();
  Result<std::vector<RestatedBody>> restated = RestatedControl(start.epoch);
  if (!restated.ok()) return restated.error();
  start.restated = std::move(*restated);
  return start;
}

Status Node::KeepRestated(std::vector<RestatedBody> restated) {
  std::map<log::EntryId, RestatedBody> by_id;
  for (RestatedBody& r : restated) {
    const log::EntryId id = r.id;
    by_id.emplace(id, std::move(r));
  }
  const std::string sealed = SealLocal(kRestatedPurpose, EncodeRestated(by_id));
  ACCORD_RETURN_IF_ERROR(store_->SetMeta(kMetaRestated, AsBytes(sealed)));
  restated_ = std::move(by_id);
  TrustRestatedDevices();
  return Status::Ok();
}

void Node::TrustRestatedDevices() {
  for (const auto& [id, r] : restated_)
    for (const log::DeviceKey& d : NamedBy(r)) named_devices_.insert(d);
}

std::vector<Node::RestatedBody> Node::RestatedForOwnDevice() const {
  std::vector<RestatedBody> out;
  for (const auto& [id, r] : restated_) out.push_back(r);
  return out;  // ascending ids
}

Status Node::LoadRestated() {
  restated_.clear();
  Result<std::optional<Bytes>> sealed = store_->GetMeta(kMetaRestated);
  if (!sealed.ok()) return sealed.error();
  if (!*sealed || (*sealed)->empty()) return Status::Ok();
  std::optional<std::string> plain = OpenLocal(kRestatedPurpose, AsChars(**sealed));
  std::optional<std::map<log::EntryId, RestatedBody>> decoded;
  if (plain) decoded = DecodeRestated(AsBytes(*plain));
  if (!decoded) {
    return MakeError(ErrorCode::kCorrupt,
                     "the pact's membership as this device's inviter restated it does not open "
                     "with the key file (a damaged store or a wrong key file)");
  }
  restated_ = std::move(*decoded);
  TrustRestatedDevices();
  return Status::Ok();
}

std::optional<proto::Body> Node::RestatedBodyOf(const log::EntryId& id) const {
  auto it = restated_.find(id);
  if (it == restated_.end()) return std::nullopt;
  proto::Body body;
  if (!body.ParseFromArray(it->second.body.data(), static_cast<int>(it->second.body.size())) ||
      log::ScopeOf(body) != log::Scope::kControl) {
    return std::nullopt;
  }
  return body;
}

Status Node::FoldRestated(const log::EntryHeader& header, const log::EntryId& id, bool notify) {
  auto it = restated_.find(id);
  if (it == restated_.end()) return Status::Ok();
  std::optional<proto::Body> body = RestatedBodyOf(id);
  if (!body || header.scope != log::Scope::kControl || header.author != it->second.author) {
    LogWarning("entry " + ToHex(id).substr(0, 8) +
               " does not match what the inviter restated of it; not folded");
    return Status::Ok();
  }
  return FoldEntry(header, id, *body, notify);
}

bool Node::WithoutHistory(const log::EntryHeader& header) {
  if (restated_.empty() || header.scope == log::Scope::kPrivate) return false;
  return keys_.KeyFor(header.scope, header.epoch) == nullptr &&
         !Epochs().MayHold(device_key_, header.epoch);
}

}  // namespace accord::daemon
