// Reading a Wycheproof vector file (../shared/vectors/wycheproof/) and tallying its cases.
// Test thread only. What a primitive does with each case lives in that primitive's test file;
// this header only walks the file, refuses a short or empty one, and prints the tally.
#ifndef ACCORD_TESTS_CRYPTO_WYCHEPROOF_FILE_H_
#define ACCORD_TESTS_CRYPTO_WYCHEPROOF_FILE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/bytes.h"

namespace accord::crypto::wycheproof {

using nlohmann::json;

// One test case with its group (the group carries shared inputs such as the public key).
struct Case {
  const json& group;
  const json& test;
  int id = 0;          // tcId, for failure messages
  std::string result;  // "valid", "invalid" or "acceptable"
  std::string flags;   // the case's flags joined by '+', the key of the acceptable tally
};

inline json LoadFile(std::string_view name) {
  const std::string path = std::string(ACCORD_VECTORS_DIR) + "/wycheproof/" + std::string(name);
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  json file = json::parse(in, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(file.is_discarded()) << path << " is not JSON";
  return file.is_discarded() ? json::object() : file;
}

inline Bytes HexField(const Case& c, const char* field) {
  std::optional<Bytes> b = FromHex(c.test.at(field).get<std::string>());
  EXPECT_TRUE(b.has_value()) << "tcId " << c.id << ": bad hex in " << field;
  return b.value_or(Bytes());
}

// The fixed-size types accord's wrappers take: a value of another length cannot be passed,
// which is how a wrapper "refuses" a wrong-sized key, nonce or signature.
template <size_t N>
std::optional<FixedBytes<N>> AsFixed(const Bytes& b) {
  if (b.size() != N) return std::nullopt;
  FixedBytes<N> out;
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

// Counts what happened to each case and prints it; the test's EXPECTs carry the verdicts.
class Tally {
 public:
  void ValidPassed() { ++valid_passed_; }
  void InvalidRefused() { ++invalid_refused_; }
  // The wrapper's types cannot hold the input (a 23-byte nonce, a 65-byte signature).
  void InvalidRefusedByType() { ++invalid_refused_by_type_; }
  void Acceptable(const Case& c, const std::string& handling) {
    ++acceptable_[c.flags + " -> " + handling];
  }
  // Cases the wrapper cannot express although they are well-formed; `how` says what ran them.
  void NotExpressible(const std::string& how) { ++not_expressible_[how]; }

  void Print(std::string_view file, size_t run) const {
    std::cout << "[wycheproof] " << file << ": " << run << " cases run, " << valid_passed_
              << " valid passed, " << invalid_refused_ + invalid_refused_by_type_
              << " invalid refused (" << invalid_refused_by_type_ << " by the wrapper's types)";
    size_t acceptable = 0;
    for (const auto& [key, n] : acceptable_) acceptable += n;
    std::cout << ", " << acceptable << " acceptable\n";
    for (const auto& [key, n] : acceptable_) {
      std::cout << "[wycheproof]   acceptable " << key << ": " << n << "\n";
    }
    for (const auto& [how, n] : not_expressible_) {
      std::cout << "[wycheproof]   not expressible by the wrapper, " << how << ": " << n << "\n";
    }
  }

 private:
  size_t valid_passed_ = 0;
  size_t invalid_refused_ = 0;
  size_t invalid_refused_by_type_ = 0;
  std::map<std::string, size_t> acceptable_;
  std::map<std::string, size_t> not_expressible_;
};

// Runs `run` on every case of every group and returns how many there were. Fails the test
// when there are none or when the count differs from the file's own numberOfTests: a
// truncated or reshaped file must not pass by testing less.
inline size_t ForEachCase(const json& file, const std::function<void(const Case&)>& run) {
  size_t count = 0;
  for (const json& group : file.value("testGroups", json::array())) {
    for (const json& test : group.at("tests")) {
      std::string flags;
      for (const json& f : test.value("flags", json::array())) {
        flags += (flags.empty() ? "" : "+") + f.get<std::string>();
      }
      run(Case{group, test, test.at("tcId").get<int>(), test.at("result").get<std::string>(),
               flags});
      ++count;
    }
  }
  EXPECT_GT(count, 0u) << "no test cases";
  EXPECT_EQ(count, file.value("numberOfTests", size_t{0})) << "numberOfTests disagrees";
  return count;
}

}  // namespace accord::crypto::wycheproof

#endif  // ACCORD_TESTS_CRYPTO_WYCHEPROOF_FILE_H_
