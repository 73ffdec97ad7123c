// The client's command table: one row per command (SPEC §6). Help and "did you mean" come
// from the table; each row turns parsed arguments into one IPC Request. Client only; no
// daemon code here.
#ifndef ACCORD_CLIENT_COMMANDS_H_
#define ACCORD_CLIENT_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/ipc.pb.h"
#include "base/result.h"

namespace accord::client {

// Everything a command line can carry; each row binds the fields it uses.
struct Args {
  std::string text;
  std::string id;
  std::string note;
  std::string schedule;
  std::string review_every;
  std::string duration;
  std::string name;
  std::string format = "json";
  std::string out;
  std::string agreement;
  std::string code;
  std::string peer;
  std::string timeout;
  bool no_wait = false;
  bool share_history = false;
  bool device = false;
  int feeling = 0;
  int limit = 0;  // --limit N of a long list; 0 when not given
  bool during_space = false;
  bool verify = false;
  bool pending = false;
  bool active = false;
  bool all = false;
  bool yes = false;  // `leave`, `join`: no question asked
};

struct CommandRow {
  std::string path;   // words as typed: "need add"
  std::string usage;  // arguments after the path
  std::string help;
  std::function<void(CLI::App&, Args&)> define;
  std::function<Result<proto::Request>(const Args&)> build;
};

const std::vector<CommandRow>& CommandTable();

// What may come before the command. The completions read these options too, so they are
// defined here, beside the table, and not in main.
struct GlobalArgs {
  std::string home;
  bool json = false;
};
// Adds --home DIR, --json and --version (which prints `version_line`) to `app`.
void DefineGlobalOptions(CLI::App& app, GlobalArgs& g, const std::string& version_line);

// The command names closest to `typed` (edit distance), best first; empty if none is close.
std::vector<std::string> SuggestCommands(std::string_view typed);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_COMMANDS_H_
