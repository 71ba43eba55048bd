#!/bin/sh
# golden.sh - run the memblock CLI and compare with golden files, byte for byte.
#
#   golden.sh MEMBLOCK RC STDOUT_GOLDEN STDERR_GOLDEN [ARGS...]
#
# With GOLDEN_STDIN set, that file (relative to this directory) is the
# program's standard input; otherwise /dev/null is.
# Runs `MEMBLOCK ARGS...` from this directory (so file names in messages
# are stable), expects exit code RC, stdout equal to STDOUT_GOLDEN and
# stderr equal to STDERR_GOLDEN ("-" skips a comparison). A golden file
# name is relative to golden/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 want_rc=$2 out_gold=$3 err_gold=$4
shift 4
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here" || exit 1
"$bin" "$@" <"${GOLDEN_STDIN:-/dev/null}" >"$tmp/out" 2>"$tmp/err"
rc=$?
fail=0
if [ "$rc" != "$want_rc" ]; then
	echo "exit code $rc, expected $want_rc (memblock $*)"
	fail=1
fi
if [ "$out_gold" != - ] && ! diff -u "golden/$out_gold" "$tmp/out"; then
	echo "stdout differs from golden/$out_gold"
	fail=1
fi
if [ "$err_gold" != - ] && ! diff -u "golden/$err_gold" "$tmp/err"; then
	echo "stderr differs from golden/$err_gold"
	fail=1
fi
[ $fail = 0 ] || { echo "--- stderr:"; cat "$tmp/err"; }
exit $fail
