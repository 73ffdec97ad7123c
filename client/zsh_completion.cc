#include "client/zsh_completion.h"

#include <sstream>

namespace accord::client {

namespace {

// Text for an _arguments explanation ("[...]"), which ends at the first unescaped "]".
std::string Explanation(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ']' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Text for an _arguments message, which ends at the first unescaped ":".
std::string Message(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The action that completes a value: "(json md ics)", "_files", "_directories" or " " (a
// message only).
std::string Action(const CompletionOption& o) {
  switch (o.value) {
    case ValueKind::kChoice: {
      std::string words;
      for (const std::string& c : o.choices) words += (words.empty() ? "" : " ") + c;
      return "(" + words + ")";
    }
    case ValueKind::kFile:
      return "_files";
    case ValueKind::kDirectory:
      return "_directories";
    default:
      return " ";
  }
}

std::string OptionSpec(const CompletionOption& o) {
  std::string spec;
  if (o.name == "--help" || o.name == "--version") {
    spec = "(- *)";  // nothing else follows these
  } else if (!o.excludes.empty()) {
    spec = "(";
    for (const std::string& e : o.excludes) spec += (spec.size() > 1 ? " " : "") + e;
    spec += ")";
  }
  spec += o.name + "[" + Explanation(o.help) + "]";
  if (o.value != ValueKind::kNone) spec += ":" + Message(o.value_name) + ":" + Action(o);
  return ShellQuoted(spec);
}

std::string FunctionName(const std::string& path) {
  std::string out = "_accord_cmd_";
  for (char c : path) out += c == ' ' || c == '-' ? '_' : c;
  return out;
}

void Arguments(std::ostringstream& out, const std::vector<CompletionOption>& options,
               const std::vector<CompletionOption>& positionals, const char* indent) {
  out << indent << "_arguments -S";
  for (const CompletionOption& o : options) out << " \\\n" << indent << "  " << OptionSpec(o);
  int n = 0;
  for (const CompletionOption& p : positionals) {
    out << " \\\n"
        << indent << "  "
        << ShellQuoted(std::to_string(++n) + ":" + Message(p.name + " (" + p.help + ")") + ":" +
                       Action(p));
  }
}

void Describe(std::ostringstream& out, const std::string& name, const std::string& help) {
  out << "    " << ShellQuoted(name + ":" + help) << "\n";
}

}  // namespace

std::string ZshCompletion(const CompletionModel& model) {
  std::ostringstream out;
  out << "#compdef accord\n"
         "# zsh completion for accord, generated at build time from the client's command table\n"
         "# by accord_completions_gen: do not edit; change client/commands.cc instead.\n\n";

  for (const CompletionCommand& c : model.commands) {
    out << FunctionName(c.path) << "() {\n";
    Arguments(out, c.options, c.positionals, "  ");
    out << "\n}\n\n";
  }

  // A group's words arrive with the group first: the second word is its subcommand, and
  // the subcommand's own function sees the words from the subcommand on.
  for (const CompletionGroup& g : model.groups) {
    out << "_accord_group_" << FunctionName(g.name).substr(12) << "() {\n"
        << "  local -a subcommands\n  subcommands=(\n";
    for (const CompletionCommand* c : g.members) {
      Describe(out, c->path.substr(g.name.size() + 1), c->help);
    }
    out << "  )\n"
           "  if (( CURRENT == 2 )); then\n"
           "    _describe -t commands "
        << ShellQuoted("accord " + g.name + " command")
        << " subcommands\n"
           "    return\n"
           "  fi\n"
           "  shift words\n"
           "  (( CURRENT-- ))\n"
           "  case $words[1] in\n";
    for (const CompletionCommand* c : g.members) {
      out << "    " << ShellQuoted(c->path.substr(g.name.size() + 1)) << ") "
          << FunctionName(c->path) << " ;;\n";
    }
    out << "  esac\n}\n\n";
  }

  out << "_accord() {\n"
         "  local curcontext=\"$curcontext\" state line\n"
         "  typeset -A opt_args\n"
         "  local -a commands\n"
         "  commands=(\n";
  for (const std::string& first : model.first_words) {
    const CompletionGroup* g = model.FindGroup(first);
    if (g != nullptr) {
      std::string subs;
      for (const CompletionCommand* c : g->members)
        subs += (subs.empty() ? "" : ", ") + c->path.substr(first.size() + 1);
      Describe(out, first, first + " commands: " + subs);
      continue;
    }
    for (const CompletionCommand& c : model.commands)
      if (c.path == first) Describe(out, first, c.help);
  }
  out << "  )\n";
  std::vector<CompletionOption> none;
  Arguments(out, model.global_options, none, "  ");
  out << " \\\n"
         "    '1:command:->command' \\\n"
         "    '*::argument:->argument'\n"
         "  case $state in\n"
         "    command) _describe -t commands 'accord command' commands ;;\n"
         "    argument)\n"
         "      case $words[1] in\n";
  for (const std::string& first : model.first_words) {
    out << "        " << ShellQuoted(first) << ") "
        << (model.FindGroup(first) != nullptr ? "_accord_group_" + FunctionName(first).substr(12)
                                              : FunctionName(first))
        << " ;;\n";
  }
  out << "      esac\n"
         "      ;;\n"
         "  esac\n"
         "}\n\n"
         "_accord \"$@\"\n";
  return out.str();
}

}  // namespace accord::client
