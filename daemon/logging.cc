#include "daemon/logging.h"

#include <unistd.h>

#include <string>

namespace accord::daemon {

namespace {
bool verbose = false;  // set once in main before the io_context runs
}

void SetVerbose(bool v) { verbose = v; }

void Log(LogLevel level, std::string_view message) {
  if (level == LogLevel::kDebug && !verbose) return;
  std::string line = "<" + std::to_string(static_cast<int>(level)) + ">accordd: ";
  line.append(message);
  line.push_back('\n');
  // One write per line so lines from a crash handler or a child never interleave mid-line.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace accord::daemon
