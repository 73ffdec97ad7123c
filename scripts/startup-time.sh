#!/usr/bin/env bash
# Cold start to the first answered `accord status`, for two builds on one store of N entries
# written by the first (older) build: scripts/startup-time.sh OLD_BUILD NEW_BUILD [N]. Prints
# three runs of each and their medians. Uses only a temporary home; stops what it started.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); n=${3:-30000}
home=$(mktemp -d /tmp/accord-startup.XXXXXX)
trap 'rm -rf "$home" "$home.log"' EXIT

start() {  # build dir -> pid of its accordd, once its socket answers
  "$1/daemon/accordd" --home "$home" >/dev/null 2>>"$home.log" &
  local pid=$!
  for _ in $(seq 400); do
    "$1/client/accord" --home "$home" status >/dev/null 2>&1 && break
    sleep 0.005
  done
  echo "$pid"
}
stop() {  # SIGTERM, then wait until it is gone (it is not our child: started in $(...))
  kill "$1" 2>/dev/null || { echo "accordd exited early:"; cat "$home.log"; exit 1; }
  for _ in $(seq 1000); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.01; done
  echo "accordd $1 did not stop"; exit 1
}
measure() {  # build dir -> milliseconds from exec to the first answered status
  local t0 t1 pid
  t0=$(date +%s%N)
  pid=$(start "$1")
  t1=$(date +%s%N)
  stop "$pid"
  echo $(((t1 - t0) / 1000000))
}

pid=$(start "$old")
"$old/client/accord" --home "$home" init --name Bench >/dev/null
/usr/bin/python3 - "$home/run/accord.sock" "$n" <<'PY'
import socket, struct, sys
path, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX); s.connect(path)
def request(i):  # Request{protocol: 1, add_need{text}} in protobuf wire format, framed
    text = ("I need quiet time, entry number %d" % i).encode()
    need = b"\x0a" + bytes([len(text)]) + text
    body = b"\x08\x01\x62" + bytes([len(need)]) + need
    return struct.pack(">I", len(body)) + body
def read_exact(k):
    b = b""
    while len(b) < k:
        c = s.recv(k - len(b))
        if not c: sys.exit("daemon closed the socket")
        b += c
    return b
sent = done = 0
while done < count:
    while sent < count and sent - done < 256:
        s.sendall(request(sent)); sent += 1
    read_exact(struct.unpack(">I", read_exact(4))[0]); done += 1
PY
stop "$pid"
measure "$new" >/dev/null  # a first start may upgrade the store once
olds=(); news=()
for _ in 1 2 3; do olds+=("$(measure "$old")"); news+=("$(measure "$new")"); done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
echo "entries: $n  old: ${olds[*]} ms (median $(median "${olds[@]}"))  new: ${news[*]} ms (median $(median "${news[@]}"))"
