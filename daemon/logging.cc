#include "daemon/logging.h"

#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <string>

#include "base/text.h"

namespace accord::daemon {

namespace {
bool verbose = false;  // set once in main before the io_context runs
}

void SetVerbose(bool v) { verbose = v; }

void RouteProtobufLogs() {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char*, int, const std::string& message) {
        Log(level >= google::protobuf::LOGLEVEL_ERROR ? LogLevel::kWarning : LogLevel::kDebug,
            "protobuf: " + message);
      });
}

void Log(LogLevel level, std::string_view message) {
  if (level == LogLevel::kDebug && !verbose) return;
  std::string line = "<" + std::to_string(static_cast<int>(level)) + ">accordd: ";
  // One line, whatever the message quotes (a peer's name, a request's text ...).
  for (char c : TerminalSafe(message)) {
    if (c == '\n') {
      line += "\\x0A";
    } else {
      line.push_back(c);
    }
  }
  line.push_back('\n');
  // One write per line so lines from a crash handler or a child never interleave mid-line.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace accord::daemon
