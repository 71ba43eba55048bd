#!/bin/sh
# `memblock boot` from the command line: the seed 000 dump through --show,
# the dmesg prefix, --diff, views, and the exit codes of bad usage.
# usage: cli.sh MEMBLOCK_EXE GOLDEN_DIR
set -u
exe=$1
golden=$2
tmp=${TMPDIR:-/tmp}/sim-cli-$$
status=0
. "$(dirname "$0")/lib.sh"

expect_exit() {
	want=$1
	shift
	"$exe" boot "$@" > "$tmp.out" 2>&1
	got=$?
	[ "$got" -eq "$want" ] || fail "boot $* exited $got, want $want: $(head -3 "$tmp.out")"
}

# The dump alone equals the seed's dump lines (13 lines of the golden file).
"$exe" boot --preset riscv-virt-1g --raw --show dump > "$tmp.out" 2>&1 || fail "boot --show dump"
grep -A12 '^MEMBLOCK configuration:' "$golden/riscv-virt-1g.golden" > "$tmp.want"
cmp -s "$tmp.out" "$tmp.want" || fail "--show dump differs: $(diff "$tmp.want" "$tmp.out" | head -5)"

# dmesg prefix by default
"$exe" boot --preset riscv-virt-1g --show memtest > "$tmp.out" 2>&1
head -1 "$tmp.out" | grep -qx '\[    0\.000000\] early_memtest: # of tests: 4' ||
	fail "dmesg prefix: $(head -1 "$tmp.out")"
[ "$(wc -l < "$tmp.out")" -eq 17 ] || fail "17 memtest lines expected"

# what-if: a crash kernel appears as an added region
"$exe" boot --preset riscv-virt-1g --diff --cmdline crashkernel=64M > "$tmp.out" 2>&1 ||
	fail "--diff"
grep -q '^  + 64.0 MiB   reserve_crashkernel  *\[0xb4000000-0xb7ffffff\] (line [0-9]*)$' "$tmp.out" ||
	fail "--diff crashkernel: $(cat "$tmp.out")"

# a failed allocation is reported, the boot still succeeds
"$exe" boot --preset riscv-virt-1g --quiet --cmdline crashkernel=4G > "$tmp.out" 2>&1 ||
	fail "crashkernel=4G must not fail the boot"
grep -q "failed: crashkernel: couldn't allocate 4194304KB" "$tmp.out" || fail "crashkernel=4G report"

# views after the boot
"$exe" boot --preset arm-vexpress --quiet --view debugfs-memory > "$tmp.out" 2>&1
grep -q '^   0: 0x60000000\.\.0x67ffffff' "$tmp.out" || fail "debugfs view: $(cat "$tmp.out")"
"$exe" boot --preset arm-vexpress --quiet --json > "$tmp.out" 2>&1
head -c 1 "$tmp.out" | grep -q '{' || fail "--json"

# bad usage
expect_exit 2 --preset no-such-preset
expect_exit 2
expect_exit 2 --preset riscv-virt-1g --diff
expect_exit 2 --preset riscv-virt-1g --show bogus
expect_exit 2 --mem 0x80000000:zz
expect_exit 0 --help

rm -f "$tmp.out" "$tmp.want"
[ $status -eq 0 ] && echo "ok: memblock boot CLI"
exit $status
