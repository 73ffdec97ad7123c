#include "daemon/pairing/records.h"

#include "base/text.h"

namespace accord::pairing {
namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, "pairing: " + std::move(message));
}

}  // namespace

Status CheckName(std::string_view name) {
  Status s = accord::CheckName(name);
  if (!s.ok()) return Invalid(s.error().message);
  return s;
}

Status CheckMemberDevices(const std::vector<log::DeviceKey>& devices) {
  if (devices.empty() || devices.size() > kMaxMemberDevices) {
    return Invalid("a member has 1 to " + std::to_string(kMaxMemberDevices) + " devices");
  }
  for (size_t i = 0; i < devices.size(); ++i) {
    if (IsAllZero(devices[i])) return Invalid("a device key is all zero");
    if (i > 0 && !(devices[i - 1] < devices[i])) {
      return Invalid("member devices must be distinct and in ascending order");
    }
  }
  return Status::Ok();
}

Status CheckBundle(const PactBundle& bundle) {
  if (IsAllZero(bundle.pact)) return Invalid("the bundle has no pact id");
  if (IsAllZero(bundle.inviter_member)) return Invalid("the bundle names no inviting member");
  if (bundle.epoch_keys.empty() || bundle.epoch_keys.size() > kMaxEpochKeys) {
    return Invalid("a bundle carries 1 to " + std::to_string(kMaxEpochKeys) + " epoch keys");
  }
  for (size_t i = 1; i < bundle.epoch_keys.size(); ++i) {
    if (bundle.epoch_keys[i - 1].first >= bundle.epoch_keys[i].first) {
      return Invalid("bundle epochs must be distinct and ascending");
    }
  }
  if (bundle.kind == InviteKind::kPerson && !bundle.person_keys.empty()) {
    return Invalid("a new person never receives the inviter's person keys");
  }
  if (bundle.kind == InviteKind::kDevice &&
      (bundle.person_keys.empty() || bundle.person_keys.size() > kMaxPersonKeys)) {
    return Invalid("a device bundle carries 1 to " + std::to_string(kMaxPersonKeys) +
                   " person keys");
  }
  for (size_t i = 1; i < bundle.person_keys.size(); ++i) {
    if (bundle.person_keys[i - 1].first >= bundle.person_keys[i].first) {
      return Invalid("bundle person key generations must be distinct and ascending");
    }
  }
  if (bundle.devices.size() > kMaxPactDevices) {
    return Invalid("a bundle names at most " + std::to_string(kMaxPactDevices) + " devices");
  }
  for (size_t i = 0; i < bundle.devices.size(); ++i) {
    if (IsAllZero(bundle.devices[i].signing) || IsAllZero(bundle.devices[i].x25519)) {
      return Invalid("a bundle device has no key");
    }
    if (i > 0 && !(bundle.devices[i - 1].signing < bundle.devices[i].signing)) {
      return Invalid("bundle devices must be distinct and ascending");
    }
  }
  if (bundle.restated.size() > kMaxRestatedEntries) {
    return Invalid("a bundle restates at most " + std::to_string(kMaxRestatedEntries) + " entries");
  }
  size_t restated_bytes = 0;
  for (size_t i = 0; i < bundle.restated.size(); ++i) {
    const RestatedEntry& r = bundle.restated[i];
    if (IsAllZero(r.id) || IsAllZero(r.author) || r.body.empty()) {
      return Invalid("a restated entry has no id, author or body");
    }
    if (i > 0 && !(bundle.restated[i - 1].id < r.id)) {
      return Invalid("restated entries must be distinct and ascending");
    }
    restated_bytes += r.body.size();
  }
  if (restated_bytes > kMaxRestatedBytes) {
    return Invalid("the restated entries exceed " + std::to_string(kMaxRestatedBytes) + " bytes");
  }
  return CheckName(bundle.inviter_name);
}

Status CheckBundleHistory(const PactBundle& bundle, HistoryShare history) {
  // A device gets every key its member holds, and what was restated to a member let in
  // without history.
  if (bundle.kind == InviteKind::kDevice) return Status::Ok();
  const bool restates = !bundle.restated.empty();
  if (history == HistoryShare::kNone && (!restates || bundle.epoch_keys.size() != 1)) {
    return MakeError(ErrorCode::kRefused,
                     "pairing: the inviter said you would start without the pact's history, "
                     "but its bundle is not of that kind");
  }
  if (history != HistoryShare::kNone && restates) {
    return MakeError(ErrorCode::kRefused,
                     "pairing: the bundle restates entries the inviter said you would read");
  }
  return Status::Ok();
}

}  // namespace accord::pairing
