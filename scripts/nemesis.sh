#!/usr/bin/env bash
# A long nemesis schedule on the simulated LAN (tests/nemesis/test_nemesis.py), by hand:
#   scripts/nemesis.sh [STEPS] [SEED]    (as root; needs a built tree in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-200}
seed_args=()
if [ $# -ge 2 ]; then seed_args=(--seed "$2"); fi
exec /usr/bin/python3 tests/nemesis/test_nemesis.py --steps "$steps" "${seed_args[@]}" \
  --accordd build/daemon/accordd --accord build/client/accord
