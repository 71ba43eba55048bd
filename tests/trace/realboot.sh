#!/bin/sh
# Real Debian 6.1 / 6.12 boot logs (tests/data/realboot, captured by
# scripts/realboot-capture) replay VERIFIED WITH INFERENCES, each with the
# kernel behaviour it inferred; mutated copies show that a real
# disagreement still diverges and that hotplug / clear-hotplug / nomap
# inferences happen only where the kernel makes them.
# usage: realboot.sh MEMBLOCK_EXE DATA_DIR
set -u
exe=$1
data=$2
tmp=${TMPDIR:-/tmp}/trace-realboot-$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
status=0

. "$(dirname "$0")/../sim/lib.sh"

# expect LOG EXIT VERDICT [TEXT...]: exit status, first line, and each TEXT
# somewhere in the report.
expect() {
	log=$1 want_rc=$2 want=$3
	shift 3
	"$exe" replay "$log" >"$tmp/out" 2>&1
	rc=$?
	[ "$rc" -eq "$want_rc" ] || fail "$log: exit $rc, want $want_rc"
	got=$(sed -n '1s/^replay of [^:]*: //p' "$tmp/out")
	[ "$got" = "$want" ] || fail "$log: verdict '$got', want '$want'"
	for text in "$@"; do
		grep -qF -- "$text" "$tmp/out" || fail "$log: no '$text' in the report"
	done
	[ $status -eq 0 ] && echo "ok: $(basename "$log"): $got" || cat "$tmp/out"
}

W="VERIFIED WITH INFERENCES"
expect "$data/6.1-pc-4g-2n.log" 0 "$W" "allocations      61 verified of 61" \
	"line 87: x86 NUMA init (SRAT): set_node on memory and reserved: [0x0-0x7fffffff] node 0, [0x80000000-0x13fffffff] node 1"
expect "$data/6.1-pc-4g.log" 0 "$W" \
	"line 79: x86 dummy NUMA (no SRAT): set_node on memory and reserved: [0x0-0x13fffffff] node 0"
expect "$data/6.12-pc-4g-2n.log" 0 "$W" "dumps matched    2 of 2" \
	"line 90: x86 NUMA init (SRAT), numa_memblks (6.12+) from the start of RAM: set_node on memory and reserved: [0x1000-0x7fffffff] node 0, [0x80000000-0x13fffffff] node 1"
expect "$data/6.12-pc-4g.log" 0 "$W" \
	"x86 dummy NUMA (no SRAT), numa_memblks (6.12+) from the start of RAM: set_node on memory and reserved: [0x1000-0x13fffffff] node 0"
expect "$data/6.12-pc-2g-2n-hotplug.log" 0 "$W" \
	"[0x1000-0x3fffffff] node 0, [0x40000000-0x7ffdffff] node 1"
expect "$data/6.12-pc-4g-2n-crash.log" 0 "$W" "dumps matched    2 of 2"
expect "$data/6.12-pc-4g-2n-mem2g.log" 0 "$W" "reserved: [0x1000-0x7fffffff] node 0"
expect "$data/6.12-virt-2g.log" 0 "$W" \
	"line 2045: dummy NUMA (no NUMA in the DT), numa_memblks (6.12+) from the start of RAM: set_node on memory and reserved: [0x40000000-0xbfffffff] node 0"

# arm64's memblock_remove(base, ULLONG_MAX) lines are real, not malformed.
"$exe" replay "$data/6.12-virt-2g.log" | grep -q malformed && fail "6.12-virt-2g: malformed lines"

# A node the kernel did not give: DIVERGED at that dump line.
sed '108s/on node 1 flags/on node 0 flags/' "$data/6.12-pc-4g-2n.log" >"$tmp/node.log"
expect "$tmp/node.log" 1 DIVERGED \
	"dump at line 94 differs: line 108: reserved[0x6]: log [0x13fffd000-0x13fffffff] flags 0x0 (node differs)"

# Without the "Linux version" line the NUMA rules are found from the dumps.
grep -v 'Linux version' "$data/6.1-pc-4g-2n.log" >"$tmp/nover61.log"
expect "$tmp/nover61.log" 0 "$W" "the NUMA init of Linux before 6.12 explains the dumps"
grep -v 'Linux version' "$data/6.12-pc-4g-2n.log" >"$tmp/nover612.log"
expect "$tmp/nover612.log" 0 "$W" "[0x1000-0x7fffffff] node 0"

# Hot-pluggable SRAT range over node 1's RAM: marked; node 1 holds no
# reservation, so the flag stays and the dump shows it.
sed -e '76s/$/ hotplug/' -e '88s/flags: 0x0/flags: 0x1/' \
	"$data/6.12-pc-2g-2n-hotplug.log" >"$tmp/hotplug.log"
expect "$tmp/hotplug.log" 0 "$W" "memblock_mark_hotplug [0x40000000-0x7fffffff]"
# ... the dump without the flag is a real disagreement.
sed -e '76s/$/ hotplug/' "$data/6.12-pc-2g-2n-hotplug.log" >"$tmp/hotplug-no.log"
expect "$tmp/hotplug-no.log" 1 DIVERGED "memory[0x2]"
# Node 0 holds the kernel: clear-hotplug takes the flag away again.
sed -e '75s/$/ hotplug/' "$data/6.12-pc-2g-2n-hotplug.log" >"$tmp/clear.log"
expect "$tmp/clear.log" 0 "$W" "clear-hotplug: hotplug flag cleared on 1 memory regions"

# A NOMAP flag that only the dump shows (memblock_mark_nomap is untraced).
sed '88s/flags: 0x0/flags: 0x4/' "$data/6.12-pc-4g.log" >"$tmp/nomap.log"
expect "$tmp/nomap.log" 0 "$W" "line 85: memory flags taken from this dump (NOMAP )"

# JSON carries the inferences.
"$exe" replay --json "$data/6.12-pc-4g-2n.log" >"$tmp/json" 2>&1
grep -q '"verdict":"VERIFIED WITH INFERENCES"' "$tmp/json" &&
	grep -q '"inferences":1,' "$tmp/json" && grep -q '"inferred":\["line 90: x86 NUMA' "$tmp/json" ||
	fail "json: $(head -c 300 "$tmp/json")"
exit $status
