#include "daemon/log/private_chain.h"

#include <string>
#include <string_view>

#include "daemon/log/binding.h"

namespace accord::log {
namespace {

constexpr std::string_view kContext = "accord/private-chain/v1";

}  // namespace

crypto::SigningKey PrivateChainKey(const crypto::SigningKey& device, const PactId& pact) {
  return crypto::DeriveSigningKey(device, BindingMessage(kContext, pact, {}));
}

proto::Body PrivateChainStartBody(const crypto::SigningKey& device, const PactId& pact,
                                  const DeviceKey& chain) {
  proto::Body body;
  proto::PrivateChainStart* start = body.mutable_private_chain_start();
  start->set_device_key(std::string(device.public_key().begin(), device.public_key().end()));
  start->set_binding(BindingBy(device, kContext, pact, chain));
  return body;
}

bool BindsPrivateChain(const proto::Body& body, const PactId& pact, const DeviceKey& chain,
                       DeviceKey& device_key) {
  if (body.kind_case() != proto::Body::kPrivateChainStart) return false;
  const proto::PrivateChainStart& start = body.private_chain_start();
  return VerifyBinding(kContext, pact, chain, start.device_key(), start.binding(), device_key);
}

}  // namespace accord::log
