#!/bin/sh
# Runs a few generated op scripts through our side of the differential
# harness: each must run to its last operation (no crash, no parse error),
# and print the same bytes with the region index off, on and auto
# (KH_INDEX), one large script (20,000+ regions) included.
# usage: selfrun.sh KH_GEN KH_OURS [SEED]
set -eu
gen=$1
ours=$2
seed=${3:-${KH_SEED:-7}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
run() {
	s=$1
	shift
	"$gen" "$s" "$@" >"$tmp/script"
	for index in off on auto; do
		if ! KH_INDEX=$index "$ours" <"$tmp/script" >"$tmp/$index.out"; then
			echo "selfrun: kh-ours (KH_INDEX=$index) failed on: kh-gen $s $*"
			exit 1
		fi
	done
	for index in on auto; do
		if ! cmp -s "$tmp/off.out" "$tmp/$index.out"; then
			echo "selfrun: KH_INDEX=off and $index differ on: kh-gen $s $*"
			diff "$tmp/off.out" "$tmp/$index.out" | head -n 10 | cut -c1-200
			exit 1
		fi
	done
	n=$((n + 1))
}
for numa in numa flat; do
	for dir in td bu; do
		for mode in low high; do
			run $((seed * 100 + n + 1)) 300 "$numa" "$dir" "$mode"
		done
	done
done
run $((seed * 100 + n + 1)) 8 numa td large
echo "selfrun: $n scripts ran, each the same with the index off, on and auto (seed $seed)"
