// A fixture with one real accordd in a temporary home, driven by the real accord client.
#ifndef ACCORD_TESTS_INTEGRATION_CLI_FIXTURE_H_
#define ACCORD_TESTS_INTEGRATION_CLI_FIXTURE_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace accord::testing {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(dir_.path() / "home");
    ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  }

  CommandResult Run(const std::vector<std::string>& args, const std::string& input = "") {
    return daemon_->Accord(args, input);
  }
  // Runs a command that must succeed; returns its stdout.
  std::string Ok(const std::vector<std::string>& args) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << Describe(args, r);
    return r.out;
  }
  nlohmann::json Json(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    std::string out = Ok(args);
    nlohmann::json j = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << out;
    return j;
  }
  // The full id of what a writing command wrote.
  std::string Wrote(const std::vector<std::string>& args) {
    return Json(args)["written"]["id"].get<std::string>();
  }
  void Init(const std::string& name = "Alice") { Ok({"init", "--name", name}); }

  static std::string Describe(const std::vector<std::string>& args, const CommandResult& r) {
    std::string s = "accord";
    for (const auto& a : args) s += " " + a;
    return s + "\nexit " + std::to_string(r.exit_code) + "\nstdout: " + r.out +
           "\nstderr: " + r.err;
  }

  TempDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_INTEGRATION_CLI_FIXTURE_H_
