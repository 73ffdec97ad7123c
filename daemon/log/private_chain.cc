#include "daemon/log/private_chain.h"

#include <algorithm>
#include <string_view>

namespace accord::log {
namespace {

constexpr std::string_view kContext = "accord/private-chain/v1";

Bytes WithContext(const PactId& pact, ByteView rest) {
  Bytes out(kContext.begin(), kContext.end());
  AppendBytes(out, pact);
  AppendBytes(out, rest);
  return out;
}

}  // namespace

crypto::SigningKey PrivateChainKey(const crypto::SigningKey& device, const PactId& pact) {
  return crypto::DeriveSigningKey(device, WithContext(pact, {}));
}

proto::Body PrivateChainStartBody(const crypto::SigningKey& device, const PactId& pact,
                                  const DeviceKey& chain) {
  const crypto::Signature binding = device.Sign(WithContext(pact, chain));
  proto::Body body;
  proto::PrivateChainStart* start = body.mutable_private_chain_start();
  start->set_device_key(std::string(device.public_key().begin(), device.public_key().end()));
  start->set_binding(std::string(binding.begin(), binding.end()));
  return body;
}

bool BindsPrivateChain(const proto::Body& body, const PactId& pact, const DeviceKey& chain,
                       DeviceKey& device_key) {
  if (body.kind_case() != proto::Body::kPrivateChainStart) return false;
  const proto::PrivateChainStart& start = body.private_chain_start();
  crypto::Signature binding;
  if (start.device_key().size() != device_key.size() || start.binding().size() != binding.size())
    return false;
  DeviceKey device;
  std::copy(start.device_key().begin(), start.device_key().end(), device.begin());
  std::copy(start.binding().begin(), start.binding().end(), binding.begin());
  if (device == chain) return false;  // a chain key is never its own device
  if (!crypto::VerifySignature(device, WithContext(pact, chain), binding)) return false;
  device_key = device;
  return true;
}

}  // namespace accord::log
