#!/bin/sh
# index.sh - the region index changes nothing a user sees: the golden
# scripts, a script that builds thousands of regions, boots, memtests,
# replays, analyses and a diff, each run with --index=on, --index=off and
# the default (auto), must print the same bytes and exit the same way.
#
# usage: index.sh MEMBLOCK SOURCE_ROOT
set -u
bin=$1 top=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0 runs=0
# INDEX_SAME_MODES narrows the modes compared (default: on off auto).
modes=${INDEX_SAME_MODES:-on off auto}
first=${modes%% *}

# same NAME CMD [ARGS...]: CMD ARGS with the mode inserted after CMD.
same() {
	name=$1 cmd=$2
	shift 2
	for mode in $modes; do
		(cd "$top/tests/cli" && "$bin" "$cmd" --index="$mode" "$@") \
			>"$tmp/$mode.out" 2>"$tmp/$mode.raw" </dev/null
		echo "exit $?" >>"$tmp/$mode.raw"
		# Progress reports come after a second or two: timing, not output.
		grep -v -e 'Ctrl-C stops)$' -e ': replayed [0-9]* of [0-9]* bytes' \
			"$tmp/$mode.raw" >"$tmp/$mode.err"
	done
	for mode in $modes; do
		if ! cmp -s "$tmp/$first.out" "$tmp/$mode.out" ||
			! cmp -s "$tmp/$first.err" "$tmp/$mode.err"; then
			echo "FAIL: $name: --index=$first and --index=$mode differ"
			diff -u "$tmp/$first.out" "$tmp/$mode.out" | head -n 20
			diff -u "$tmp/$first.err" "$tmp/$mode.err" | head -n 10
			status=1
		fi
	done
	[ -s "$tmp/$first.out" ] || { echo "FAIL: $name printed nothing"; status=1; }
	runs=$((runs + 1))
}

views="--show dump --show debugfs:memory --show debugfs:reserved --show iomem --show free
	--show summary"
for f in "$top"/tests/cli/*.mb "$top"/tests/cli/findings/*.mb "$top"/examples/*.mb; do
	# shellcheck disable=SC2086
	same "run $(basename "$f")" run --debug -v -k $views "$f"
	same "run --json $(basename "$f")" run -k --json "$f"
done
same "run --show debugfs:physmem" run --show debugfs:physmem views.mb

# Thousands of regions: reservations in a scrambled order, frees, allocations
# that must search below all of them; auto switches to the index at 1,024.
awk 'BEGIN {
	base = 1207959552; stride = 32768 # 0x48000000, 0x8000 (awk has no hex)
	print "set numa on"; print "add 0x40000000 0x40000000 nid=0";
	print "add 0x80000000 0x40000000 nid=1"; print "allow_resize";
	for (i = 0; i < 3000; i++) { j = (i * 1237) % 3000;
		printf "reserve 0x%x 0x1000\n", base + j * stride }
	for (i = 0; i < 1000; i++) { j = (i * 2111) % 3000;
		printf "phys_free 0x%x 0x1000\n", base + j * stride }
	for (i = 0; i < 200; i++) print "phys_alloc 0x6000 0x1000";
	print "set_node 0x80000000 0x10000000 reserved 1";
	print "mark_mirror 0x40000000 0x8000000";
	print "alloc_try_nid 0x2000 0x40 0 max 1" }' >"$tmp/many.mb"
# shellcheck disable=SC2086
same "run many.mb (3,000 regions)" run -k $views "$tmp/many.mb"

for p in riscv-virt-1g x86_64-numa-4g debian-6.12-arm64; do
	same "boot --preset $p" boot --preset "$p" --view summary --view debugfs-reserved
done
same "boot --diff" boot --preset x86_64-numa-4g --diff --cmdline crashkernel=256M
same "memtest --preset" memtest --preset riscv-virt-1g --passes 1 --fault 0x90000000:3:stuck1
same "memtest --mem" memtest --mem 0x80000000:64M --reserve 0x80100000:1M --passes 1

for log in "$top"/tests/data/realboot/6.12-pc-4g-2n.log "$top"/tests/data/realboot/6.1-virt-4g-4n.log \
	"$top"/tests/data/trace/seed000_riscv.log "$top"/tests/data/logs/13_mips64_ip27_numa4_5.3.log; do
	same "replay $(basename "$log")" replay "$log"
	same "analyze $(basename "$log")" analyze --json "$log"
done
same "diff" diff "$top"/tests/data/realboot/6.12-pc-4g.log "$top"/tests/data/realboot/6.12-pc-4g-2n.log

# A mode that does not exist: one message, exit 2, nothing run.
for cmd in run shell memtest boot replay analyze diff; do
	case $cmd in
	boot) args="--preset riscv-virt-1g" ;;
	diff) args="a.log b.log" ;;
	*) args=views.mb ;;
	esac
	# shellcheck disable=SC2086
	(cd "$top/tests/cli" && "$bin" "$cmd" --index=fast $args) >"$tmp/bad.out" 2>"$tmp/bad.err" </dev/null
	rc=$?
	if [ $rc != 2 ] || [ -s "$tmp/bad.out" ] ||
		! grep -q -- "--index.*'fast'" "$tmp/bad.err"; then
		echo "FAIL: $cmd --index=fast: exit $rc, $(head -n 1 "$tmp/bad.err")"
		status=1
	fi
done

[ $status = 0 ] && echo "ok: $runs commands print the same with --index= each of: $modes"
exit $status
