#!/bin/sh
# SPDX-License-Identifier: MIT
# src/memtest must stay freestanding: compile it alone with no C library
# and check that it needs nothing but the core (mb_* and its internal mbi_*), its own files and
# the four functions a freestanding compiler may emit.
# usage: freestanding.sh CC SRCDIR
set -eu
CC=${1:-cc}
SRC=${2:-.}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for f in "$SRC"/src/memtest/*.c; do
	"$CC" -std=c11 -ffreestanding -nostdlib -fno-builtin -O2 -Wall -Wextra -Werror \
		-I"$SRC/include" -c "$f" -o "$TMP/$(basename "$f").o"
done
# Standard headers other than the four allowed ones are a bug too.
if grep -n '#include <' "$SRC"/src/memtest/*.c "$SRC"/src/memtest/*.h \
	"$SRC"/include/memblock/memtest.h |
	grep -v -e '<stddef.h>' -e '<stdint.h>' -e '<stdbool.h>' -e '<limits.h>' \
		-e '<memblock/memblock.h>' -e '<memblock/memtest.h>'; then
	echo "FAIL: src/memtest includes a header outside the freestanding set" >&2
	exit 1
fi
bad=$(nm -u "$TMP"/*.o | awk 'NF == 2 { print $2 }' |
	grep -v -e '^mb_' -e '^mbi_' -e '^memcpy$' -e '^memmove$' -e '^memset$' \
		-e '^memcmp$' | sort -u || true)
if [ -n "$bad" ]; then
	echo "FAIL: src/memtest needs symbols from outside: $bad" >&2
	exit 1
fi
echo "src/memtest is freestanding: $(ls "$TMP" | wc -l) objects checked"
