#!/bin/sh
# Every command line option the simulator knows takes effect, or the boot
# says it does not: the kernel's "Unknown kernel command line parameters"
# line for an option the architecture lacks, a "not simulated" warning on
# stderr for one the simulator does not model. Option order does not
# matter. memtest's suggestion fits the architecture and, applied with
# boot --diff, shows the bad page reserved.
#
# usage: params.sh MEMBLOCK_EXE   (MEMBLOCK_PRESETS names the preset directory)
set -u
exe=$1
tmp=${TMPDIR:-/tmp}/sim-params-$$
status=0
. "$(dirname "$0")/lib.sh"
trap 'rm -f "$tmp".*' EXIT

# cma= from the command line, on every architecture with CMA
for p in arm64-virt riscv-virt-1g x86_64-numa-4g; do
	"$exe" boot --preset $p --raw --show kernel --cmdline cma=64M > "$tmp.out" 2>&1 ||
		fail "$p cma=64M"
	grep -q '^cma: Reserved 64 MiB at ' "$tmp.out" || fail "$p: cma=64M ignored: $(grep cma "$tmp.out")"
done

# option order: --set and --cmdline before --arch still count
"$exe" boot --set cma=48M --arch arm64 --mem 0x40000000:2G --raw --show kernel > "$tmp.out" 2>&1
has "$tmp.out" 'cma: Reserved 48 MiB at 0x00000000bae00000 on node -1'
"$exe" boot --cmdline cma=16M --mem 0x40000000:2G --arch arm64 --raw --show kernel > "$tmp.out" 2>&1
has "$tmp.out" 'cma: Reserved 16 MiB at 0x00000000bce00000 on node -1'

# an option the architecture lacks: the kernel's own line
"$exe" boot --preset arm64-virt --raw --show kernel --cmdline 'memmap=4K$0x90000000' > "$tmp.out" 2>&1
has "$tmp.out" 'Unknown kernel command line parameters "memmap=4K$0x90000000", will be passed to user space.'
"$exe" boot --preset arm-vexpress --raw --show kernel --cmdline 'numa=off' > "$tmp.out" 2>&1
has "$tmp.out" 'Unknown kernel command line parameters "numa=off", will be passed to user space.'

# an option the simulator does not model: said on stderr, never dropped silently
"$exe" boot --preset x86_64-numa-4g --quiet --cmdline 'movable_node kernelcore=mirror' \
	> /dev/null 2> "$tmp.err"
has "$tmp.err" 'memblock boot: not simulated, the boot ignores: movable_node kernelcore=mirror'
"$exe" boot --preset arm64-virt --quiet --cmdline 'cma=64M@0x50000000' > /dev/null 2> "$tmp.err"
has "$tmp.err" 'memblock boot: not simulated, the boot ignores: cma=64M@0x50000000'
"$exe" boot --preset arm-vexpress --quiet --cmdline 'mem=64M' > /dev/null 2> "$tmp.err"
has "$tmp.err" 'memblock boot: not simulated, the boot ignores: mem=64M'

# memtest's suggestion per architecture, applied with boot --diff
"$exe" memtest --preset riscv-virt-1g --passes 2 --fault 0x90000010:3:stuck1 --no-dump \
	> "$tmp.mt" 2>&1 || fail "riscv memtest"
grep -q '^kernel command line:' "$tmp.mt" && fail "riscv64 was offered memmap="
has "$tmp.mt" '  /memreserve/ 0x90000000 0x1000;' \
	'		reg = <0x0 0x90000000 0x0 0x1000>;'
whatif=$(sed -n 's/^what-if: memblock //p' "$tmp.mt")
# shellcheck disable=SC2086
"$exe" $whatif > "$tmp.out" 2>&1 || fail "riscv what-if: $whatif"
has "$tmp.out" '  + 4.0 KiB    early_init_fdt_scan_reserved_mem     [0x90000000-0x90000fff] (line 5)'

"$exe" memtest --preset arm64-virt --passes 2 --fault 0x90000010:3:stuck1 --no-dump \
	> "$tmp.mt" 2>&1 || fail "arm64 memtest"
whatif=$(sed -n 's/^what-if: memblock //p' "$tmp.mt")
# shellcheck disable=SC2086
"$exe" $whatif > "$tmp.out" 2>&1 || fail "arm64 what-if: $whatif"
grep -q '^  + 4.0 KiB    early_init_fdt_scan_reserved_mem     \[0x90000000-0x90000fff\]' "$tmp.out" ||
	fail "arm64 what-if: $(head -8 "$tmp.out")"

"$exe" memtest --preset x86_64-numa-4g --passes 2 --fault 0x64000010:3:stuck1 --no-dump \
	> "$tmp.mt" 2>&1 || fail "x86 memtest"
has "$tmp.mt" 'kernel command line: memmap=4K$0x64000000'
grep -q '/memreserve/' "$tmp.mt" && fail "x86 was offered a .dts snippet"
"$exe" boot --preset x86_64-numa-4g --diff --cmdline 'memmap=4K$0x64000000' > "$tmp.out" 2>&1
has "$tmp.out" '  + memory [0x64001000-0x7fffffff] 0x1bfff000 bytes'

# a fault outside the machine's memory is refused
"$exe" memtest --mem 0x12000000:16M --fault 0x52345670:5:stuck0 > /dev/null 2> "$tmp.err"
[ $? = 2 ] || fail "fault outside RAM accepted"
has "$tmp.err" "memblock memtest: fault 1 at 0x52345670 is outside the machine's memory"

# crashkernel and CMA on arm64: two owners, the answer first
"$exe" boot --preset arm64-virt --diff --cmdline "crashkernel=256M cma=64M" > "$tmp.out" 2>&1
has "$tmp.out" \
	'reserved: B reserves 288.0 MiB more (0x12000032 bytes) than A (0x678b1e4 -> 0x1878b216); added 256.0 MiB, removed 0 B, resized +32.0 MiB' \
	'  + 256.0 MiB  reserve_crashkernel_generic          [0xa9e00000-0xb9dfffff] (line 42)' \
	'  ~ resized    cma: Reserved                        [0xbbe00000-0xbddfffff] -> [0xb9e00000-0xbddfffff] (+32.0 MiB)'
[ "$(sed -n 3p "$tmp.out" | cut -c1-9)" = "reserved:" ] || fail "the diff does not lead with the answer"

# boots a real kernel would not survive: exit 1, the panic line, and why
"$exe" boot --arch riscv64 --mem 0x80000000:64M --kernel-size 8M --cmdline "cma=0" --set cpus=1 \
	--raw --show kernel > "$tmp.out" 2> "$tmp.err" || fail "a 64M riscv64 boot should survive"
"$exe" boot --arch riscv64 --mem 0x80000000:48M --kernel-size 60M --quiet > /dev/null 2> "$tmp.err"
[ $? = 1 ] || fail "a kernel larger than RAM booted"
has "$tmp.err" \
	'memblock boot: failed: kernel image [0x80200000-0x83dfffff] (61440 KiB) does not fit in the RAM it is loaded to: no kernel boots here' \
	'memblock boot: a real kernel does not survive this boot (kernel); the simulation carried on past that point to show the rest'
"$exe" boot --arch riscv64 --mem 0x80000000:16M --kernel-size 4M --raw --show kernel > "$tmp.out" 2> "$tmp.err"
[ $? = 1 ] || fail "a 16M riscv64 boot whose memblocks_present fails exited 0"
has "$tmp.out" 'Kernel panic - not syncing: memblocks_present: Failed to allocate 16777216 bytes align=0x40'
grep -q '^memblock boot:   why: ' "$tmp.err" || fail "no reason for the failed allocation: $(cat "$tmp.err")"
grep -q 'a real kernel does not survive this boot (memblocks_present)' "$tmp.err" ||
	fail "the fatal failure is not named: $(cat "$tmp.err")"

[ $status -eq 0 ] && echo "ok: every option takes effect or is refused"
exit $status
