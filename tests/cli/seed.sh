#!/bin/sh
# seed.sh - a script's kernel log against the lines of a real boot log.
#
#   seed.sh MEMBLOCK SCRIPT SEED_LINES
#
# The seed articles print the dump with the tab after "memory[0x0]" turned
# into spaces, so both sides have every run of blanks squeezed to one
# space; everything else must match exactly, line for line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 script=$2 seed=$3
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here" || exit 1
"$bin" run "$script" >"$tmp/out" || exit 1
tr -s ' \t' '  ' <"$tmp/out" >"$tmp/got"
tr -s ' \t' '  ' <"$seed" >"$tmp/want"
diff -u "$tmp/want" "$tmp/got"
