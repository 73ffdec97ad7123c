// Runs a program on a pseudo-terminal, answering its questions: for the client's prompts,
// which only ask when stdin is a terminal. Bounded in time; the child is ours and is killed
// if it outlives the bound.
#ifndef ACCORD_TESTS_SUPPORT_TERMINAL_H_
#define ACCORD_TESTS_SUPPORT_TERMINAL_H_

#include <string>
#include <utility>
#include <vector>

namespace accord::testing {

struct TerminalRun {
  int exit_code = -1;   // -1 if it did not exit normally (or was killed at the bound)
  std::string output;   // everything it wrote to the terminal (stdout and stderr)
  size_t answered = 0;  // how many of the answers were typed
};

// Each answer is typed (with a newline) once the output so far holds its prompt text.
TerminalRun RunOnTerminal(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& answers,
                          int timeout_s = 30);

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_TERMINAL_H_
