// Text from anyone is data (SPEC §6): control characters refused on write with exit 2 and
// nothing stored; what an old or hostile device stored is shown escaped (and exact in --json);
// names follow the pairing rule at init; invalid UTF-8 is one clear line, never libprotobuf's;
// export --out is private and never follows a symlink; an export past one frame streams.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "base/frame.h"
#include "base/paths.h"
#include "daemon/node/clock.h"
#include "daemon/node/node.h"
#include "tests/integration/cli_fixture.h"
#include "tests/integration/ipc_pipe.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

const std::string kHostile = "I need \x1b]0;owned\a\x1b[2J\rfake line";

class CliTextTest : public CliTest {
 protected:
  uint64_t EntryCount() {
    return std::stoull(Json({"status"})["status"]["entries"].get<std::string>());
  }
  // Stops the daemon, stores `entries` as this device's own the way an old accordd (without
  // today's text checks) would have, and starts it again.
  void StoreAsAnOldDevice(const std::vector<state::UserKind>& entries) {
    ASSERT_EQ(daemon_->Stop(), 0);
    {
      Result<InstancePaths> paths = ResolveInstancePaths(daemon_->home().string());
      ASSERT_TRUE(paths.ok());
      Result<std::unique_ptr<daemon::Node>> node =
          daemon::Node::Open(*paths, daemon::SystemClock());
      ASSERT_TRUE(node.ok()) << node.error().message;
      for (const state::UserKind& e : entries) {
        Result<log::EntryId> id = (*node)->Write(e);
        ASSERT_TRUE(id.ok()) << id.error().message;
      }
    }
    ASSERT_TRUE(daemon_->Start()) << daemon_->Log();
  }
  static std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

::testing::AssertionResult NoTerminalControls(const std::string& out) {
  for (char c : out) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
      return ::testing::AssertionFailure() << "control byte " << static_cast<int>(b) << " in\n"
                                           << out;
    }
  }
  if (out.find("\xc2\x9b") != std::string::npos || out.find("\xe2\x80\xae") != std::string::npos)
    return ::testing::AssertionFailure() << "C1 or bidi control in\n" << out;
  return ::testing::AssertionSuccess();
}

TEST_F(CliTextTest, ControlCharactersInAnyWrittenTextAreRefusedAndNothingIsStored) {
  Init();
  const std::string id = Wrote({"propose", "Tuesday evenings are mine"});
  const uint64_t before = EntryCount();
  const std::vector<std::vector<std::string>> writes = {
      {"need", "add", kHostile},
      {"boundary", "add", kHostile},
      {"propose", kHostile},
      {"propose", "fine", "--schedule", "tue 19:00-21:00\x1b[2J"},
      {"counter", id, kHostile},
      {"retire", id, "--note", kHostile},
      {"decline", id, "--note", kHostile},
      {"ask", "1h", kHostile},
      {"checkin", "--feeling", "3", "--note", kHostile},
      {"appreciate", "thanks\b\b\b\b\b\bforged"},
      {"reflect",
       "bidi \xe2\x80\xae"
       "txet"},
  };
  for (const auto& args : writes) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << Describe(args, r);
    EXPECT_NE(r.err.find("accord: error: "), std::string::npos) << Describe(args, r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(args, r);
    EXPECT_TRUE(NoTerminalControls(r.err)) << Describe(args, r);
  }
  CommandResult need = Run({"need", "add", kHostile});
  EXPECT_NE(need.err.find("need text contains a control character (U+001B)"), std::string::npos)
      << need.err;
  EXPECT_EQ(EntryCount(), before);
  EXPECT_EQ(Json({"needs"})["notes"]["notes"].size(), 0u);
  // Newline and tab are text.
  Ok({"need", "add", "I need\ta quiet\nevening"});
  EXPECT_EQ(EntryCount(), before + 1);
}

TEST_F(CliTextTest, TextAnOldDeviceStoredIsShownEscapedAndExactInJson) {
  Init();
  state::NeedAdded need{kHostile};
  state::SpaceAsked ask{3600 * 1000,
                        "walk\x1b[2K\r\xc2\x9b"
                        "31m\xe2\x80\xae"};
  state::Proposed proposal;
  proposal.text = "Agreed\x1b[8m hidden";
  StoreAsAnOldDevice({need, ask, proposal});

  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"needs"}, {"space"}, {"status"}, {"agreements"}, {"log"}}) {
    EXPECT_TRUE(NoTerminalControls(Ok(cmd))) << cmd[0];
  }
  const std::string needs = Ok({"needs"});
  EXPECT_NE(needs.find("I need \\x1B]0;owned\\x07\\x1B[2J\\x0Dfake line"), std::string::npos)
      << needs;
  EXPECT_NE(Ok({"space"}).find("walk\\x1B[2K\\x0D\\u{009B}31m\\u{202E}"), std::string::npos);
  EXPECT_EQ(Json({"needs"})["notes"]["notes"][0]["text"].get<std::string>(), kHostile);
}

TEST_F(CliTextTest, InitRefusesANamePairingWouldRefuse) {
  for (const std::string& bad : {std::string("Name\x1b[31m"), std::string("two\nlines"),
                                 std::string(65, 'a'), std::string("   ")}) {
    CommandResult r = Run({"init", "--name", bad});
    EXPECT_EQ(r.exit_code, 2) << Describe({"init", "--name", bad}, r);
    EXPECT_NE(r.err.find("accord: error: the name "), std::string::npos) << r.err;
    EXPECT_TRUE(NoTerminalControls(r.err)) << r.err;
  }
  CommandResult status = Run({"status"});
  EXPECT_NE(status.exit_code, 0);  // still no identity
  EXPECT_NE(status.err.find("no identity yet"), std::string::npos) << status.err;
  Init("Zoë");
}

TEST_F(CliTextTest, InvalidUtf8InAnArgumentIsOneClearErrorLine) {
  Init();
  const uint64_t before = EntryCount();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"need", "add", "caf\xe9"}, {"ask", "1h", "\xff\xfe"}, {"init", "--name", "\xc3"}}) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << Describe(args, r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(args, r);
    EXPECT_EQ(r.err.rfind("accord: error: the ", 0), 0u) << Describe(args, r);
    EXPECT_NE(r.err.find("is not valid UTF-8"), std::string::npos) << Describe(args, r);
    EXPECT_EQ(r.err.find("libprotobuf"), std::string::npos) << Describe(args, r);
  }
  EXPECT_EQ(Run({"need", "add", "caf\xe9"}).err, "accord: error: the text is not valid UTF-8\n");
  EXPECT_EQ(EntryCount(), before);
}

TEST_F(CliTextTest, ARawRequestWithInvalidUtf8GetsAClearAnswerAndNoLibprotobufLine) {
  Init();
  // AddNeedRequest.text (field 12, field 1) holding a lone 0xff, as an old or foreign client
  // could send it.
  std::string payload = "\x08\x01";   // protocol = 1
  payload += "\x62\x03\x0a\x01\xff";  // add_need { text: "\xff" }
  RawIpc ipc(daemon_->socket());
  ASSERT_TRUE(ipc.SendPayload(payload));
  std::optional<proto::Response> response = ipc.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->error().code(), proto::INVALID_ARGUMENT);
  EXPECT_NE(response->error().message().find("not valid UTF-8"), std::string::npos)
      << response->error().message();
  ASSERT_EQ(daemon_->Stop(), 0);
  const std::string log = daemon_->Log();
  EXPECT_EQ(log.find("[libprotobuf"), std::string::npos) << log;
  EXPECT_NE(log.find("accordd: protobuf: "), std::string::npos) << log;
}

TEST_F(CliTextTest, ExportOutCreatesAPrivateFile) {
  Init();
  Ok({"reflect", "a private thought"});
  const fs::path out = dir_.path() / "export.json";
  const mode_t old_mask = ::umask(022);
  CommandResult r = Run({"export", "--format", "json", "--out", out.string()});
  ::umask(old_mask);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(ReadFile(out).find("a private thought"), std::string::npos);
  for (const auto& e : fs::directory_iterator(dir_.path()))
    EXPECT_EQ(e.path().filename().string().find(".accord-export-"), std::string::npos);
}

TEST_F(CliTextTest, ExportOutNeverFollowsASymbolicLink) {
  Init();
  Ok({"reflect", "a private thought"});
  const fs::path target = dir_.path() / "elsewhere";
  std::ofstream(target) << "untouched";
  const fs::path link = dir_.path() / "export.md";
  fs::create_symlink(target, link);
  CommandResult r = Run({"export", "--format", "md", "--out", link.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(target), "untouched");
  EXPECT_TRUE(fs::is_symlink(link));
}

TEST_F(CliTextTest, AnExportLargerThanOneFrameStreamsAndParses) {
  constexpr size_t kNeeds = 760;  // of 4000 bytes, each 24000 in JSON ('<' is \u003c): > 16 MiB
  Init();
  const std::string text(4000, '<');
  ASSERT_EQ(WriteNeeds(daemon_->socket(), kNeeds, 64, [&](size_t) { return text; }), kNeeds);

  const fs::path out = dir_.path() / "big.json";
  CommandResult r = Run({"export", "--format", "json", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string file = ReadFile(out);
  EXPECT_GT(file.size(), size_t{kMaxIpcFrameBytes});
  nlohmann::json j = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_EQ(j["needs"].size(), kNeeds);
  EXPECT_EQ(j["needs"][kNeeds - 1]["text"].get<std::string>(), text);

  CommandResult piped = Run({"export", "--format", "json"});  // stdout is a pipe: exact bytes
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  nlohmann::json p = nlohmann::json::parse(piped.out, nullptr, false);
  ASSERT_FALSE(p.is_discarded());
  EXPECT_EQ(p["needs"].size(), kNeeds);
}

TEST_F(CliTextTest, ARequestPipelinedBehindAStreamedExportIsAnsweredAfterIt) {
  constexpr size_t kNeeds = 80;  // 24000 bytes each in JSON: two chunks
  Init();
  ASSERT_EQ(
      WriteNeeds(daemon_->socket(), kNeeds, 64, [](size_t) { return std::string(4000, '<'); }),
      kNeeds);
  proto::Request exp;
  exp.set_protocol(1);
  exp.mutable_export_()->set_format(proto::ExportRequest::JSON);
  proto::Request status;
  status.set_protocol(1);
  status.mutable_status();
  RawIpc ipc(daemon_->socket());
  ASSERT_TRUE(ipc.SendPayload(exp.SerializeAsString()));
  ASSERT_TRUE(ipc.SendPayload(status.SerializeAsString()));
  std::string content;
  size_t chunks = 0;
  for (bool more = true; more;) {
    std::optional<proto::Response> r = ipc.Read();
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->has_export_()) << r->DebugString().substr(0, 200);
    content += r->export_().content();
    more = r->export_().more();
    ++chunks;
  }
  EXPECT_GE(chunks, 2u);
  EXPECT_FALSE(nlohmann::json::parse(content, nullptr, false).is_discarded());
  std::optional<proto::Response> r = ipc.Read();
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->has_status());
}

}  // namespace
}  // namespace accord::testing
