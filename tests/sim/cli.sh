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

# 32-bit arm: mem= (early_mem + arm_add_memory), crashkernel= (4.x find and
# reserve, 128M alignment or a fixed base).
arm() {
	"$exe" boot --preset arm-vexpress --raw --show trace,kernel,dump --cmdline "$1" 2>&1
}
arm "mem=32M@0x62000000 mem=16M@0x66000000" > "$tmp.out"
for want in 'memblock_remove: [0x60000000-0x67ffffff] early_mem' \
	'memblock_add: [0x62000000-0x63ffffff] arm_add_memory' \
	'memblock_add: [0x66000000-0x66ffffff] arm_add_memory' \
	' memory size = 0x03000000 reserved size = 0x009a70fe'; do
	grep -qxF "$want" "$tmp.out" || fail "arm mem=: no line '$want'"
done
arm "mem=64M@0x5ff00000" | grep -qxF 'Ignoring memory below PHYS_OFFSET: 0x5ff00000-0x60000000' ||
	fail "arm mem= below PHYS_OFFSET"
arm "crashkernel=16M@0x65000000" > "$tmp.out"
grep -qxF 'memblock_reserve: [0x65000000-0x65ffffff] reserve_crashkernel' "$tmp.out" &&
	grep -qxF 'Reserving 16MB of memory at 1616MB for crashkernel (System RAM: 128MB)' "$tmp.out" ||
	fail "arm crashkernel=16M@0x65000000: $(grep -i crash "$tmp.out")"
arm "crashkernel=16M" | grep -qxF 'crashkernel reservation failed - No suitable area found.' ||
	fail "arm crashkernel=16M: 128M alignment does not fit in 128M of RAM"
arm "crashkernel=16M@0x60100000" | grep -qxF 'crashkernel reservation failed - memory is in use.' ||
	fail "arm crashkernel over the kernel"

# A .dts is compiled by the CLI; dtc's failure is one message, exit 1.
expect_exit 0 --dtb "$golden/../fw/seed000.dts" --quiet
expect_exit 1 --dtb /nonexistent/x.dts --quiet
grep -q '^memblock boot: /nonexistent/x.dts: dtc failed: ' "$tmp.out" ||
	fail "--dtb x.dts: $(head -2 "$tmp.out")"

# The machine options go together in any order; conflicts name both options.
dtb=$(dirname "$0")/../data/sim/riscv64-virt-numa2.dtb
expect_exit 0 --dtb "$dtb" --arch riscv64 --quiet
expect_exit 0 --arch riscv64 --dtb "$dtb" --quiet
expect_exit 0 --dtb "$dtb" --quiet
conflict() {
	want=$1
	shift
	"$exe" boot "$@" --quiet > "$tmp.out" 2>&1
	got=$?
	[ "$got" -eq 2 ] || fail "boot $* exited $got, want 2"
	grep -qF "memblock boot: $want" "$tmp.out" || fail "boot $*: $(head -2 "$tmp.out")"
}
conflict "--arch arm64 conflicts with --dtb $dtb: the device tree is made for riscv64" \
	--dtb "$dtb" --arch arm64
conflict "--arch x86_64 conflicts with --dtb $dtb: the device tree is made for riscv64" \
	--arch x86_64 --dtb "$dtb"
conflict "--arch arm64 conflicts with --preset riscv-virt-1g: that is a riscv64 machine" \
	--preset riscv-virt-1g --arch arm64
conflict "--mem 1G conflicts with --dtb $dtb: the device tree's /memory nodes give the RAM" \
	--mem 1G --dtb "$dtb"
conflict "--preset arm-vexpress conflicts with --machine m.conf: give one machine" \
	--machine m.conf --preset arm-vexpress
conflict "--dtb $dtb conflicts with --e820 e.txt: a machine boots from a device tree or from E820, not both" \
	--e820 e.txt --dtb "$dtb"
conflict "--e820 e.txt conflicts with --preset riscv-virt-1g: that is a riscv64 machine" \
	--preset riscv-virt-1g --e820 e.txt
conflict "--arch arm conflicts with --e820 e.txt: only x86_64 boots from E820 and SRAT" \
	--e820 e.txt --arch arm
conflict "--srat s.bin conflicts with --dtb $dtb: SRAT is x86 firmware" --dtb "$dtb" --srat s.bin
conflict "--preset given twice ('riscv-virt-1g', 'arm-vexpress')" \
	--preset riscv-virt-1g --preset arm-vexpress
conflict "no machine: give --preset, --machine, --arch with --mem, --dtb or --e820" --arch arm64
conflict "a second --cmdline needs --diff" --preset riscv-virt-1g --cmdline a --cmdline b
# The usage text names every option.
"$exe" boot --help > "$tmp.out"
for o in preset machine arch mem dtb e820 srat cmdline kernel-size initrd dtb-at cpus set \
	fault faults show raw view json quiet diff list help html svg; do
	grep -q -- "--$o\b" "$tmp.out" || fail "--help does not list --$o"
done

rm -f "$tmp.out" "$tmp.want"
[ $status -eq 0 ] && echo "ok: memblock boot CLI"
exit $status
