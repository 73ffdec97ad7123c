#!/usr/bin/env python3
"""The generated bash completion against the real client (issue 13).

check_bash_completion.py ACCORD accord.bash

What `accord` accepts is read from its own --help (CLI11 prints it from the parser that
main.cc builds out of the command table); what the completion offers is read by sourcing the
generated script in a bash subshell, setting COMP_WORDS/COMP_CWORD and calling _accord, as
bash does on TAB. The two must agree: every command at the first word, the subcommands of
each group (device, need, boundary at least), each command's long options, the global ones.
"""
import os
import re
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what)


def help_of(accord, words):
    r = subprocess.run([accord, *words, "--help"], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        sys.exit(f"accord {' '.join(words)} --help exited {r.returncode}: {r.stderr}")
    return r.stdout


def section(text, title):
    """The first words of the lines of one --help section ("Options:", "Subcommands:")."""
    out, inside = [], False
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            inside = line == title
            continue
        m = re.match(r"^  (\S+)", line)  # two spaces: an entry; continuation lines have more
        if inside and m:
            out.append(m.group(1))
    return out


def long_options(text):
    names = set()
    for entry in section(text, "Options:"):
        names.update(n for n in entry.split(",") if n.startswith("--"))
    return names


def complete(script, words, cur):
    """COMPREPLY of _accord for the command line `accord WORDS... CUR` with the cursor at CUR."""
    line = ["accord", *words, cur]
    program = (
        f"source {quote(script)}\n"
        f"COMP_WORDS=({' '.join(quote(w) for w in line)})\n"
        f"COMP_CWORD={len(line) - 1}\n"
        "_accord\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True,
                       text=True, timeout=30)
    if r.returncode != 0 or r.stderr:
        failures.append(f"bash failed for {line}: {r.returncode} {r.stderr}")
    return set(x for x in r.stdout.splitlines() if x)


def quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def main():
    accord, script = sys.argv[1], sys.argv[2]
    top = help_of(accord, [])
    first_words = section(top, "Subcommands:")
    check(len(first_words) >= 30, f"accord --help lists only {len(first_words)} commands")

    offered = complete(script, [], "")
    check(offered == set(first_words),
          f"first word: missing {sorted(set(first_words) - offered)}, "
          f"extra {sorted(offered - set(first_words))}")
    check(complete(script, [], "ne") == {w for w in first_words if w.startswith("ne")},
          "a prefix at the first word narrows the commands")

    check(complete(script, [], "-") == long_options(top),
          f"global options: {sorted(complete(script, [], '-'))} vs {sorted(long_options(top))}")

    groups = {}
    for word in first_words:
        subs = section(help_of(accord, [word]), "Subcommands:")
        if subs:
            groups[word] = subs
    for must in ("device", "need", "boundary"):
        check(must in groups, f"{must} is a group of subcommands in accord --help")
    for group, subs in groups.items():
        got = complete(script, [group], "")
        check(got == set(subs), f"accord {group} TAB offers {sorted(got)}, expected {subs}")
        # Global options before the command, and the value of --home, do not shift the words.
        got = complete(script, ["--json", "--home", "/tmp/x", group], "")
        check(got == set(subs), f"accord --json --home DIR {group} TAB offers {sorted(got)}")

    leaves = [[w] for w in first_words if w not in groups]
    leaves += [[g, s] for g, subs in groups.items() for s in subs]
    for words in leaves:
        expected = long_options(help_of(accord, words))
        got = complete(script, words, "--")
        check(got == expected, f"accord {' '.join(words)} --TAB: missing "
              f"{sorted(expected - got)}, extra {sorted(got - expected)}")
        check(complete(script, words, "") == set(),
              f"accord {' '.join(words)} TAB offers no command words")

    check(complete(script, ["export", "--format"], "") == {"json", "md", "ics"},
          "export --format TAB offers json, md, ics")
    check(complete(script, ["export", "--format"], "i") == {"ics"}, "export --format i TAB")
    # A value that takes free text completes to nothing, and is skipped as a word.
    check(complete(script, ["decline", "--note"], "") == set(), "decline --note TAB offers nothing")
    check(complete(script, ["propose", "--schedule", "tue 19:00-21:00", "some text"], "--r") ==
          {"--review-every"}, "the value of --schedule is skipped")
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "sub"))
        open(os.path.join(d, "file.md"), "w").close()
        got = complete(script, ["--home"], d + "/")
        check(got == {d + "/sub"}, f"--home TAB offers directories only: {sorted(got)}")
        got = complete(script, ["export", "--out"], d + "/f")
        check(got == {d + "/file.md"}, f"export --out TAB offers files: {sorted(got)}")

    checked = 1 + len(groups) + len(leaves)
    print(f"{checked} command paths checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
