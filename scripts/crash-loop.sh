#!/usr/bin/env bash
# The crash loop (issue 15): two real daemons on loopback, the receiver (every tenth cycle the
# sender) SIGKILLed CYCLES times during sync and concurrent writes, every invariant checked
# after each restart (scripts/crash_loop.py says which). Uses accordd and accord from
# $ACCORD_BUILD_DIR (default ./build); further arguments go to crash_loop.py (--help).
#   scripts/crash-loop.sh [CYCLES] [--seed N] [--initial N] [--burst N] ...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec /usr/bin/python3 "$here/crash_loop.py" --build-dir "${ACCORD_BUILD_DIR:-build}" "$@"
