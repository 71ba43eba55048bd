#!/bin/sh
# real_logs.sh - the seven mailing-list logs of tests/data/logs: the replay
# verdict and exit status, and analyze's totals and first owners, pinned.
# Reserved bytes counted inside memory never exceed memory; what lies
# outside is reported apart. A failure line without a panic prefix counts.
#
# usage: real_logs.sh MEMBLOCK_EXE SOURCE_ROOT
set -u
exe=$1 root=$2
logs=$root/tests/data/logs
tmp=${TMPDIR:-/tmp}/trace-real-$$
status=0
trap 'rm -f "$tmp".*' EXIT

. "$(dirname "$0")/../sim/lib.sh"

# log, replay exit status, verdict, then whole lines of `memblock analyze`
check() {
	log=$logs/$1 rc=$2 verdict=$3
	shift 3
	"$exe" replay "$log" > "$tmp.replay" 2>&1
	got=$?
	[ "$got" = "$rc" ] || fail "$1: replay exit $got, want $rc"
	has "$tmp.replay" "replay of $log: $verdict"
	"$exe" analyze "$log" > "$tmp.an" 2>&1 || fail "$1: analyze exit $?"
	has "$tmp.an" "$@"
	mem=$(sed -n 's/^memory    \(0x[0-9a-f]*\) .*/\1/p' "$tmp.an")
	res=$(sed -n 's/^reserved  \(0x[0-9a-f]*\) .*/\1/p' "$tmp.an")
	[ $((res)) -le $((mem)) ] || fail "$1: reserved $res exceeds memory $mem"
}

check 04_arm32_lpae_rpi2_5.2.1_early_alloc_panic.log 1 DIVERGED \
	'memory    0x3e000000 (992.0 MiB) in 10 regions' \
	'reserved  0x19ff2c5 (26.0 MiB) of that memory, in 5 regions' \
	'  arm_memblock_init                                 0x19f2cf0   25.9 MiB      1' \
	'early allocation failures: 1'
check 08_riscv64_uefi_5.8-rc4_wrapped_doublespaced.log 0 'VERIFIED WITH INFERENCES' \
	'memory    0x3fe00000 (1022.0 MiB) in 11 regions' \
	'reserved  0x10c5010 (16.8 MiB) of that memory, in 5 regions' \
	'          plus 0x40000 (256.0 KiB) reserved outside memory (not counted: see below)' \
	'  setup_bootmem                                     0x10bf000   16.7 MiB      1' \
	'  efi_init                                             0x1000    4.0 KiB      1' \
	'reserved again by a later line, by owner (counted once, above)' \
	'  early_init_dt_reserve_memory_arch                    0x18f8    6.2 KiB      1'
grep -q 'untraced' "$tmp.an" && fail "08: traced reservations filed as untraced"
check 10_riscv64_dtb-underflow_5.3_dump-only.log 0 VERIFIED \
	'reserved  0xa2dfec (10.2 MiB) of that memory, in 2 regions' \
	'          plus 0x528 (1.3 KiB) reserved outside memory (not counted: see below)'
check 11_mips32_rbtx4927_5.2-rc1_diff.log 0 VERIFIED \
	'memory    0x8000000 (128.0 MiB) in 1 regions' \
	'reserved  0x4d8739 (4.8 MiB) of that memory, in 16 regions' \
	'  setup_arch                                         0x3b77e8    3.7 MiB      2'
check 13_mips64_ip27_numa4_5.3.log 0 VERIFIED \
	'memory    0xb0000000 (2.8 GiB) in 28 regions' \
	'reserved  0x4dc333a (77.8 MiB) of that memory, in 27 regions' \
	'  sparse_init_nid                                   0x370b360   55.0 MiB      8'
check 14_mips64_loongson3_5.17-rc3_mem-hang_indented.log 1 DIVERGED \
	'reserved  0x2041 (8.1 KiB) of that memory, in 3 regions' \
	'          plus 0xb495 (45.1 KiB) reserved outside memory (not counted: see below)'
check 15_powerpc32_p2020_mpc85xx_6.0-rc2.log 0 'VERIFIED WITH INFERENCES' \
	'memory    0xbe500000 (3.0 GiB) in 3 regions' \
	'reserved  0x909e552a (2.3 GiB) of that memory, in 12 regions' \
	'          plus 0x41200000 (1.0 GiB) reserved outside memory (not counted: see below)' \
	'  free_area_init                                    0x23ee000   35.9 MiB      1'

# profile from the version line
"$exe" replay "$logs/04_arm32_lpae_rpi2_5.2.1_early_alloc_panic.log" > "$tmp.out" 2>&1
has "$tmp.out" '  profile          linux-5.4 (Linux version 5.2.1; the line forms alone suggest linux-6.12)'

# a failure line with no panic prefix is a failure, not a malformed line
fl=$root/tests/data/trace/alloc_failure_nopanic.log
"$exe" replay "$fl" > "$tmp.out" 2>&1
has "$tmp.out" '  failed in log    1 (the kernel'"'"'s allocation failed; memblock analyze says why)'
grep -q malformed "$tmp.out" && fail "failure line read as malformed"
"$exe" analyze "$fl" > "$tmp.out" 2>&1
has "$tmp.out" 'early allocation failures: 1' \
	'  line 4: sparse_init 0x1000000 bytes align 0x1000: our allocator fails too (out of memory): largest free range 0x600000 bytes at 0x80200000, limit 0xffffffffffffffff'
"$exe" diff "$fl" "$logs/04_arm32_lpae_rpi2_5.2.1_early_alloc_panic.log" > "$tmp.out" 2>&1
grep -q '^  only in A, line 4: sparse_init 0x1000000 bytes' "$tmp.out" || fail "diff misses A's failure"
grep -q '^  only in B, line 70: early_alloc 0x1000 bytes' "$tmp.out" || fail "diff misses B's failure"

[ $status -eq 0 ] && echo "ok: the real logs' verdicts and totals"
exit $status
