#!/bin/sh
# Every preset of `memblock boot` must replay fully verified with
# `memblock replay` (exit 0: all allocations verified, all dumps matched).
# usage: boot_presets.sh MEMBLOCK_EXE PRESETS_DIR
set -u
exe=$1
presets=$2
tmp=${TMPDIR:-/tmp}/trace-boot-$$.log
status=0
count=0
for dir in "$presets"/*; do
	name=$(basename "$dir")
	[ -e "$dir" ] || continue
	count=$((count + 1))
	if ! MEMBLOCK_PRESETS=$presets "$exe" boot --preset "$name" > "$tmp" 2>&1; then
		echo "FAIL: memblock boot --preset $name"
		cat "$tmp"
		status=1
		continue
	fi
	if "$exe" replay "$tmp" > "$tmp.report" 2>&1; then
		echo "ok: $name: $(grep -E 'allocations|dumps matched' "$tmp.report" | tr -s ' ' | tr '\n' ' ')"
	else
		echo "FAIL: replay of the $name boot log"
		cat "$tmp.report"
		status=1
	fi
done
rm -f "$tmp" "$tmp.report"
if [ "$count" -eq 0 ]; then
	echo "no presets in $presets"
	exit 1
fi
exit $status
