// The daemon's log lines on stderr, each with a syslog priority prefix ("<3>" ...) that
// journald understands (sd-daemon(3)). Daemon thread only. Never log keys, codes, plaintext
// or peer addresses at default verbosity: logs are data at rest too.
#ifndef ACCORD_DAEMON_LOGGING_H_
#define ACCORD_DAEMON_LOGGING_H_

#include <string_view>

namespace accord::daemon {

enum class LogLevel { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

void SetVerbose(bool verbose);
// libprotobuf's own log lines (a string field that is not valid UTF-8, ...) become warnings
// through Log, never lines of their own on stderr. Call once in main.
void RouteProtobufLogs();
void Log(LogLevel level, std::string_view message);

inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogDebug(std::string_view m) { Log(LogLevel::kDebug, m); }

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_LOGGING_H_
