// The zsh completion function for accord (`_accord`, for a directory on $fpath), written
// from the completion model. Pure: text in, text out; accord_completions_gen writes it.
#ifndef ACCORD_CLIENT_ZSH_COMPLETION_H_
#define ACCORD_CLIENT_ZSH_COMPLETION_H_

#include <string>

#include "client/completion_model.h"

namespace accord::client {

std::string ZshCompletion(const CompletionModel& model);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_ZSH_COMPLETION_H_
