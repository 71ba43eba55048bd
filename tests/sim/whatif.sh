#!/bin/sh
# End-to-end what-if cases of `memblock boot`, each with exact key lines:
#
#   bad RAM:  memblock memtest finds a stuck bit and prints memmap=4K$ADDR;
#             booting x86_64 with it turns that page into an E820 reserved
#             entry, so it never reaches memblock.memory (a hole, not a
#             reservation); riscv64 ignores memmap= (its dump is unchanged)
#   --diff:   crashkernel=, mem=, hugepagesz=1G hugepages=N, memtest with a fault
#
# usage: whatif.sh MEMBLOCK_EXE   (MEMBLOCK_PRESETS names the preset directory)
set -u
exe=$1
tmp=${TMPDIR:-/tmp}/sim-whatif-$$
status=0
. "$(dirname "$0")/lib.sh"

# --- bad RAM: memtest -> memmap= -> boot ------------------------------------
#
#  RAM 0x12000000 +16M          |......X.........|   X = bit 5 of 0x12345670 stuck at 0
#  memtest=2 (pattern ~0 finds it) -> memmap=4K$0x12345000
#  x86 boot:  e820  |usable|R|usable|        memblock.memory  |....| hole |....|
"$exe" memtest --passes 2 --mem 0x12000000:16M --fault 0x12345670:5:stuck0 --no-dump \
	> "$tmp.memtest" 2>&1 || fail "memtest exited $?"
has "$tmp.memtest" \
	'  ffffffffffffffff bad mem addr 0x0000000012345670 - 0x0000000012345678 reserved' \
	'kernel command line: memmap=4K$0x12345000'
frag=$(sed -n 's/^kernel command line: //p' "$tmp.memtest")
[ "$frag" = 'memmap=4K$0x12345000' ] || fail "fragment '$frag'"

"$exe" boot --preset x86_64-numa-4g --raw --show fw,dump --cmdline "$frag" > "$tmp.x86" 2>&1 ||
	fail "x86 boot with $frag"
has "$tmp.x86" \
	'user-defined physical RAM map:' \
	'user: [mem 0x0000000000100000-0x0000000012344fff] usable' \
	'user: [mem 0x0000000012345000-0x0000000012345fff] reserved' \
	'user: [mem 0x0000000012346000-0x00000000bffdffff] usable' \
	' memory[0x1]	[0x0000000000100000-0x0000000012344fff], 0x0000000012245000 bytes on node 0 flags: 0x0' \
	' memory[0x2]	[0x0000000012346000-0x000000007fffffff], 0x000000006dcba000 bytes on node 0 flags: 0x0'
# the bad page is in neither memblock type: no dumped region may touch it
hits=$(awk -F'[][-]' '/^ (memory|reserved)\[/ {
	if ($4 <= "0x0000000012345fff" && $5 >= "0x0000000012345000") print }' "$tmp.x86")
[ -z "$hits" ] || fail "bad page still in memblock: $hits"

"$exe" boot --preset x86_64-numa-4g --diff --cmdline "$frag" > "$tmp.diff" 2>&1 || fail "--diff $frag"
has "$tmp.diff" \
	'  - memory [0x100000-0x7fffffff] 0x7ff00000 bytes' \
	'  + memory [0x100000-0x12344fff] 0x12245000 bytes' \
	'  + memory [0x12346000-0x7fffffff] 0x6dcba000 bytes' \
	'  memory size                  4193787K -> 4193783K (-4K)'

# riscv64 has no memmap=: nothing printed, the dump is the same
"$exe" boot --preset riscv-virt-1g --raw --show dump > "$tmp.rv0" 2>&1
"$exe" boot --preset riscv-virt-1g --raw --show dump --cmdline "$frag" > "$tmp.rv1" 2>&1
cmp -s "$tmp.rv0" "$tmp.rv1" || fail "riscv64 applied memmap=: $(diff "$tmp.rv0" "$tmp.rv1" | head -5)"
"$exe" boot --preset riscv-virt-1g --raw --show fw,kernel --cmdline "$frag" > "$tmp.rv2" 2>&1
# ... but says, as Linux does, that it has no such option
has "$tmp.rv2" "Unknown kernel command line parameters \"$frag\", will be passed to user space."

# --- what-if --diff, one case per kind --------------------------------------
# crashkernel= on x86 (reserve_crashkernel_generic: 16M aligned, below 4G)
"$exe" boot --preset x86_64-numa-4g --diff --cmdline crashkernel=256M > "$tmp.out" 2>&1 ||
	fail "--diff crashkernel"
has "$tmp.out" \
	'reserved: B reserves 256.0 MiB more (0x10000022 bytes) than A (0x670542a -> 0x1670544c); added 256.0 MiB, removed 0 B, resized +34 B' \
	'  + 256.0 MiB  reserve_crashkernel_generic          [0xaf000000-0xbeffffff] (line 71)' \
	'  reserved size                105493K -> 367637K (+262144K)' \
	'  free on node 1               2063724K -> 1801580K (-262144K)'

# mem= on riscv64 (memblock_enforce_memory_limit), two settings compared
"$exe" boot --preset riscv-virt-1g --diff --cmdline mem=512M --cmdline mem=768M > "$tmp.out" 2>&1 ||
	fail "--diff mem="
has "$tmp.out" \
	'  - memory [0x80200000-0xa01fffff] 0x20000000 bytes' \
	'  + memory [0x80200000-0xb01fffff] 0x30000000 bytes' \
	'  memory size                  524288K -> 786432K (+262144K)'

# hugepagesz=1G hugepages=2: two gigantic pages, head page initialised, the rest NOINIT
"$exe" boot --arch x86_64 --mem 0:640K,0x100000:8191M --diff --cmdline "hugepagesz=1G hugepages=2" \
	> "$tmp.out" 2>&1 || fail "--diff hugepages"
has "$tmp.out" \
	'  + 1.0 GiB    __alloc_bootmem_huge_page            [0x180000000-0x1bfffffff] (line 125)' \
	'  + 1.0 GiB    __alloc_bootmem_huge_page            [0x140000000-0x17fffffff] (line 127)' \
	'  free (handed over)           8217616K -> 6120464K (-2097152K)'
# ... and on the seed 003 machine the memmap arrays leave no free 1G block
"$exe" boot --preset x86_64-numa-4g --diff --cmdline "hugepagesz=1G hugepages=1" > "$tmp.out" 2>&1 ||
	fail "--diff hugepages (x86_64-numa-4g)"
has "$tmp.out" \
	'  failed only in B: HugeTLB: allocating 1 of page size 1.00 GiB failed.  Only allocated 0 hugepages.'

# memtest with a fault: only the boot that tests finds and reserves the word
"$exe" boot --preset riscv-virt-1g --diff --cmdline "mem=128M memtest=0" \
	--cmdline "mem=128M memtest=1" --fault 0x84000010:3:stuck1 > "$tmp.out" 2>&1 ||
	fail "--diff memtest"
has "$tmp.out" \
	'  + 8 B        early_memtest                        [0x84000010-0x84000017] (line 19)' \
	'  memtest bad bytes            0 -> 8 (+8)'

rm -f "$tmp".*
[ $status -eq 0 ] && echo "ok: memblock boot what-if cases"
exit $status
