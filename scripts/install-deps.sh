#!/usr/bin/env bash
# Installs what accord needs to build and test on Debian 12 (run as root). Skips apt-get
# entirely when everything is already there. The packaging checks (issue 13): dpkg-dev for
# the .deb's shlibdeps, man-db (man -w, man --warnings) and mandoc (-T lint) for the man
# pages, zsh for the completion's syntax, systemd for systemd-analyze verify (nothing of it
# is started). faketime: the nemesis runs a daemon with its clock 5 minutes off. The fuzz
# stage (scripts/fuzz.sh): clang-14, libclang-rt-14-dev for libFuzzer and the ASan/UBSan
# runtimes (only a recommendation of clang-14, so not installed with it here), and llvm-14 for
# llvm-symbolizer (a crash report names functions and lines).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libasio-dev libprotobuf-dev protobuf-compiler libsodium-dev libsqlite3-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libcli11-dev libhowardhinnant-date-dev libsystemd-dev nlohmann-json3-dev
  tzdata python3 python3-icalendar
  iproute2 nftables faketime
  dbus-daemon
  dpkg-dev man-db mandoc zsh systemd
  clang-14 libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
