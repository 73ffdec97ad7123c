#!/usr/bin/env bash
# The demo: builds accord, starts a daemon on a temporary home and walks through one person's
# first evening with it (needs, a boundary, a proposal with designated space times, a
# check-in, a space request, the signed log). Pairing with a partner comes with the next
# release; until then this is the one-person walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${ACCORD_JOBS:-2}" --target accord accordd

home=$(mktemp -d /tmp/accord-demo-XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT

build/daemon/accordd --home "$home" 2>"$home/accordd.log" &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$home/run/accord.sock" ] && break; sleep 0.05; done

step() {
  printf '\n\033[1m$ accord %s\033[0m\n' "$*"
  build/client/accord --home "$home" "$@"
}

step init --name Alice
step need add "I need an evening a week that is only mine"
step need add "You always plan our weekends"   # gets a gentle hint
step boundary add "No messages during my space time unless it is urgent" --during-space
id=$(build/client/accord --home "$home" propose "Tuesday evenings are my own time" \
       --schedule "tue 19:00-21:00" --review-every 2w)
printf '\n\033[1m$ accord propose "Tuesday evenings are my own time" --schedule "tue 19:00-21:00" --review-every 2w\033[0m\n%s\n' "$id"
step agreements
step show "${id:0:8}"
step checkin --agreement "${id:0:8}" --feeling 4 --note "the first Tuesday felt good"
step ask 90m "going for a long walk"
step space
step back
step appreciate "Thank you for giving me the evening"
step reflect "I was nervous to ask; it went fine"
step log --verify
step export --format ics --out "$home/space-times.ics"
printf '(wrote %s: %s lines)\n' "$home/space-times.ics" "$(wc -l < "$home/space-times.ics")"
step status
printf '\nDemo finished: one device, %s entries, every signature verified.\n' \
  "$(build/client/accord --home "$home" --json status | sed -n 's/.*"entries": "\([0-9]*\)".*/\1/p')"
