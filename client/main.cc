// accord: the thin client. Parses the command line from the command table, sends one request
// to the local daemon, prints the response. Exit codes and error lines follow SPEC §6.
#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <optional>

#include "accord/ipc_words.h"
#include "base/paths.h"
#include "base/text.h"
#include "client/commands.h"
#include "client/export_file.h"
#include "client/ipc_client.h"
#include "client/pages.h"
#include "client/prompts.h"
#include "client/render.h"
#include "client/request_text.h"

namespace accord::client {
namespace {

// One line, whatever the message holds (the daemon's messages may quote what was typed).
int Fail(ErrorCode code, const std::string& message) {
  std::string line;
  for (char c : TerminalSafe(message)) line += c == '\n' ? std::string("\\x0A") : std::string(1, c);
  std::cerr << "accord: error: " << line << "\n";
  return ExitCodeFor(code);
}

// `log` found damaged entries: one error line naming them (ids are hex, damage words come
// from accord/ipc_words.h), and a non-zero exit.
int LogDamage(const proto::LogResponse& log) {
  constexpr int kNamed = 8;  // entries named on the line; the count covers the rest
  std::string named;
  int n = 0;
  for (const proto::LogEntryView& e : log.entries()) {
    if (e.damage() == proto::DAMAGE_UNSPECIFIED || n++ == kNamed) continue;
    named += (named.empty() ? "" : ", ") + e.id().substr(0, 8) + " (" +
             std::string(proto::WordFor(e.damage())) + ")";
  }
  return Fail(ErrorCode::kCorrupt,
              std::to_string(log.failed()) + " stored entries are damaged: " + named +
                  (log.failed() > kNamed ? ", ..." : "") +
                  "; accordd repairs them from a peer that holds a good copy (see accord status)");
}

// `doctor`: exit 0 only when no check failed (warnings do not fail it).
int DoctorExit(const proto::DoctorResponse& doctor) {
  int failed = 0;
  for (const proto::DoctorCheck& c : doctor.checks())
    failed += c.result() == proto::CHECK_RESULT_FAILED;
  if (failed == 0) return 0;
  std::cerr << "accord: error: " << failed << (failed == 1 ? " check" : " checks")
            << " failed; each says what fixes it\n";
  return 1;
}

// `doctor` with no daemon to ask: that is its first finding, printed like the others.
int DoctorWithoutDaemon(const Error& error, bool json) {
  proto::Response out;
  proto::DoctorCheck* c = out.mutable_doctor()->add_checks();
  c->set_name("daemon");
  c->set_result(proto::CHECK_RESULT_FAILED);
  c->set_detail(error.message);
  c->set_fix("systemctl --user start accordd (or run accordd in a terminal)");
  if (json) {
    std::cout << ToJson(out, false) << "\n";
  } else {
    RenderText(out, 0, std::cout);
  }
  std::cout.flush();
  return ExitCodeFor(ErrorCode::kUnavailable);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The first word the user typed that is not an option or an option's value.
std::string FirstCommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--home") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') return a;
  }
  return "";
}

// The inviter's final yes (SPEC §4). On a terminal the human answers; otherwise whoever
// completed the code is accepted, as with --no-wait.
Status AnswerConsent(IpcClient& client, const proto::InviteUpdate& u, bool json) {
  bool accept = true;
  if (isatty(STDIN_FILENO)) {
    std::cout << TerminalSafe(u.message()) << "\nsafety number: " << TerminalSafe(u.safety_number())
              << "\nLet " << TerminalSafe(u.partner_name()) << " join? [y/N] " << std::flush;
    std::string line;
    accept = std::getline(std::cin, line) && (line == "y" || line == "Y" || line == "yes");
  } else if (!json) {
    std::cout << TerminalSafe(u.partner_name())
              << " completed the code; accepting (not a terminal)\n";
  }
  proto::Request consent;
  consent.set_protocol(kIpcProtocolVersion);
  consent.mutable_invite_consent()->set_accept(accept);
  return client.Send(consent);
}

int UnknownCommand(const std::string& word) {
  std::string message = "unknown command '" + word + "'";
  std::vector<std::string> close = SuggestCommands(word);
  if (!close.empty()) message += "; did you mean '" + close.front() + "'?";
  return Fail(ErrorCode::kInvalidArgument, message + " (see accord --help)");
}

// An export arrives in chunks; each is written as it comes: to a new file that replaces FILE
// only when complete (--out), exactly to a pipe or file on stdout, escaped on a terminal.
// With --json the chunks are joined into the one document of the protobuf JSON mapping.
int ReceiveExport(IpcClient& client, std::optional<ExportFile> file, bool json) {
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  proto::Response joined;
  bool more = true;
  while (more) {
    Result<proto::Response> response = client.Receive();
    if (!response.ok()) return Fail(response.code(), response.error().message);
    if (response->has_error() && response->error().code() != proto::OK) {
      return Fail(static_cast<ErrorCode>(response->error().code()), response->error().message());
    }
    if (!response->has_export_()) {
      return Fail(ErrorCode::kCorrupt, "the daemon sent something other than the export");
    }
    const std::string& content = response->export_().content();
    more = response->export_().more();
    if (file) {
      if (Status s = file->Write(content); !s.ok()) return Fail(s.code(), s.error().message);
    } else if (json) {
      joined.mutable_export_()->mutable_content()->append(content);
    } else if (terminal) {
      RenderExportChunk(content, std::cout);
    } else {
      std::cout.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    if (!file && !json && !std::cout.flush()) return Fail(ErrorCode::kIo, "cannot write stdout");
  }
  if (file) {
    if (Status s = file->Commit(); !s.ok()) return Fail(s.code(), s.error().message);
  } else if (json) {
    std::cout << ToJson(joined, false) << "\n" << std::flush;
  }
  return 0;
}

int Run(int argc, char** argv) {
  // libprotobuf's own log lines are not for the user's terminal; our checks say it in one line.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  CLI::App app{"accord: agreements between partners, kept on your own machines"};
  app.name("accord");
  GlobalArgs globals;
  DefineGlobalOptions(app, globals, "accord " ACCORD_VERSION);
  const std::string& home = globals.home;
  const bool& json = globals.json;
  app.require_subcommand(1);

  Args args;
  std::map<CLI::App*, const CommandRow*> leaves;
  std::map<std::string, CLI::App*> groups;
  for (const CommandRow& row : CommandTable()) {
    size_t space = row.path.find(' ');
    CLI::App* parent = &app;
    std::string leaf_name = row.path;
    if (space != std::string::npos) {
      std::string group = row.path.substr(0, space);
      leaf_name = row.path.substr(space + 1);
      auto it = groups.find(group);
      if (it == groups.end()) {
        it = groups.emplace(group, app.add_subcommand(group, group + " commands")).first;
        it->second->require_subcommand(1);
      }
      parent = it->second;
    }
    CLI::App* sub = parent->add_subcommand(leaf_name, row.help);
    sub->footer("usage: accord " + row.path + (row.usage.empty() ? "" : " " + row.usage));
    row.define(*sub, args);
    leaves[sub] = &row;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string word = FirstCommandWord(argc, argv);
    bool known = false;
    for (const CommandRow& row : CommandTable())
      known |= row.path.substr(0, row.path.find(' ')) == word;
    if (!word.empty() && !known) return UnknownCommand(word);
    return Fail(ErrorCode::kInvalidArgument,
                std::string(e.what()) + " (see accord " + word + " --help)");
  }

  const CommandRow* row = nullptr;
  for (auto& [sub, r] : leaves)
    if (sub->parsed()) row = r;
  if (row == nullptr)
    return Fail(ErrorCode::kInvalidArgument, "no command given (see accord --help)");

  Result<proto::Request> request = row->build(args);
  if (!request.ok()) return Fail(request.code(), request.error().message);
  request->set_protocol(kIpcProtocolVersion);
  if (Status s = CheckRequestText(*request); !s.ok()) return Fail(s.code(), s.error().message);

  std::optional<ExportFile> export_file;  // first: a refused --out costs the daemon nothing
  if (request->has_export_() && !args.out.empty()) {
    Result<ExportFile> created = ExportFile::Create(args.out);
    if (!created.ok()) return Fail(created.code(), created.error().message);
    export_file.emplace(std::move(*created));
  }

  Result<InstancePaths> paths =
      ResolveInstancePaths(home.empty() ? std::nullopt : std::optional<std::string>(home));
  if (!paths.ok()) return Fail(paths.code(), paths.error().message);
  Result<IpcClient> client = IpcClient::Connect(paths->socket);
  if (!client.ok() && request->has_doctor()) return DoctorWithoutDaemon(client.error(), json);
  if (!client.ok()) return Fail(client.code(), client.error().message);
  if (request->has_leave() && !args.yes) {
    if (Status s = ConfirmLeave(*client, std::cin, std::cout); !s.ok())
      return Fail(s.code(), s.error().message);
  }
  if (request->has_check_in() && request->check_in().feeling() == 0) {  // asked on a terminal
    if (Status s = AskCheckIn(*client, *request->mutable_check_in(), std::cin, std::cout); !s.ok())
      return Fail(s.code(), s.error().message);
  }
  if (request->has_join() && !args.yes && !json && isatty(STDIN_FILENO) == 1)
    request->mutable_join()->set_ask(true);
  if (Status s = client->Send(*request); !s.ok()) return Fail(s.code(), s.error().message);
  if (request->has_export_()) return ReceiveExport(*client, std::move(export_file), json);

  proto::Response joined_log;  // `log` arrives in chunks; one document is printed
  const bool streaming = request->has_watch() ||
                         (request->has_invite() && !request->invite().no_wait()) ||
                         (request->has_join() && request->join().ask());
  do {
    Result<proto::Response> response = client->Receive();
    if (!response.ok()) return Fail(response.code(), response.error().message);
    if (response->has_error() && response->error().code() != proto::OK) {
      return Fail(static_cast<ErrorCode>(response->error().code()), response->error().message());
    }
    if (response->has_invite()) {
      const proto::InviteUpdate& u = response->invite();
      if (u.state() == proto::INVITE_STATE_CONSENT) {
        if (Status s = AnswerConsent(*client, u, json); !s.ok())
          return Fail(s.code(), s.error().message);
        continue;
      }
      if (u.state() == proto::INVITE_STATE_FAILED || u.state() == proto::INVITE_STATE_DECLINED ||
          u.state() == proto::INVITE_STATE_EXPIRED) {
        if (json) std::cout << ToJson(*response, true) << "\n";
        return Fail(
            u.state() == proto::INVITE_STATE_DECLINED ? ErrorCode::kRefused : ErrorCode::kInternal,
            u.message());
      }
    }
    if (response->has_join_consent()) {
      if (Status s = AnswerJoinConsent(*client, response->join_consent(), std::cin, std::cout);
          !s.ok())
        return Fail(s.code(), s.error().message);
      continue;
    }
    if (Status s = FollowPages(*client, *request, *response); !s.ok()) {
      return Fail(s.code(), s.error().message);
    }
    if (response->has_log()) {
      const bool more = response->log().more();
      joined_log.mutable_log()->MergeFrom(response->log());
      if (more) continue;
      joined_log.mutable_log()->set_more(false);
      *response = joined_log;
    }
    if (json) {
      std::cout << ToJson(*response, streaming) << "\n";
    } else {
      RenderText(*response, NowMs(), std::cout);
    }
    std::cout.flush();
    if (response->has_log() && response->log().failed() > 0) return LogDamage(response->log());
    if (response->has_doctor()) return DoctorExit(response->doctor());
    if (response->has_invite() && response->invite().state() == proto::INVITE_STATE_PAIRED) break;
    if (response->has_join()) break;
  } while (streaming || (joined_log.has_log() && joined_log.log().more()));
  return 0;
}

}  // namespace
}  // namespace accord::client

int main(int argc, char** argv) { return accord::client::Run(argc, argv); }
