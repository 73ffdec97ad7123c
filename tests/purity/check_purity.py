#!/usr/bin/python3
"""Fails when a pure library's sources see Asio, SQLite, sodium, a clock read, a socket or a file.

Pure targets (docs/architecture.md, "Library graph") take their inputs as arguments: frames,
entries, a `now`. This check runs the compiler with -M on every source of every pure target,
with that source's own flags from compile_commands.json, and looks at
  1. every header the source reaches, transitively (Asio, SQLite, sodium, sockets, files);
  2. every file of ours among them (the source and our headers it reaches): what it includes
     directly (also <unistd.h>, which the standard library itself pulls in everywhere, so
     only our own direct include of it counts) and what it calls (clock reads, <cstdio>'s
     file functions, file streams, the environment, the time zone database's current_zone).
     <cstdio> itself is allowed: snprintf formats text and touches nothing;
  3. that none of our headers it reaches belongs to an edge (store, node, net, ipc, export,
     client).
Known exceptions are listed in EXCEPTIONS below, each with its reason.

Usage: check_purity.py BUILD_DIR SOURCE_DIR   (ctest -L purity runs it)
"""

import json
import os
import re
import shlex
import subprocess
import sys

PURE_TARGETS = ["accord_log", "accord_state", "accord_sync", "accord_peer", "accord_pairing",
                "accord_handshake", "accord_discovery", "accord_notify"]

# Headers no pure source may reach at all, by what they are; matched against resolved paths.
TRANSITIVE_RULES = [
    ("Asio", re.compile(r"/asio(\.hpp|/)")),
    ("SQLite", re.compile(r"/sqlite3\.h$")),
    ("sodium", re.compile(r"/sodium(\.h|/)")),
    ("sockets", re.compile(r"/(sys/socket\.h|netinet/|arpa/inet\.h|netdb\.h|sys/un\.h)")),
    ("files", re.compile(r"/(fstream|filesystem|fcntl\.h|sys/stat\.h|dirent\.h)$")),
]

# What our own files may not include directly (besides the transitive rules' headers).
DIRECT_INCLUDE_RULES = [
    ("files", re.compile(r"#\s*include\s*<(unistd\.h|fstream|filesystem|fcntl\.h|sys/stat\.h|"
                         r"dirent\.h)>")),
    ("sockets", re.compile(r"#\s*include\s*<(sys/socket\.h|netinet/.*|arpa/inet\.h|netdb\.h|"
                           r"sys/un\.h)>")),
    ("Asio", re.compile(r"#\s*include\s*<asio[./][^>]*>")),
    ("SQLite", re.compile(r"#\s*include\s*<sqlite3\.h>")),
    ("sodium", re.compile(r"#\s*include\s*<sodium[./][^>]*>")),
]

# What our own files may not call. Comments are stripped before matching.
CALL_RULES = [
    ("clock read", re.compile(r"(system_clock|steady_clock|high_resolution_clock|utc_clock|"
                              r"file_clock)\s*::\s*now\s*\(|\bclock_gettime\s*\(|"
                              r"\bgettimeofday\s*\(|\btime\s*\(\s*(nullptr|NULL|0)\s*\)")),
    ("files", re.compile(r"\b(fopen|freopen|fdopen|tmpfile|fread|fwrite|fgets|fputs|fprintf|"
                         r"printf|puts|opendir|openat)\s*\(|::open\s*\(|"
                         r"\bFILE\s*\*|std::(i|o)?fstream\b|std::filesystem\b")),
    ("environment", re.compile(r"\b(getenv|secure_getenv)\s*\(")),
    ("time zone database file", re.compile(r"\bcurrent_zone\s*\(")),
]

# Our headers that belong to an edge: a pure target including one would see its world.
EDGE_DIRS = ["daemon/store/", "daemon/node/", "daemon/net/", "daemon/ipc/", "daemon/export/",
             "client/"]

# (path relative to the source dir, rule name) -> why it is allowed.
EXCEPTIONS = {
    # sodium stays inside crypto/*.cc: the handshake's own sources are in crypto/.
    ("crypto/noise/cipher_state.cc", "sodium"): "crypto/ is libsodium's one wall",
    ("crypto/noise/hkdf_blake2b.cc", "sodium"): "crypto/ is libsodium's one wall",
    ("crypto/cpace/cpace.cc", "sodium"): "crypto/ is libsodium's one wall",
}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def target_of(command):
    match = re.search(r"CMakeFiles/([A-Za-z0-9_]+)\.dir/", command)
    return match.group(1) if match else None


def dependencies(entry):
    """Every file the source reaches (compiler -M), as absolute paths."""
    args = shlex.split(entry["command"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c" or a.startswith("-fsanitize") or a.startswith("-M"):
            continue
        out.append(a)
    out += ["-M", "-MG"]
    run = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError("the compiler failed on %s:\n%s" % (entry["file"], run.stderr))
    words = run.stdout.replace("\\\n", " ").split()
    deps = [w for w in words[1:] if not w.endswith(":")]
    return [os.path.normpath(os.path.join(entry["directory"], d)) for d in deps]


def check(build_dir, source_dir):
    source_dir = os.path.realpath(source_dir)
    build_dir = os.path.realpath(build_dir)
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    sources = [e for e in entries if target_of(e["command"]) in PURE_TARGETS]
    seen_targets = {target_of(e["command"]) for e in sources}
    problems = []
    for t in PURE_TARGETS:
        if t not in seen_targets:
            problems.append("%s: no sources in compile_commands.json (renamed?)" % t)
    used_exceptions = set()

    def report(target, path, rule, what):
        rel = os.path.relpath(path, source_dir)
        if (rel, rule) in EXCEPTIONS:
            used_exceptions.add((rel, rule))
            return
        problems.append("%s: %s: %s (%s)" % (target, rel, what, rule))

    checked = 0
    reached = set()
    for e in sources:
        target = target_of(e["command"])
        source = os.path.realpath(e["file"])
        deps = dependencies(e)
        ours = [d for d in deps if d.startswith(source_dir + os.sep) and
                not d.startswith(build_dir + os.sep)]
        direct = {}
        for path in ours:
            with open(path, errors="replace") as f:
                direct[path] = f.read()
        included_by_us = set()
        for text in direct.values():
            included_by_us.update(re.findall(r"#\s*include\s*<([^>]+)>", strip_comments(text)))
        for dep in deps:
            for rule, pattern in TRANSITIVE_RULES:
                if not pattern.search(dep):
                    continue
                if any(dep.endswith("/" + name) for name in included_by_us):
                    continue  # our own include: reported below, at the file that has it
                if (source, rule) in reached:
                    continue  # one line per source and rule: the first such header
                reached.add((source, rule))
                report(target, source, rule, "reaches %s through a library header" % dep)
        for path, text in direct.items():
            rel = os.path.relpath(path, source_dir)
            if path != source and any(rel.startswith(d) for d in EDGE_DIRS):
                report(target, source, "layering", "includes the edge's header %s" % rel)
            code = strip_comments(text)
            for rule, pattern in DIRECT_INCLUDE_RULES:
                for m in pattern.finditer(code):
                    report(target, path, rule,
                           "includes " + re.search(r"<[^>]*>", m.group(0)).group(0))
            for rule, pattern in CALL_RULES:
                for m in pattern.finditer(code):
                    report(target, path, rule, "calls %s" % m.group(0).strip())
        checked += 1

    for key in sorted(set(EXCEPTIONS) - used_exceptions):
        problems.append("exception %s (%s) is no longer needed: remove it from %s" %
                        (key[0], key[1], os.path.basename(__file__)))
    problems = sorted(set(problems))
    for p in problems:
        print("IMPURE " + p)
    print("checked %d sources of %d pure targets; %d problems, %d known exceptions" %
          (checked, len(PURE_TARGETS), len(problems), len(used_exceptions)))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    try:
        sys.exit(check(sys.argv[1], sys.argv[2]))
    except (OSError, RuntimeError, ValueError) as err:
        print("purity check could not run: %s" % err)
        sys.exit(1)
