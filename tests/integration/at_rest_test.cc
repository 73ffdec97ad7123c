// What a stolen database copy shows: no names, no texts, no notes (SPEC §3: the SQLite
// database holds only sealed entries, public keys and non-secret indexes).
#include <fstream>
#include <sstream>

#include "tests/integration/cli_fixture.h"

namespace accord::testing {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST_F(CliTest, TheDatabaseFilesHoldNoPlaintext) {
  const std::string name = "Canaryname7f3a";
  const std::string need = "canary-need-5be1 I need quiet";
  const std::string reflection = "canary-reflection-91c0";
  Init(name);
  Ok({"need", "add", need});
  Ok({"reflect", reflection});
  Ok({"propose", "canary-agreement-44d2"});
  // Positive control: the daemon really holds these texts, so the search below can succeed.
  ASSERT_NE(Ok({"export", "--format", "json"}).find(reflection), std::string::npos);

  auto check = [&](const char* when) {
    for (const char* file : {"accord.db", "accord.db-wal", "accord.db-shm"}) {
      std::string bytes = ReadFile(daemon_->home() / file);
      for (const std::string& canary :
           {name, need.substr(0, 16), reflection, std::string("canary-agreement")}) {
        EXPECT_EQ(bytes.find(canary), std::string::npos) << canary << " in " << file << " " << when;
      }
    }
  };
  check("while running");
  ASSERT_EQ(daemon_->Stop(), 0);
  check("after a clean stop");
}

}  // namespace
}  // namespace accord::testing
