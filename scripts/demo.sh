#!/usr/bin/env bash
# The demo (SPEC §8): builds accord, starts two daemons with their own homes on loopback,
# pairs them with a code, has Alice propose an agreement that Bob accepts, a check-in, and
# prints each side's view. Everything lives in a temporary directory removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${ACCORD_JOBS:-2}" --target accord accordd

root=$(mktemp -d /tmp/accord-demo-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT

start() {  # NAME: a daemon listening on a free loopback port
  build/daemon/accordd --home "$root/$1" --listen 127.0.0.1:0 2>"$root/$1.log" &
  pids+=($!)
  for _ in $(seq 200); do [ -S "$root/$1/run/accord.sock" ] && return; sleep 0.05; done
  echo "accordd for $1 did not start" >&2; cat "$root/$1.log" >&2; exit 1
}
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
as() {  # NAME ARGS...: run accord as NAME and show the command
  local who=$1; shift
  printf '\033[36m%s$ accord %s\033[0m\n' "$who" "$*"
  build/client/accord --home "$root/$who" "$@"
}
wait_until() {  # seconds, then a command that must succeed
  local limit=$1; shift
  for _ in $(seq $((limit * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}
quiet() { build/client/accord --home "$root/$1" "${@:2}"; }

say "Two machines (two daemons on loopback, each with its own home)"
start alice
start bob
as alice init --name Alice
as bob init --name Bob

say "Alice writes down what she needs before talking to Bob"
as alice need add "I need one evening a week that is only mine"
as alice boundary add "No messages during my space time unless it is urgent" --during-space
as alice reflect "I am nervous about asking"   # private: never leaves Alice's device

say "Alice invites Bob; Bob types the code"
alice_addr=$(quiet alice --json status | sed -n 's/.*"listen_address": "\([^"]*\)".*/\1/p')
quiet alice invite >"$root/invite.out" 2>&1 &
invite_pid=$!
wait_until 10 grep -q "pairing code" "$root/invite.out"
code=$(sed -n 's/^pairing code: //p' "$root/invite.out")
printf 'alice$ accord invite\n'; head -2 "$root/invite.out"
as bob join "$code" --peer "$alice_addr"
wait "$invite_pid" || true
echo "(alice's terminal)"; tail -3 "$root/invite.out"

say "Bob now has what Alice wrote before pairing (but not her private reflection)"
wait_until 10 sh -c "build/client/accord --home '$root/bob' needs | grep -q 'only mine'"
as bob needs
as bob boundaries
as bob reflections

say "Alice proposes; Bob sees it waiting and accepts"
id=$(quiet alice propose "Tuesday evenings are Alice's own time" --schedule "tue 19:00-21:00" --review-every 2w)
printf 'alice$ accord propose ... \n%s\n' "$id"
wait_until 10 sh -c "build/client/accord --home '$root/bob' agreements --pending | grep -q Tuesday"
as bob agreements --pending
as bob accept "${id:0:8}"
wait_until 10 sh -c "build/client/accord --home '$root/alice' agreements --active | grep -q Tuesday"

say "A check-in after the first Tuesday"
as bob checkin --agreement "${id:0:8}" --feeling 4 --note "it felt strange, then good"
wait_until 10 sh -c "build/client/accord --home '$root/alice' checkins | grep -q strange"

say "Alice's view"
as alice show "${id:0:8}"
as alice status
say "Bob's view"
as bob show "${id:0:8}"
as bob status

a=$(quiet alice --json status | sed -n 's/.*"state_digest": "\([^"]*\)".*/\1/p')
b=$(quiet bob --json status | sed -n 's/.*"state_digest": "\([^"]*\)".*/\1/p')
if [ "$a" = "$b" ]; then say "Both devices hold the same state (digest ${a:0:16}…)."; else
  say "The digests differ: $a vs $b"; exit 1; fi
