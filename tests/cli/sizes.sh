#!/bin/sh
# SPDX-License-Identifier: MIT
# sizes.sh MEMBLOCK SRCDIR - one size grammar in every command: each
# spelling of 1 MiB gives the same result in a script (run), a RAM bank
# (boot --mem), a memory range (memtest --mem), a replay option
# (--current-limit) and a budget (--max-pages); a spelling outside the
# grammar is refused by each with exit status 2.
exe=$1
src=$2
. "$src/tests/sim/lib.sh"
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log="$src/tests/data/logs/10_riscv64_dtb-underflow_5.3_dump-only.log"

"$exe" replay --current-limit 0x100000 "$log" >"$tmp/replay.want" 2>&1

for size in 1M 1m 0x100000 1024K 1024k 04000000 1_048_576 512K+512K 2M-1M 0x80000+0x80000; do
	printf 'add 0x80000000 %s\nexpect memory.size = 0x100000\n' "$size" >"$tmp/s.mb"
	"$exe" run "$tmp/s.mb" >"$tmp/out" 2>&1 || fail "run: $size: $(cat "$tmp/out")"
	"$exe" run --max-pages "$size" "$tmp/s.mb" >"$tmp/out" 2>&1 ||
		fail "run --max-pages $size: $(cat "$tmp/out")"

	"$exe" boot --arch riscv64 --mem "0x80000000:1G,0xc0000000:$size" >"$tmp/out" 2>&1 ||
		fail "boot --mem ...:$size: exit $?"
	has "$tmp/out" "[    0.000000]   node   0: [mem 0x0000000080000000-0x00000000c00fffff]"

	"$exe" memtest --mem "0x80000000:$size" --passes 1 --no-dump >"$tmp/out" 2>&1 ||
		fail "memtest --mem 0x80000000:$size: exit $?"
	has "$tmp/out" "  0x0000000080000000 - 0x0000000080100000 pattern 0000000000000000"

	"$exe" replay --current-limit "$size" "$log" >"$tmp/replay" 2>&1
	cmp -s "$tmp/replay" "$tmp/replay.want" || fail "replay --current-limit $size differs"
done

# Not sizes: a unit after the suffix, a blank, a minus sign, a stray letter.
for bad in 1MB "1 M" -1M 1Q 08; do
	printf 'add 0x80000000 %s\n' "$bad" >"$tmp/s.mb"
	"$exe" run "$tmp/s.mb" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "run accepted '$bad'"
	"$exe" boot --arch riscv64 --mem "0x80000000:$bad" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "boot --mem accepted '$bad'"
	"$exe" memtest --mem "0x80000000:$bad" --no-dump >/dev/null 2>&1
	[ $? -eq 2 ] || fail "memtest --mem accepted '$bad'"
	"$exe" replay --current-limit "$bad" "$log" >/dev/null 2>&1
	[ $? -eq 2 ] || fail "replay --current-limit accepted '$bad'"
	"$exe" memtest --max-pages "$bad" --mem 0:1M --no-dump >/dev/null 2>&1
	[ $? -eq 2 ] || fail "memtest --max-pages accepted '$bad'"
done
exit $status
