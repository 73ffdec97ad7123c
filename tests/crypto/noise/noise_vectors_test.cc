// Known-answer tests: every vector in every ../shared/vectors/noise/*.json file, run through
// an initiator and a responder built from this project's HandshakeState.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/noise/handshake_state.h"

namespace accord::crypto::noise {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Bytes Hex(const json& v) {
  std::optional<Bytes> b = FromHex(v.get<std::string>());
  EXPECT_TRUE(b.has_value()) << "bad hex in vector file: " << v;
  return b.value_or(Bytes());
}

DhKeyPair KeyPairFromHex(const json& v) {
  Bytes secret = Hex(v);
  EXPECT_EQ(secret.size(), kDhLen);
  secret.resize(kDhLen);
  return DhKeyPair::FromSecret(Secret<kDhLen>::FromBytes(secret));
}

// One side's configuration from the keys prefixed "init_" or "resp_" (Noise wiki format).
HandshakeConfig SideConfig(const json& vector, const std::string& prefix, Role role) {
  HandshakeConfig config;
  config.protocol_name = vector.at("protocol_name").get<std::string>();
  config.role = role;
  config.prologue = Hex(vector.at(prefix + "prologue"));
  if (vector.contains(prefix + "static"))
    config.local_static = KeyPairFromHex(vector[prefix + "static"]);
  if (vector.contains(prefix + "ephemeral")) {
    config.fixed_ephemeral = KeyPairFromHex(vector[prefix + "ephemeral"]);
  }
  if (vector.contains(prefix + "remote_static")) {
    Bytes rs = Hex(vector[prefix + "remote_static"]);
    EXPECT_EQ(rs.size(), kDhLen);
    rs.resize(kDhLen);
    DhPublicKey key;
    std::copy(rs.begin(), rs.end(), key.begin());
    config.remote_static = key;
  }
  if (vector.contains(prefix + "psks")) {
    for (const json& psk : vector[prefix + "psks"]) {
      Bytes b = Hex(psk);
      EXPECT_EQ(b.size(), kPskLen);
      b.resize(kPskLen);
      config.psks.push_back(Secret<kPskLen>::FromBytes(b));
    }
  }
  return config;
}

// Runs one vector; returns the number of messages checked.
size_t RunVector(const json& vector) {
  const std::string name = vector.at("protocol_name").get<std::string>();
  SCOPED_TRACE(name);
  Result<HandshakeState> init =
      HandshakeState::Create(SideConfig(vector, "init_", Role::kInitiator));
  Result<HandshakeState> resp =
      HandshakeState::Create(SideConfig(vector, "resp_", Role::kResponder));
  // An unsupported protocol is a failure, never a skip.
  EXPECT_TRUE(init.ok()) << init.error().message;
  EXPECT_TRUE(resp.ok()) << resp.error().message;
  if (!init.ok() || !resp.ok()) return 0;

  std::optional<TransportSession> init_transport;
  std::optional<TransportSession> resp_transport;
  size_t checked = 0;
  const json& messages = vector.at("messages");
  for (size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    const Bytes payload = Hex(messages[i].at("payload"));
    const Bytes expected = Hex(messages[i].at("ciphertext"));
    // The vectors alternate strictly: even indices are sent by the initiator, both during
    // the handshake and after it.
    const bool initiator_sends = i % 2 == 0;
    Result<Bytes> sent = MakeError(ErrorCode::kInternal, "unset");
    Result<Bytes> received = MakeError(ErrorCode::kInternal, "unset");
    if (!init->IsComplete()) {
      HandshakeState& sender = initiator_sends ? *init : *resp;
      HandshakeState& receiver = initiator_sends ? *resp : *init;
      EXPECT_TRUE(sender.IsMyTurnToWrite());
      sent = sender.WriteMessage(payload);
      if (!sent.ok()) return checked;
      received = receiver.ReadMessage(*sent);
    } else {
      TransportSession& sender = initiator_sends ? *init_transport : *resp_transport;
      TransportSession& receiver = initiator_sends ? *resp_transport : *init_transport;
      sent = sender.Encrypt(payload);
      if (!sent.ok()) return checked;
      received = receiver.Decrypt(*sent);
    }
    EXPECT_EQ(ToHex(*sent), ToHex(expected));
    EXPECT_TRUE(received.ok()) << received.error().message;
    if (!received.ok()) return checked;
    EXPECT_EQ(ToHex(*received), ToHex(payload));
    ++checked;
    if (init->IsComplete() && !init_transport) {
      EXPECT_TRUE(resp->IsComplete());
      if (vector.contains("handshake_hash")) {
        EXPECT_EQ(ToHex(init->GetHandshakeHash()), ToHex(Hex(vector["handshake_hash"])));
        EXPECT_EQ(ToHex(resp->GetHandshakeHash()), ToHex(Hex(vector["handshake_hash"])));
      }
      Result<TransportSession> a = init->Split();
      Result<TransportSession> b = resp->Split();
      EXPECT_TRUE(a.ok() && b.ok());
      if (!a.ok() || !b.ok()) return checked;
      init_transport.emplace(std::move(a).value());
      resp_transport.emplace(std::move(b).value());
    }
  }
  EXPECT_TRUE(init_transport.has_value()) << "the vector never finished its handshake";
  return checked;
}

TEST(NoiseVectors, EveryPublishedVectorReproducesByteForByte) {
  const fs::path dir = fs::path(ACCORD_VECTORS_DIR) / "noise";
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << "no vector files in " << dir;

  size_t vectors = 0;
  size_t messages = 0;
  std::map<std::string, size_t> per_protocol;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file);
    ASSERT_TRUE(in) << "cannot open " << file;
    const json root = json::parse(in);
    const json& list = root.at("vectors");
    ASSERT_FALSE(list.empty());
    for (const json& vector : list) {
      const size_t checked = RunVector(vector);
      EXPECT_EQ(checked, vector.at("messages").size()) << vector.at("protocol_name");
      messages += checked;
      ++vectors;
      ++per_protocol[vector.at("protocol_name").get<std::string>()];
    }
  }
  EXPECT_GT(vectors, 0u);
  // The suites the project relies on must be among them, or this test proves nothing.
  for (const char* needed :
       {"Noise_IK_25519_ChaChaPoly_BLAKE2b", "Noise_XX_25519_ChaChaPoly_BLAKE2b",
        "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b"}) {
    EXPECT_EQ(per_protocol.count(needed), 1u) << needed << " has no vector";
  }
  std::cout << "[ noise   ] " << vectors << " vectors, " << messages << " messages from "
            << files.size() << " file(s)\n";
}

}  // namespace
}  // namespace accord::crypto::noise
