#!/bin/sh
# SPDX-License-Identifier: MIT
# `memblock memtest` end to end: output byte for byte, and the exit codes.
# usage: cli_memtest.sh MEMBLOCK_BINARY TESTS_DIR
set -u
BIN=$1
DIR=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

check_rc() { # expected-rc description command...
	want=$1
	what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: $what: exit $rc, want $want"
		cat "$TMP/err"
		fail=1
	fi
}

check_rc 0 "fault machine" "$BIN" memtest --passes 4 --dmesg --mem 0x80000000:1M \
	--reserve 0x80000000:64K --fault 0x80020008:3:stuck0 --faults "$DIR/faults.txt"
if ! cmp -s "$TMP/out" "$DIR/cli_expected.txt"; then
	echo "FAIL: output differs from cli_expected.txt"
	diff "$DIR/cli_expected.txt" "$TMP/out"
	fail=1
fi

check_rc 2 "bad --fault" "$BIN" memtest --fault 0x1000:64:stuck0 --mem 0:1M
check_rc 2 "bad --passes" "$BIN" memtest --passes -1 --mem 0:1M
check_rc 2 "no machine" "$BIN" memtest --passes 1
check_rc 2 "unknown preset" "$BIN" memtest --preset no-such-machine
check_rc 2 "preset with --x86" "$BIN" memtest --preset riscv-virt-1g --x86

# The seed 000 preset through the boot simulator: its memtest lines are the log's.
check_rc 0 "preset riscv-virt-1g" "$BIN" memtest --preset riscv-virt-1g --no-dump
sed 's/^\[    0\.000000\]\[    T0\] //' "$DIR/seed000_memtest.txt" >"$TMP/seed"
head -n 17 "$TMP/out" >"$TMP/got"
if ! cmp -s "$TMP/seed" "$TMP/got" ||
	! grep -qx "EarlyMemtestBad:       0 kB" "$TMP/out"; then
	echo "FAIL: preset memtest lines differ from seed 000"
	diff "$TMP/seed" "$TMP/got"
	fail=1
fi
check_rc 0 "help" "$BIN" memtest --help

printf '0x1000:0:stuck0\nnonsense\n' >"$TMP/faults"
check_rc 2 "bad fault file" "$BIN" memtest --faults "$TMP/faults" --mem 0:1M
if ! grep -q "faults:2: error" "$TMP/err"; then
	echo "FAIL: the bad fault line is not named"
	cat "$TMP/err"
	fail=1
fi

check_rc 0 "clean machine" "$BIN" memtest --passes 2 --no-dump --mem 0x1000:0x3000
if ! grep -qx "memtest: 0 bad runs, 0 bad ranges, 0 bytes" "$TMP/out"; then
	echo "FAIL: clean machine summary"
	cat "$TMP/out"
	fail=1
fi
check_rc 1 "over the page budget" "$BIN" memtest --max-pages 1000 --no-dump --mem 0:1G
if ! grep -qx "memblock memtest: refused: 17 passes over 262144 pages is more than --max-pages 1000" "$TMP/err" ||
	[ -s "$TMP/out" ]; then
	echo "FAIL: memtest over the budget must be refused before any line"
	cat "$TMP/out" "$TMP/err"
	fail=1
fi
check_rc 0 "within the page budget" "$BIN" memtest --max-pages 6 --passes 2 --no-dump --mem 0x1000:0x3000
check_rc 2 "bad page budget" "$BIN" memtest --max-pages -5 --mem 0:1M
# --mem takes sizes as boot and the kernel do (memparse: lower-case units too).
check_rc 0 "memparse sizes" "$BIN" memtest --passes 1 --mem 0:1m
grep -q '^memtest: 0 bad runs' "$TMP/out" || { echo "FAIL: --mem 0:1m did not run"; fail=1; }

[ "$fail" -eq 0 ] && echo "cli_memtest: all checks passed"
exit "$fail"
