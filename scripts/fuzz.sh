#!/usr/bin/env bash
# The libFuzzer targets (tests/fuzz, docs/fuzzing.md): builds a clang-14 fuzz tree with only
# the fuzz targets, runs each for SECONDS_PER_TARGET (default 30) on a scratch copy of its
# checked-in corpus, and prints execs, execs/s and coverage per target. Fails on any crash,
# leak, timeout or out-of-memory; the input that did it is kept under BUILD/fuzz-artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   fuzz every target
#   scripts/fuzz.sh --write-seeds          rewrite tests/fuzz/corpus/*/seed-* from the code
#
# Environment: ACCORD_FUZZ_BUILD (default build-fuzz), ACCORD_JOBS (default 2),
# ACCORD_FUZZ_TARGETS (space-separated names, default all).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=fuzz
seconds=30
case "${1:-}" in
  --write-seeds) mode=seeds ;;
  "") ;;
  *[!0-9]* | 0)
    echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] | --write-seeds" >&2
    exit 2
    ;;
  *) seconds=$1 ;;
esac

build=${ACCORD_FUZZ_BUILD:-build-fuzz}
jobs=${ACCORD_JOBS:-2}
if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 not found (Debian: apt-get install clang-14)" >&2
  exit 1
fi
# Symbolised reports: Debian's llvm-14 has llvm-symbolizer only under its own prefix (the
# unversioned /usr/bin name comes with the `llvm` package).
if ! command -v llvm-symbolizer >/dev/null && [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" \
  -DACCORD_FUZZ=ON -DACCORD_BUILD_BENCH=OFF -DACCORD_TEST_LABELS=fuzz >/dev/null
cmake --build "$build" -j"$jobs" --target accord_fuzz

targets=${ACCORD_FUZZ_TARGETS:-$(cd tests/fuzz/corpus && ls)}

if [[ $mode == seeds ]]; then
  for t in $targets; do
    rm -f tests/fuzz/corpus/"$t"/seed-*
    ACCORD_FUZZ_WRITE_SEEDS=tests/fuzz/corpus "$build/tests/fuzz/fuzz_$t"
  done
  du -sh tests/fuzz/corpus
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
failed=()
printf '%-16s %12s %10s %8s %8s %8s  %s\n' target execs execs/s cov ft corpus result
for t in $targets; do
  binary="$build/tests/fuzz/fuzz_$t"
  [[ -x $binary ]] || { echo "fuzz.sh: no fuzz target fuzz_$t" >&2; exit 1; }
  mkdir -p "$scratch/$t"
  cp tests/fuzz/corpus/"$t"/* "$scratch/$t"/
  log="$scratch/$t.log"
  result=ok
  # New inputs go to the scratch copy only; -timeout is per input, in seconds.
  if ! "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 \
      -rss_limit_mb=2560 -artifact_prefix="$artifacts/$t-" "$scratch/$t" >"$log" 2>&1; then
    result=FAILED
    failed+=("$t")
  fi
  # libFuzzer's last status line ("#N DONE cov: C ft: F corp: K/S ... exec/s: E") and its
  # final stats (stat::number_of_executed_units, stat::average_exec_per_sec).
  line=$(grep -E '^#[0-9]+' "$log" | tail -n1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$line")
  corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$line")
  execs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log")
  rate=$(sed -nE 's/^stat::average_exec_per_sec: +([0-9]+)/\1/p' "$log")
  printf '%-16s %12s %10s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$result"
  if [[ $result != ok ]]; then
    # Base64: libFuzzer prints a small failing input whole, so a CI log alone reproduces it.
    grep -E 'ERROR|invariant|SUMMARY|Test unit written|artifact|^Base64:' "$log" | head -n 20 >&2 ||
      true
    cp "$log" "$artifacts/$t.log"
  fi
done

if ((${#failed[@]})); then
  echo "fuzz.sh: FAILED: ${failed[*]} (inputs and logs in $artifacts/)" >&2
  exit 1
fi
echo "fuzz.sh: every target ran ${seconds}s clean"
