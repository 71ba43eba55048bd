#!/bin/sh
# man.sh - every option a command's --help lists is documented in its
# section of memblock(1), and every option documented there is in --help.
# The page is the one meson builds from docs/man/memblock.1.scd.
#
# Every operation the script language has is in memblock-script(5).
#
# usage: man.sh MEMBLOCK_EXE MEMBLOCK_1 MEMBLOCK_SCRIPT_5
set -u
exe=$1 page=$2 page5=$3
status=0

# Long options in bold (\fB--opt\fR) in section ".SS CMD" of the page.
man_opts() {
	awk -v cmd="$1" '
		/^\.SS / { in_cmd = ($2 == cmd); next }
		/^\.SH / { in_cmd = 0 }
		in_cmd { print }' "$page" |
		grep -o '\\fB--[a-z][a-z0-9-]*' | sed 's/^\\fB//' | sort -u
}

help_opts() {
	"$exe" "$1" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

for cmd in run shell memtest boot replay analyze diff; do
	help_opts "$cmd" > "$page.$cmd.help"
	man_opts "$cmd" > "$page.$cmd.man"
	[ -s "$page.$cmd.help" ] || { echo "FAIL: $cmd --help lists no option"; status=1; }
	for o in $(comm -23 "$page.$cmd.help" "$page.$cmd.man"); do
		echo "FAIL: memblock $cmd --help has $o, memblock(1) does not"
		status=1
	done
	for o in $(comm -13 "$page.$cmd.help" "$page.$cmd.man"); do
		echo "FAIL: memblock(1) documents $o for $cmd, its --help does not"
		status=1
	done
	rm -f "$page.$cmd.help" "$page.$cmd.man"
done
# memblock's own options and every command appear in the page.
for w in --version --help run shell memtest boot replay analyze diff help; do
	grep -q -- "$w" "$page" || { echo "FAIL: memblock(1) lacks $w"; status=1; }
done
for op in $(echo help | "$exe" shell 2>/dev/null | sed -n 's/^  \([a-z_A-Z]*\) .*/\1/p'); do
	grep -q -- "$op" "$page5" || { echo "FAIL: memblock-script(5) lacks $op"; status=1; }
done
[ $status = 0 ] && echo "ok: --help and memblock(1) list the same options"
exit $status
