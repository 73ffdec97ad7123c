#include "crypto/identity.h"

namespace accord::crypto {

DeviceIdentity DeviceIdentity::Generate() {
  // Three independent random secrets (SECURITY §2): no key is derived from another, so
  // losing one says nothing about the others.
  return DeviceIdentity{SigningKey::Generate(), DhKeyPair::Generate(), SecretKey::Random()};
}

}  // namespace accord::crypto
