#!/bin/sh
# errors.sh - malformed and failing scripts: exit code and exact message.
#
#   errors.sh MEMBLOCK
#
# Each row of errors.tsv is NAME<TAB>RC<TAB>SCRIPT<TAB>STDERR, where SCRIPT
# and STDERR use printf %b escapes (\n, \t). The script is fed on standard
# input, so messages name the file "<stdin>".
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
tab=$(printf '\t')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 count=0
while IFS="$tab" read -r name want_rc script want_err; do
	case $name in '#'*|'') continue ;; esac
	count=$((count + 1))
	printf '%b\n' "$script" >"$tmp/in"
	if [ -n "$want_err" ]; then
		printf '%b\n' "$want_err" >"$tmp/want"
	else
		: >"$tmp/want"
	fi
	"$bin" run - <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want_rc" ] || ! cmp -s "$tmp/want" "$tmp/err"; then
		echo "FAIL $name: exit $rc (want $want_rc)"
		diff -u "$tmp/want" "$tmp/err"
		fails=$((fails + 1))
	fi
done <"$here/errors.tsv"
echo "$count cases, $fails failed"
[ "$fails" = 0 ] && [ "$count" -gt 0 ]
