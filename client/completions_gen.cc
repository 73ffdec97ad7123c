// accord_completions_gen DIR: writes DIR/accord.bash and DIR/_accord (zsh) from the client's
// command table. Run by the build (packaging/CMakeLists.txt) so the shipped completions always
// match the table; a separate program so that `accord` itself has no hidden mode for it.
#include <fstream>
#include <iostream>

#include "client/bash_completion.h"
#include "client/commands.h"
#include "client/completion_model.h"
#include "client/zsh_completion.h"

namespace {

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "accord_completions_gen: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: accord_completions_gen DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const accord::client::CompletionModel model =
      accord::client::BuildCompletionModel(accord::client::CommandTable());
  bool ok = WriteFile(dir + "/accord.bash", accord::client::BashCompletion(model));
  ok = WriteFile(dir + "/_accord", accord::client::ZshCompletion(model)) && ok;
  return ok ? 0 : 1;
}
