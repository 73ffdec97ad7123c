#include "daemon/pairing/records.h"

namespace accord::pairing {
namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, "pairing: " + std::move(message));
}

// Length of the UTF-8 sequence starting at s[i] that encodes a scalar value (no overlong forms,
// no surrogates, at most U+10FFFF), or 0 if there is none.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  if (cp >= 0x80 && cp <= 0x9f) return 0;  // C1 controls
  return n;
}

}  // namespace

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return Invalid("a name must be 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  }
  for (size_t i = 0; i < name.size();) {
    const uint8_t c = static_cast<uint8_t>(name[i]);
    if (c < 0x20 || c == 0x7f) return Invalid("a name must not contain control characters");
    const size_t n = Utf8SequenceLength(name, i);
    if (n == 0) return Invalid("a name must be valid UTF-8 without control characters");
    i += n;
  }
  return Status::Ok();
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
  return CheckName(bundle.inviter_name);
}

}  // namespace accord::pairing
