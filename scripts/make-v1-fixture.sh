#!/usr/bin/env bash
# Writes tests/fixtures/v1-pact/: two homes (alice, bob) written by accord before private
# chains existed (log format 1: reflections sit in each device's shared chain, and the partner
# holds their headers). Kept to test the migration; run only with a build of that version
# (commit 85eca79). Usage: scripts/make-v1-fixture.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1 out=$2
root=$(mktemp -d /tmp/accord-fixture-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
start() {
  "$build/daemon/accordd" --home "$root/$1" --listen 127.0.0.1:0 --no-discovery 2>"$root/$1.log" &
  pids+=($!)
  for _ in $(seq 200); do [ -S "$root/$1/run/accord.sock" ] && return; sleep 0.05; done
  echo "accordd for $1 did not start" >&2; exit 1
}
as() { local who=$1; shift; "$build/client/accord" --home "$root/$who" "$@"; }
wait_until() { local limit=$1; shift
  for _ in $(seq $((limit * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }
start alice; start bob
as alice init --name Alice >/dev/null
as bob init --name Bob >/dev/null
as alice need add "I need one evening a week that is only mine" >/dev/null
as alice reflect "v1 reflection of alice before pairing" >/dev/null
addr=$(as alice --json status | sed -n 's/.*"listen_address": "\([^"]*\)".*/\1/p' | head -1)
as alice invite --no-wait >"$root/invite.out"
code=$(sed -n 's/^pairing code: //p' "$root/invite.out")
as bob join "$code" --peer "$addr" >/dev/null
as alice reflect "v1 reflection of alice after pairing" >/dev/null
as bob reflect "v1 reflection of bob" >/dev/null
as bob appreciate "thank you for asking" >/dev/null
count() { as "$1" --json log | grep -c '"seq"' || true; }
same() { [ "$(count alice)" -ge 7 ] && [ "$(count alice)" = "$(count bob)" ]; }
wait_until 20 same || { echo "the two logs did not converge" >&2; exit 1; }
for pid in "${pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
pids=()
rm -rf "$out"; mkdir -p "$out"
for who in alice bob; do
  mkdir -p "$out/$who/keys"
  sqlite3 "$root/$who/accord.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true
  cp "$root/$who/accord.db" "$out/$who/"
  cp "$root/$who/keys/device.key" "$out/$who/keys/"
done
echo "fixture written to $out"
