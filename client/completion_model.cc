#include "client/completion_model.h"

#include <algorithm>

namespace accord::client {

namespace {

// CLI11 spells an option's value type and its checks as one name: "TEXT:{json,md,ics}".
std::vector<std::string> MemberChoices(const std::string& type_name) {
  size_t open = type_name.find(":{");
  if (open == std::string::npos || type_name.back() != '}') return {};
  std::vector<std::string> out;
  std::string list = type_name.substr(open + 2, type_name.size() - open - 3);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

CompletionOption Describe(const CLI::Option& opt) {
  CompletionOption o;
  o.help = opt.get_description();
  if (opt.get_expected_max() > 0) {  // a flag expects no value
    const std::string type = opt.get_type_name();
    o.value_name = type.substr(0, type.find(':'));
    o.choices = MemberChoices(type);
    o.value = !o.choices.empty()       ? ValueKind::kChoice
              : o.value_name == "FILE" ? ValueKind::kFile
              : o.value_name == "DIR"  ? ValueKind::kDirectory
                                       : ValueKind::kWord;
  }
  for (const CLI::Option* other : opt.get_excludes()) {
    for (const std::string& l : other->get_lnames()) o.excludes.push_back("--" + l);
  }
  return o;
}

// Long options and positionals of one parser, in the order they were defined.
void ReadOptions(const CLI::App& app, std::vector<CompletionOption>& options,
                 std::vector<CompletionOption>* positionals) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_lnames().empty() && opt->get_positional()) {
      if (positionals == nullptr) continue;
      CompletionOption p = Describe(*opt);
      p.name = opt->get_name();
      positionals->push_back(std::move(p));
      continue;
    }
    for (const std::string& l : opt->get_lnames()) {
      CompletionOption o = Describe(*opt);
      o.name = "--" + l;
      options.push_back(std::move(o));
    }
  }
}

}  // namespace

const CompletionGroup* CompletionModel::FindGroup(const std::string& word) const {
  for (const CompletionGroup& g : groups)
    if (g.name == word) return &g;
  return nullptr;
}

CompletionModel BuildCompletionModel(const std::vector<CommandRow>& table) {
  CompletionModel model;
  {
    CLI::App top;
    GlobalArgs globals;
    DefineGlobalOptions(top, globals, "accord");
    ReadOptions(top, model.global_options, nullptr);
  }
  model.commands.reserve(table.size());  // groups point into it
  for (const CommandRow& row : table) {
    CLI::App app;
    Args args;
    row.define(app, args);
    CompletionCommand c;
    c.path = row.path;
    c.help = row.help;
    ReadOptions(app, c.options, &c.positionals);
    model.commands.push_back(std::move(c));
  }
  for (const CompletionCommand& c : model.commands) {
    const size_t space = c.path.find(' ');
    const std::string first = c.path.substr(0, space);
    if (std::find(model.first_words.begin(), model.first_words.end(), first) ==
        model.first_words.end()) {
      model.first_words.push_back(first);
    }
    if (space == std::string::npos) continue;
    auto g = std::find_if(model.groups.begin(), model.groups.end(),
                          [&](const CompletionGroup& x) { return x.name == first; });
    if (g == model.groups.end()) {
      model.groups.emplace_back();
      model.groups.back().name = first;
      g = model.groups.end() - 1;
    }
    g->members.push_back(&c);
  }
  return model;
}

std::string ShellQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace accord::client
