#include "client/bash_completion.h"

#include <sstream>

namespace accord::client {

namespace {

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return ShellQuoted(out);
}

// One `case` arm per command path ("" for before the command) with what `pick` says of it.
template <typename Pick>
void CaseOverPaths(std::ostringstream& out, const CompletionModel& model, Pick pick) {
  out << "  case \"$1\" in\n";
  out << "    '') printf '%s' " << Joined(pick(model.global_options)) << " ;;\n";
  for (const CompletionCommand& c : model.commands)
    out << "    " << ShellQuoted(c.path) << ") printf '%s' " << Joined(pick(c.options)) << " ;;\n";
  // A group's own parser has only --help, a flag: no value to skip.
  CompletionOption help;
  help.name = "--help";
  const std::vector<CompletionOption> group_options = {help};
  for (const CompletionGroup& g : model.groups)
    out << "    " << ShellQuoted(g.name) << ") printf '%s' " << Joined(pick(group_options))
        << " ;;\n";
  out << "  esac\n";
}

std::vector<std::string> AllNames(const std::vector<CompletionOption>& options) {
  std::vector<std::string> out;
  for (const CompletionOption& o : options) out.push_back(o.name);
  return out;
}

std::vector<std::string> ValueNames(const std::vector<CompletionOption>& options) {
  std::vector<std::string> out;
  for (const CompletionOption& o : options)
    if (o.value != ValueKind::kNone) out.push_back(o.name);
  return out;
}

const char* KindWord(ValueKind k) {
  switch (k) {
    case ValueKind::kChoice:
      return "choice";
    case ValueKind::kFile:
      return "file";
    case ValueKind::kDirectory:
      return "dir";
    default:
      return "word";
  }
}

void ValueArms(std::ostringstream& out, const std::string& path,
               const std::vector<CompletionOption>& options) {
  for (const CompletionOption& o : options) {
    if (o.value == ValueKind::kNone || o.value == ValueKind::kWord) continue;
    out << "    " << ShellQuoted(path + " " + o.name) << ") printf '%s' "
        << ShellQuoted(std::string(KindWord(o.value)) + (o.choices.empty() ? "" : " "))
        << "; printf '%s' " << Joined(o.choices) << " ;;\n";
  }
}

}  // namespace

std::string BashCompletion(const CompletionModel& model) {
  std::ostringstream out;
  out << "# bash completion for accord, generated at build time from the client's command table\n"
         "# by accord_completions_gen: do not edit; change client/commands.cc instead.\n\n";

  out << "_accord_first_words=" << Joined(model.first_words) << "\n\n";

  out << "# _accord_subcommands GROUP: the second words after a group such as `need`.\n"
         "_accord_subcommands() {\n  case \"$1\" in\n";
  for (const CompletionGroup& g : model.groups) {
    std::vector<std::string> subs;
    for (const CompletionCommand* c : g.members) subs.push_back(c->path.substr(g.name.size() + 1));
    out << "    " << ShellQuoted(g.name) << ") printf '%s' " << Joined(subs) << " ;;\n";
  }
  out << "  esac\n}\n\n";

  out << "# _accord_options PATH: the options of a command path ('' = before the command).\n"
         "_accord_options() {\n";
  CaseOverPaths(out, model, AllNames);
  out << "}\n\n";

  out << "# _accord_value_options PATH: those of its options that take a value.\n"
         "_accord_value_options() {\n";
  CaseOverPaths(out, model, ValueNames);
  out << "}\n\n";

  out << "# _accord_value PATH OPTION: 'choice WORDS...', 'file' or 'dir'; nothing for free text.\n"
         "_accord_value() {\n  case \"$1 $2\" in\n";
  ValueArms(out, "", model.global_options);
  for (const CompletionCommand& c : model.commands) ValueArms(out, c.path, c.options);
  out << "  esac\n}\n\n";

  // The words before the cursor decide the command path: options (and the value after one
  // that takes a value) are skipped, the first plain word is the command, and after a group
  // the next plain word is its subcommand.
  out << R"BASH(_accord() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=''
  ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  local path='' group='' i=1 w
  while ((i < COMP_CWORD)); do
    w=${COMP_WORDS[i]}
    if [[ $w == -* ]]; then
      [[ " $(_accord_value_options "$path") " == *" $w "* ]] && i=$((i + 1))
    elif [[ -z $path ]]; then
      path=$w
      [[ -n $(_accord_subcommands "$w") ]] && group=$w
    elif [[ -n $group && $path == "$group" ]]; then
      path="$group $w"
    fi
    i=$((i + 1))
  done
  COMPREPLY=()
  if [[ $prev == -* && " $(_accord_value_options "$path") " == *" $prev "* ]]; then
    local value
    value=$(_accord_value "$path" "$prev")
    case $value in
      file) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); compopt -o filenames 2>/dev/null ;;
      dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); compopt -o filenames 2>/dev/null ;;
      choice*) mapfile -t COMPREPLY < <(compgen -W "${value#choice}" -- "$cur") ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_accord_options "$path")" -- "$cur")
  elif [[ -z $path ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_accord_first_words" -- "$cur")
  elif [[ -n $group && $path == "$group" ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_accord_subcommands "$group")" -- "$cur")
  fi
  return 0
}
complete -F _accord accord
)BASH";
  return out.str();
}

}  // namespace accord::client
