#include <gtest/gtest.h>

#include <cstdio>

#include "crypto/random.h"

int main(int argc, char** argv) {
  if (!accord::crypto::Init()) {
    std::fprintf(stderr, "libsodium failed to initialise\n");
    return 1;
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
