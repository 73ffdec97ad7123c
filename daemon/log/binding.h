// A key's signature vouching for another key within one pact: what binds a private chain to
// its device (private_chain.h) and a device's new key to the one it replaces (rekey.h). The
// signed message is `context || pact id || vouched key`, each use with its own context, so a
// signature made for one can never be read as the other. Pure; any thread.
#ifndef ACCORD_DAEMON_LOG_BINDING_H_
#define ACCORD_DAEMON_LOG_BINDING_H_

#include <algorithm>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "crypto/sign.h"
#include "daemon/log/header.h"

namespace accord::log {

inline Bytes BindingMessage(std::string_view context, const PactId& pact, ByteView vouched) {
  Bytes out(context.begin(), context.end());
  AppendBytes(out, pact);
  AppendBytes(out, vouched);
  return out;
}

inline std::string BindingBy(const crypto::SigningKey& signer, std::string_view context,
                             const PactId& pact, ByteView vouched) {
  const crypto::Signature s = signer.Sign(BindingMessage(context, pact, vouched));
  return std::string(s.begin(), s.end());
}

// True if `signer_field` holds a device key other than `vouched` and `binding_field` is its
// valid signature for `vouched`; the key is then in `signer`.
inline bool VerifyBinding(std::string_view context, const PactId& pact, const DeviceKey& vouched,
                          const std::string& signer_field, const std::string& binding_field,
                          DeviceKey& signer) {
  crypto::Signature binding;
  DeviceKey key;
  if (signer_field.size() != key.size() || binding_field.size() != binding.size()) return false;
  std::copy(signer_field.begin(), signer_field.end(), key.begin());
  std::copy(binding_field.begin(), binding_field.end(), binding.begin());
  if (key == vouched) return false;  // a key never vouches for itself
  if (!crypto::VerifySignature(key, BindingMessage(context, pact, vouched), binding)) return false;
  signer = key;
  return true;
}

}  // namespace accord::log

#endif  // ACCORD_DAEMON_LOG_BINDING_H_
