#!/bin/sh
# check_zsh_syntax.sh _accord: the generated zsh completion parses (`zsh -n`). Only its
# syntax: driving zsh's completion system needs a terminal. Exits 77 (skipped) without zsh.
command -v zsh >/dev/null || { echo "zsh is not installed: skipped"; exit 77; }
grep -q '^#compdef accord$' "$1" || { echo "FAIL: $1 does not start with #compdef accord"; exit 1; }
exec zsh -n "$1"
