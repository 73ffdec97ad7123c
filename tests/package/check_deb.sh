#!/usr/bin/env bash
# The .deb as CI checks it (issue 13): builds the package target, lists the package, installs
# it into this machine with dpkg -i, runs what it installed, verifies the installed unit, and
# removes it again, also when a check fails.
#
#   check_deb.sh BUILD_DIR VERSION
#
# Needs root (dpkg -i); exits 77 (skipped) without root or dpkg. Refuses to touch a machine
# where /usr/bin/accord or /usr/bin/accordd comes from anywhere but this test.
set -euo pipefail

build=$1
version=$2
marker=/var/lib/accord-package-test.installed  # "this test installed it", for a killed run

if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null; then
  echo "check_deb: needs root and dpkg: skipped"
  exit 77
fi

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

installed() { dpkg-query -W -f='${Status}' accord 2>/dev/null | grep -q "install ok installed"; }

# A leftover of this test (killed before it could clean up) is removed; anything else is not
# ours to replace.
if installed && [ -e "$marker" ]; then
  echo "check_deb: removing the accord package a killed run of this test left installed"
  dpkg -r accord >/dev/null
  rm -f "$marker"
fi
if installed; then
  echo "check_deb: the accord package is installed on this machine already; not replacing it" >&2
  exit 1
fi
for f in /usr/bin/accord /usr/bin/accordd; do
  if [ -e "$f" ]; then
    echo "check_deb: $f exists and is not from this test's package; not overwriting it" >&2
    exit 1
  fi
done

cmake --build "$build" --target package >"$build/check_deb_package.log" 2>&1 || {
  cat "$build/check_deb_package.log"
  echo "FAIL: cmake --build $build --target package"
  exit 1
}
deb="$build/accord_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "FAIL: $deb was not written"; exit 1; }

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/accord ./usr/bin/accordd ./usr/lib/systemd/user/accordd.service \
  ./usr/share/man/man1/accord.1.gz ./usr/share/man/man8/accordd.8.gz \
  ./usr/share/bash-completion/completions/accord ./usr/share/zsh/vendor-completions/_accord; do
  grep -qE " $path\$" <<<"$contents" || fail "dpkg-deb -c lists no $path"
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libsodium libprotobuf libsqlite3 libsystemd; do
  grep -q "$lib" <<<"$depends" || fail "Depends names no $lib (shlibdeps): $depends"
done

cleanup() {
  if installed; then
    dpkg -r accord >/dev/null || echo "check_deb: dpkg -r accord failed" >&2
  fi
  rm -f "$marker"
}
trap cleanup EXIT
touch "$marker"
dpkg -i "$deb" >/dev/null

out=$(/usr/bin/accord --version) || fail "/usr/bin/accord --version exited $?"
[ "$out" = "accord $version" ] || fail "/usr/bin/accord --version printed '$out'"
out=$(/usr/bin/accordd --version) || fail "/usr/bin/accordd --version exited $?"
[ "$out" = "accordd $version" ] || fail "/usr/bin/accordd --version printed '$out'"

out=$(man -w accord) || fail "man -w accord exited $?"
[ "$out" = /usr/share/man/man1/accord.1.gz ] || fail "man -w accord found '$out'"
out=$(man -w 8 accordd) || fail "man -w 8 accordd exited $?"
[ "$out" = /usr/share/man/man8/accordd.8.gz ] || fail "man -w 8 accordd found '$out'"

out=$(bash --norc -c 'source /usr/share/bash-completion/completions/accord && complete -p accord') ||
  fail "the installed bash completion does not load"
[ "$out" = "complete -F _accord accord" ] || fail "the bash completion registers '$out'"

if command -v systemd-analyze >/dev/null; then
  runtime=$(mktemp -d)
  out=$(XDG_RUNTIME_DIR=$runtime systemd-analyze --user verify \
    /usr/lib/systemd/user/accordd.service 2>&1) || fail "systemd-analyze verify exited $?: $out"
  [ -z "$out" ] || fail "systemd-analyze verify said: $out"
  rm -rf "$runtime"
else
  echo "check_deb: no systemd-analyze: the installed unit is not verified"
fi

dpkg -r accord >/dev/null || fail "dpkg -r accord"
rm -f "$marker"
[ ! -e /usr/bin/accord ] || fail "/usr/bin/accord is still there after dpkg -r"
[ ! -e /usr/lib/systemd/user/accordd.service ] || fail "the unit is still there after dpkg -r"

echo "check_deb: $deb: $failures failures"
[ "$failures" -eq 0 ]
