#!/usr/bin/env python3
"""The systemd user unit (packaging/systemd/accordd.service).

check_unit.py verify UNIT ACCORDD
    `systemd-analyze --user verify` on a copy whose ExecStart runs the built accordd: exit 0
    and not one line of output (it exits 0 even when it ignores a misspelt setting).
    Exits 77 (skipped) without systemd-analyze.
check_unit.py paths UNIT ACCORDD ACCORD
    The unit's paths are the daemon's: run the built accordd in the environment the unit
    gives it (HOME = %h, XDG_RUNTIME_DIR = %t, the unit's Environment= lines, the directory
    its ExecStartPre= creates, its RuntimeDirectory=), drive it with the built client
    without --home, and check that the client finds the socket, that the data lands in the
    unit's ReadWritePaths=, and that the daemon wrote nothing anywhere else (with
    ProtectHome=read-only and ProtectSystem=strict, anything else would fail).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def unit_settings(path):
    settings = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line[0] in "#;[":
            continue
        key, _, value = line.partition("=")
        settings.setdefault(key, []).append(value)
    return settings


def verify(unit, accordd):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        print("systemd-analyze is not installed: skipped")
        return 77
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o700)
        text = open(unit, encoding="utf-8").read()
        check = re.subn(r"^ExecStart=/usr/bin/accordd", "ExecStart=" + accordd, text, flags=re.M)
        if check[1] != 1:
            print("FAIL: the unit has no ExecStart=/usr/bin/accordd line")
            return 1
        copy = os.path.join(d, "accordd.service")
        open(copy, "w", encoding="utf-8").write(check[0])
        env = dict(os.environ, XDG_RUNTIME_DIR=d)
        # Documentation= names man pages that are installed only with the package; the
        # package test verifies the installed unit with them.
        r = subprocess.run([tool, "--user", "verify", "--man=no", copy], capture_output=True,
                           text=True, timeout=120, env=env)
        output = (r.stdout + r.stderr).strip()
        print(output or "systemd-analyze --user verify: clean")
        if r.returncode != 0 or output:
            print(f"FAIL: systemd-analyze exited {r.returncode} with the output above")
            return 1
    return 0


def paths(unit, accordd, accord):
    s = unit_settings(unit)
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAIL: " + what)

    with tempfile.TemporaryDirectory() as d:
        home, runtime = os.path.join(d, "home"), os.path.join(d, "run")
        os.makedirs(home, mode=0o700)
        os.makedirs(runtime, mode=0o700)

        def expand(value):
            return value.replace("%h", home).replace("%t", runtime)

        env = {"HOME": home, "XDG_RUNTIME_DIR": runtime, "PATH": os.environ.get("PATH", "")}
        for line in s.get("Environment", []):
            key, _, value = line.partition("=")
            env[key] = expand(value)
        pre = [expand(x) for x in s.get("ExecStartPre", [])]
        for p in pre:
            argv = p.lstrip("+-@!:").split()
            check(argv[0] == "/usr/bin/mkdir", f"ExecStartPre runs mkdir only: {p}")
            subprocess.run(argv, check=True)
        writable = [expand(p.lstrip("-")) for p in s.get("ReadWritePaths", [""])[0].split()]
        runtime_dirs = [os.path.join(runtime, x) for x in s.get("RuntimeDirectory", [""])[0].split()]
        for r in runtime_dirs:
            os.makedirs(r, mode=int(s.get("RuntimeDirectoryMode", ["0755"])[0], 8))
        for w in writable:
            check(os.path.isdir(w), f"ReadWritePaths {w} exists before the daemon starts")

        log = open(os.path.join(d, "accordd.log"), "w")
        # Off the real network: no beacons, loopback only (the paths do not depend on it).
        daemon = subprocess.Popen([accordd, "--no-discovery", "--listen", "127.0.0.1:0"],
                                  env=env, stdout=log, stderr=log)
        try:
            deadline = time.time() + 30
            r = None
            while time.time() < deadline:
                r = subprocess.run([accord, "init", "--name", "Unit"], env=env,
                                   capture_output=True, text=True, timeout=30)
                if r.returncode != 3:  # 3: daemon not reachable yet
                    break
                time.sleep(0.1)
            check(r is not None and r.returncode == 0,
                  f"accord without --home reaches the daemon: {r and r.stderr}")
            r = subprocess.run([accord, "need", "add", "I need the paths to agree"], env=env,
                               capture_output=True, text=True, timeout=30)
            check(r.returncode == 0, f"accord need add: {r.stderr}")
        finally:
            daemon.send_signal(signal.SIGTERM)  # our own child
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
            log.close()
        check(daemon.returncode == 0, f"accordd exited {daemon.returncode}")

        data = [w for w in writable if os.path.exists(os.path.join(w, "accord.db"))]
        check(len(data) == 1, f"accord.db is in a ReadWritePaths directory ({writable})")
        allowed = writable + runtime_dirs + [os.path.join(d, "accordd.log")]
        for root, dirs, files in os.walk(d):
            for name in files + dirs:
                p = os.path.join(root, name)
                inside = any(p == a or p.startswith(a + os.sep) for a in allowed)
                # The directories leading to an allowed one were made by the test itself.
                leading = any(a.startswith(p + os.sep) for a in allowed)
                check(inside or leading, f"the daemon wrote {p}, outside the unit's writable paths")
        if failures:
            print(open(os.path.join(d, "accordd.log")).read())
    print(f"unit paths: {len(failures)} failures")
    return 1 if failures else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "verify":
        return verify(sys.argv[2], sys.argv[3])
    if len(sys.argv) >= 5 and sys.argv[1] == "paths":
        return paths(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
