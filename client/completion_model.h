// What shell completion needs to know about accord's command line, read from the command
// table and the global options by building each row's CLI11 parser (so it cannot drift from
// what `accord` accepts). Build-time only: used by accord_completions_gen, not by `accord`.
#ifndef ACCORD_CLIENT_COMPLETION_MODEL_H_
#define ACCORD_CLIENT_COMPLETION_MODEL_H_

#include <string>
#include <vector>

#include "client/commands.h"

namespace accord::client {

// What the value of an option (or a positional argument) is completed from.
enum class ValueKind { kNone, kWord, kChoice, kFile, kDirectory };

struct CompletionOption {
  std::string name;  // "--note"; positionals: their name, "TEXT"
  std::string help;
  ValueKind value = ValueKind::kNone;  // kNone: a flag that takes no value
  std::string value_name;              // "NAME", "FILE", "DIR", ...
  std::vector<std::string> choices;    // kChoice: the values the option's check accepts
  std::vector<std::string> excludes;   // options that cannot be given with this one
};

struct CompletionCommand {
  std::string path;  // words as typed: "need add"
  std::string help;
  std::vector<CompletionOption> options;      // long options, --help included
  std::vector<CompletionOption> positionals;  // in order
};

struct CompletionGroup {  // a first word that only has subcommands: "need", "device"
  std::string name;
  std::vector<const CompletionCommand*> members;  // into CompletionModel::commands
};

struct CompletionModel {
  std::vector<CompletionOption> global_options;  // before the command: --home, --json, ...
  std::vector<CompletionCommand> commands;       // one per table row, in table order
  std::vector<std::string> first_words;          // what may come first, in table order, once
  std::vector<CompletionGroup> groups;

  const CompletionGroup* FindGroup(const std::string& word) const;
};

CompletionModel BuildCompletionModel(const std::vector<CommandRow>& table);

// `s` as one single-quoted word for bash and zsh alike ('\'' for a quote inside). Every
// name in the table is a plain word, quoted anyway so that a future one with a shell
// character cannot break a generated script.
std::string ShellQuoted(const std::string& s);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_COMPLETION_MODEL_H_
