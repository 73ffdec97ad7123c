#!/usr/bin/env python3
"""The man pages: lint-clean, and every command and option the programs accept is on them.

check_man_pages.py ACCORD ACCORDD accord.1 accordd.8

Lint: `mandoc -T lint -W style` and `man --warnings -l` print nothing. Drift: the commands
and long options come from the programs' own --help (the parsers built from the command
table), so a new command or flag without a paragraph on the page fails here. Exits 77
(skipped) when neither mandoc nor man is installed.
"""
import os
import re
import shutil
import subprocess
import sys

failures = []
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES",
            "EXAMPLES", "SECURITY", "SEE ALSO"]


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what)


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, **kw)


def lint(page):
    if shutil.which("mandoc"):
        r = run(["mandoc", "-T", "lint", "-W", "style", page])
        check(r.returncode == 0 and not r.stdout and not r.stderr,
              f"mandoc -T lint {page}:\n{r.stdout}{r.stderr}")
    if shutil.which("man"):
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        r = run(["man", "--warnings", "-l", "-Tutf8", page], env=env)
        check(r.returncode == 0 and not r.stderr, f"man --warnings -l {page}:\n{r.stderr}")


def rendered(page):
    """The page as plain text, one paragraph tag per line at indent 7."""
    if shutil.which("mandoc"):
        text = run(["mandoc", "-T", "ascii", "-O", "width=200", page]).stdout
    else:
        env = dict(os.environ, MANWIDTH="200", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
        text = run(["man", "-l", "-Tascii", page], env=env).stdout
    return re.sub(r".\x08", "", text)


def sections(text):
    out, name = {}, None
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z ]+$", line):
            name = line.strip()
            out[name] = []
        elif name:
            out[name].append(line)
    return out


def help_of(program, words):
    r = run([program, *words, "--help"])
    if r.returncode != 0:
        sys.exit(f"{program} {' '.join(words)} --help exited {r.returncode}")
    return r.stdout


def help_section(text, title):
    out, inside = [], False
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            inside = line == title
            continue
        m = re.match(r"^  (\S+)", line)
        if inside and m:
            out.append(m.group(1))
    return out


def long_options(text):
    return sorted({n for e in help_section(text, "Options:") for n in e.split(",")
                   if n.startswith("--") and n != "--help"})


def entries(lines):
    """Paragraphs of a section: tag line (indent 7) -> the tag and its body."""
    out, tag = {}, None
    for line in lines:
        if re.match(r"^ {7}\S", line):
            # A short tag shares its line with the start of the body, two spaces or more on.
            tag, *rest = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            out[tag] = [tag, *rest]
        elif tag and line.strip():
            out[tag].append(line.strip())
    return {t: " ".join(body) for t, body in out.items()}


def check_sections(page, found):
    for s in SECTIONS:
        check(s in found, f"{page} has a {s} section")


def check_accord(accord, page):
    found = sections(rendered(page))
    check_sections(page, found)
    check("COMMANDS" in found, f"{page} has a COMMANDS section")
    commands = entries(found.get("COMMANDS", []))
    top = help_of(accord, [])
    paths = []
    for word in help_section(top, "Subcommands:"):
        subs = help_section(help_of(accord, [word]), "Subcommands:")
        paths += [[word, s] for s in subs] if subs else [[word]]
    check(len(paths) >= 30, f"accord --help lists only {len(paths)} commands")
    for words in paths:
        path = " ".join(words)
        # The tag names the command: its words, then its arguments (not another word).
        tags = [t for t in commands if t == path or
                (t.startswith(path + " ") and not re.match(r"[a-z]", t[len(path) + 1:]))]
        check(len(tags) == 1, f"{page}: one COMMANDS paragraph for `accord {path}` ({tags})")
        for opt in long_options(help_of(accord, words)) if tags else []:
            check(re.search(re.escape(opt) + r"\b", commands[tags[0]]) is not None,
                  f"{page}: `accord {path}` paragraph mentions {opt}")
    options = entries(found.get("OPTIONS", []))
    for opt in long_options(top) + ["--help"]:
        check(any(opt in t for t in options), f"{page}: OPTIONS has {opt}")
    exit_codes = entries(found.get("EXIT STATUS", []))
    for code in range(6):
        check(str(code) in exit_codes, f"{page}: EXIT STATUS explains {code}")


def check_accordd(accordd, page):
    found = sections(rendered(page))
    check_sections(page, found)
    options = entries(found.get("OPTIONS", []))
    for opt in long_options(help_of(accordd, [])) + ["--help"]:
        check(any(re.search(re.escape(opt) + r"\b", t) for t in options),
              f"{page}: OPTIONS has {opt}")


def main():
    accord, accordd, accord_page, accordd_page = sys.argv[1:5]
    if not shutil.which("mandoc") and not shutil.which("man"):
        print("neither mandoc nor man is installed: skipped")
        return 77
    for page in (accord_page, accordd_page):
        lint(page)
    check_accord(accord, accord_page)
    check_accordd(accordd, accordd_page)
    print(f"2 man pages checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
