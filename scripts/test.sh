#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (as root): installs the build
# dependencies, builds everything, runs every test, then builds again under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the unit and integration tests there too (real daemons
# under the sanitizers; the long fault and slow tests run once, in the plain build).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=${ACCORD_JOBS:-2}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
# Every label, `package` included: as root it builds the .deb, installs it into this machine
# with dpkg -i, runs it and removes it again (tests/package/check_deb.sh).
(cd build && ctest -j"$jobs" --output-on-failure)

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DACCORD_SANITIZE=ON \
  -DACCORD_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j"$jobs" -L 'unit|integration' --output-on-failure)

echo "accord: all tests passed"
