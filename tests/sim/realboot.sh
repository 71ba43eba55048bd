#!/bin/sh
# `memblock boot` with the Debian kernel presets, on the firmware of real
# Debian boots (tests/data/realboot), prints the kernel's last MEMBLOCK
# dump line for line, and its --diff predicts the real crashkernel=256M
# and mem=2G boots.
# usage: realboot.sh MEMBLOCK_EXE SOURCE_ROOT
set -u
exe=$1
top=$2
data=$top/tests/data/realboot
sim=$top/scripts/realboot-sim
status=0
for log in "$data"/*-pc-*.log "$data"/*-virt-*.log; do
	res=$("$sim" "$exe" "$log" 2>&1)
	case $(printf '%s\n' "$res" | tail -1) in
	"identical "*) echo "ok: $(basename "$log"): $(printf '%s\n' "$res" | tail -1)" ;;
	*) echo "FAIL: $(basename "$log")"; printf '%s\n' "$res"; status=1 ;;
	esac
done
for what in crash mem2g; do
	res=$("$sim" "$exe" "$data/6.12-pc-4g-2n-$what.log" --whatif "$data/6.12-pc-4g-2n.log" 2>&1)
	case $(printf '%s\n' "$res" | tail -1) in
	"predicted "*) echo "ok: what-if $what: $(printf '%s\n' "$res" | tail -1)" ;;
	*) echo "FAIL: what-if $what"; printf '%s\n' "$res"; status=1 ;;
	esac
done
exit $status
