#!/bin/sh
# Build src/core/*.c alone, freestanding, and check that the only
# undefined symbols are the four the compiler may emit on its own.
set -eu
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$root"/src/core/*.c; do
	$cc -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-builtin \
		-I"$root/include" -I"$root/src/core" -c "$f" -o "$tmp/$(basename "$f" .c).o"
	$cc -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-builtin \
		-DMB_PHYS_ADDR_32 -I"$root/include" -I"$root/src/core" -c "$f" \
		-o "$tmp/$(basename "$f" .c).32.o"
done
# One relocatable object per width: what is left undefined is external.
ar rcs "$tmp/libcore.a" $(ls "$tmp"/*.o | grep -v '\.32\.o$')
ar rcs "$tmp/libcore32.a" "$tmp"/*.32.o
$cc -r -nostdlib -o "$tmp/core64.o" -Wl,--whole-archive "$tmp/libcore.a"
$cc -r -nostdlib -o "$tmp/core32.o" -Wl,--whole-archive "$tmp/libcore32.a"
undefined=$(nm -u "$tmp/core64.o" "$tmp/core32.o" | awk 'NF == 2 { print $2 }' | sort -u |
	grep -v -x -e memcpy -e memmove -e memset -e memcmp || true)
if [ -n "$undefined" ]; then
	echo "freestanding core needs: $undefined" >&2
	exit 1
fi
# No headers beyond the four allowed ones.
bad=$(grep -h '^#include <' "$root"/src/core/*.c "$root"/src/core/*.h "$root"/include/memblock/memblock.h |
	grep -v -e '<stddef.h>' -e '<stdint.h>' -e '<stdbool.h>' -e '<limits.h>' -e '<memblock/memblock.h>' -e '<memblock/config.h>' || true)
if [ -n "$bad" ]; then
	echo "forbidden includes: $bad" >&2
	exit 1
fi
echo "freestanding core OK"
