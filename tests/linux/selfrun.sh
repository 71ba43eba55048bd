#!/bin/sh
# Runs a few generated op scripts through our side of the differential
# harness: each must run to its last operation (no crash, no parse error).
# usage: selfrun.sh KH_GEN KH_OURS [SEED]
set -eu
gen=$1
ours=$2
seed=${3:-${KH_SEED:-7}}
n=0
for numa in numa flat; do
	for dir in td bu; do
		for mode in low high; do
			n=$((n + 1))
			s=$((seed * 100 + n))
			"$gen" "$s" 300 "$numa" "$dir" "$mode" > "${TMPDIR:-/tmp}/kh-self.$$"
			if ! "$ours" < "${TMPDIR:-/tmp}/kh-self.$$" > /dev/null; then
				echo "selfrun: kh-ours failed on: kh-gen $s 300 $numa $dir $mode"
				rm -f "${TMPDIR:-/tmp}/kh-self.$$"
				exit 1
			fi
		done
	done
done
rm -f "${TMPDIR:-/tmp}/kh-self.$$"
echo "selfrun: $n scripts ran (seed $seed)"
