// A device identity: the secrets one daemon holds (SPEC §1 device, SECURITY §2).
// Created once by `init`; persisted only through key_file.h.
#ifndef ACCORD_CRYPTO_IDENTITY_H_
#define ACCORD_CRYPTO_IDENTITY_H_

#include "crypto/dh.h"
#include "crypto/secret.h"
#include "crypto/sign.h"

namespace accord::crypto {

struct DeviceIdentity {
  SigningKey signing;     // Ed25519: authors this device's feed
  DhKeyPair dh;           // X25519: Noise static key, sealed-box recipient
  SecretKey storage_key;  // wraps epoch and person keys kept in SQLite

  static DeviceIdentity Generate();
};

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_IDENTITY_H_
