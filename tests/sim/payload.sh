#!/bin/sh
# `memblock boot --payload`: the early boot of the metal/ payloads over
# simulated RAM must print, line for line, what the payloads printed on
# QEMU (logs and firmware recorded by make check-metal, tests/data/metal),
# and bad firmware must fail with one message.
# usage: payload.sh MEMBLOCK_EXE DATA_DIR
set -u
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # the runs below cd
data=$2
tmp=${TMPDIR:-/tmp}/sim-payload-$$
status=0
. "$(dirname "$0")/lib.sh"

for dir in "$data"/*/; do
	name=$(basename "$dir")
	# shellcheck disable=SC2046
	(cd "$dir" && "$exe" boot --payload --raw $(cat args)) >"$tmp.out" 2>&1 ||
		fail "$name: exit status $?: $(head -3 "$tmp.out")"
	cmp -s "$dir/payload.log" "$tmp.out" ||
		fail "$name: differs from the payload: $(diff "$dir/payload.log" "$tmp.out" | head -8)"
done

# The image placement is part of the prediction: one page more changes the dump.
dir=$data/riscv64-1g
# shellcheck disable=SC2046
(cd "$dir" && "$exe" boot --payload --raw $(sed 's/--image 0x80200000:0x495e0/--image 0x80200000:0x4a5e0/' args)) \
	>"$tmp.out" 2>&1
grep -Fqx ' reserved[0x1]	[0x0000000080200000-0x000000008024afff], 0x000000000004b000 bytes on node 0 flags: 0x0' \
	"$tmp.out" || fail "--image size not applied: $(grep -F 'reserved[0x1]' "$tmp.out" | head -1)"

# Firmware that cannot be used: exit 1, one message, nothing booted.
"$exe" boot --payload --arch riscv64 >"$tmp.out" 2>&1
[ $? -eq 1 ] || fail "--payload without --dtb should exit 1"
has "$tmp.out" "memblock boot: --payload on riscv64 needs --dtb"
printf 'not a device tree' >"$tmp.bad"
"$exe" boot --payload --arch arm64 --dtb "$tmp.bad" >"$tmp.out" 2>&1
[ $? -eq 1 ] || fail "a bad DTB should exit 1"
grep -q 'memblock_add' "$tmp.out" && fail "a bad DTB must not boot: $(head -3 "$tmp.out")"
"$exe" boot --payload --arch x86_64 --e820 "$tmp.bad" >"$tmp.out" 2>&1
[ $? -eq 1 ] || fail "a bad E820 map should exit 1"

rm -f "$tmp.out" "$tmp.bad"
exit $status
