#include "daemon/log/rekey.h"

#include <string>
#include <string_view>

#include "daemon/log/binding.h"

namespace accord::log {
namespace {

constexpr std::string_view kContext = "accord/rekey/v1";

}  // namespace

proto::Body DeviceRekeyedBody(const crypto::SigningKey& old_device, const PactId& pact,
                              const DeviceKey& new_device) {
  proto::Body body;
  proto::DeviceRekeyed* rekeyed = body.mutable_device_rekeyed();
  rekeyed->set_old_device_key(
      std::string(old_device.public_key().begin(), old_device.public_key().end()));
  rekeyed->set_binding(BindingBy(old_device, kContext, pact, new_device));
  return body;
}

bool BindsRekey(const proto::Body& body, const PactId& pact, const DeviceKey& new_device,
                DeviceKey& old_device) {
  if (body.kind_case() != proto::Body::kDeviceRekeyed) return false;
  const proto::DeviceRekeyed& rekeyed = body.device_rekeyed();
  return VerifyBinding(kContext, pact, new_device, rekeyed.old_device_key(), rekeyed.binding(),
                       old_device);
}

}  // namespace accord::log
