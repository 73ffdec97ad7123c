#include "crypto/identity.h"

#include <gtest/gtest.h>

namespace accord::crypto {
namespace {

TEST(DeviceIdentity, PublicKeysMatchTheirSecrets) {
  const DeviceIdentity id = DeviceIdentity::Generate();
  EXPECT_EQ(SigningKey::FromSeed(id.signing.seed()).public_key(), id.signing.public_key());
  EXPECT_EQ(DhKeyPair::FromSecret(id.dh.secret()).public_key(), id.dh.public_key());
  const Bytes message = {1, 2, 3};
  EXPECT_TRUE(VerifySignature(id.signing.public_key(), message, id.signing.Sign(message)));
}

TEST(DeviceIdentity, TheThreeSecretsAreIndependent) {
  const DeviceIdentity id = DeviceIdentity::Generate();
  EXPECT_FALSE(id.signing.seed().Equals(id.dh.secret()));
  EXPECT_FALSE(id.signing.seed().Equals(id.storage_key));
  EXPECT_FALSE(id.dh.secret().Equals(id.storage_key));
  // The X25519 key is not the Ed25519 seed reused (SECURITY §2).
  EXPECT_NE(DhKeyPair::FromSecret(id.signing.seed()).public_key(), id.dh.public_key());
}

TEST(DeviceIdentity, EachGenerationIsFresh) {
  const DeviceIdentity a = DeviceIdentity::Generate();
  const DeviceIdentity b = DeviceIdentity::Generate();
  EXPECT_NE(a.signing.public_key(), b.signing.public_key());
  EXPECT_NE(a.dh.public_key(), b.dh.public_key());
  EXPECT_FALSE(a.storage_key.Equals(b.storage_key));
}

}  // namespace
}  // namespace accord::crypto
