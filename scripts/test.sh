#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (as root): installs the build
# dependencies, builds, and runs every test label once (see below for which tree runs which),
# then every fuzz target for a few seconds (ACCORD_CI_FUZZ_SECONDS, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=${ACCORD_JOBS:-2}

# Two trees, each compiling only the test binaries of the labels it runs (ACCORD_TEST_LABELS):
# the unit and integration tests (most of the test code) once, under AddressSanitizer +
# UndefinedBehaviorSanitizer with real daemons; the release tree builds the daemon, the client,
# the benchmarks and what the long and system-level labels need, and runs those.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DACCORD_TEST_LABELS='lan;fault;slow;model'
cmake --build build -j"$jobs"
# `package` as root builds the .deb, installs it into this machine with dpkg -i, runs it and
# removes it again (tests/package/check_deb.sh).
(cd build && ctest -j"$jobs" -L 'lan|nemesis|model|crash|fault|slow|lint|purity|package' --output-on-failure)

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DACCORD_SANITIZE=ON \
  -DACCORD_BUILD_BENCH=OFF -DACCORD_TEST_LABELS='unit;integration'
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j"$jobs" -L 'unit|integration' --output-on-failure)

# The libFuzzer targets (docs/fuzzing.md): a clang-14 tree of only the fuzz targets (every
# library again, with coverage and ASan+UBSan), then each target a few seconds from its
# checked-in corpus, so a regression input or a quick find fails CI, its input in the log. Last:
# the stages above keep both cores busy, and their tests must not share them with a compiler.
scripts/fuzz.sh "${ACCORD_CI_FUZZ_SECONDS:-5}"

echo "accord: all tests passed"
