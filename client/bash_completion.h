// The bash completion script for accord, written from the completion model. Pure: text in,
// text out; accord_completions_gen writes it at build time.
#ifndef ACCORD_CLIENT_BASH_COMPLETION_H_
#define ACCORD_CLIENT_BASH_COMPLETION_H_

#include <string>

#include "client/completion_model.h"

namespace accord::client {

// A script to source (or install as bash-completion/completions/accord) that defines
// `_accord` and registers it with `complete -F _accord accord`.
std::string BashCompletion(const CompletionModel& model);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_BASH_COMPLETION_H_
