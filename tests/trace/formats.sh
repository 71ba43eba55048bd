#!/bin/sh
# Logs as people capture them: the seed 000 log (dmesg with caller ids)
# rewritten in every capture format must replay exactly as the original
# (same report from its second line on), and an x86 3.x log with labels
# instead of callers must replay verified.
# usage: formats.sh MEMBLOCK_EXE DATA_DIR
set -u
exe=$1
data=$2
tmp=${TMPDIR:-/tmp}/trace-formats-$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
status=0
. "$(dirname "$0")/../sim/lib.sh"

# The messages alone, without "[    0.000000][    T0] ".
sed 's/^\[ *[0-9.]*\]\[ *T0\] //' "$data/seed000_riscv.log" > "$tmp/msgs"
"$exe" replay "$data/seed000_riscv.log" | tail -n +2 > "$tmp/want" || fail "plain log"

# name, awk program printing one captured line for the message $0
while IFS='|' read -r name prog; do
	awk "$prog" "$tmp/msgs" > "$tmp/$name.log"
	"$exe" replay "$tmp/$name.log" > "$tmp/$name.out" 2>&1
	rc=$?
	head -1 "$tmp/$name.out" | grep -q ': VERIFIED$' || fail "$name: $(head -1 "$tmp/$name.out")"
	[ $rc -eq 0 ] || fail "$name: exit $rc"
	tail -n +2 "$tmp/$name.out" | cmp -s - "$tmp/want" ||
		fail "$name: report differs: $(tail -n +2 "$tmp/$name.out" | diff "$tmp/want" - | head -4)"
done <<'FORMATS'
dmesg-T|{ print "[Tue Dec  5 22:32:38 2023] " $0 }
dmesg-iso|{ printf "2023-12-05T22:32:38,%06d+00:00 %s\n", NR, $0 }
dmesg-iso-z|{ printf "2023-12-05T22:32:38.%06dZ %s\n", NR, $0 }
dmesg-r|{ print "<6>[    0.000000] " $0 }
dmesg-x|{ print "kern  :info  : [    0.000000] " $0 }
dmesg-x-T|{ print "kern  :warn  : [Tue Dec  5 22:32:38 2023] " $0 }
journalctl-k|{ print "Dec 05 22:32:38 myhost kernel: " $0 }
journalctl-iso|{ print "2023-12-05T22:32:38+0100 myhost kernel: " $0 }
journalctl-precise|{ print "Dec 05 22:32:38.123456 myhost kernel: " $0 }
journalctl-monotonic|{ print "[    0.000000] myhost kernel: " $0 }
journalctl-full|{ print "Tue 2023-12-05 22:32:38 CET myhost kernel: " $0 }
rsyslog-iso|{ print "2023-12-05T22:32:38.123456+01:00 myhost kernel: [    0.000000] " $0 }
kern.log|{ print "Dec  5 22:32:38 myhost kernel: [    0.000000] " $0 }
kern.log-bare|{ print "Dec  5 22:32:38 myhost kernel: " $0 }
printk-caller|{ print "[    0.000000] [    T0] " $0 }
printk-caller-cpu|{ print "[    0.012345][    C1] " $0 }
serial-ansi|{ printf "%s[    0.000000] %s%s%s\r\r\n", (NR % 3 ? "" : "\033[0m"), (NR % 5 ? "" : "\033[1;33m"), $0, (NR % 5 ? "" : "\033[0m") }
serial-cr|{ printf "\r[    0.000000] %s\r\n", $0 }
serial-overwritten|{ printf "booting...\r[    0.000000] %s\n", $0 }
FORMATS

# x86 3.x: labels instead of callers, %#010llx addresses, reserves outside
# memory and before any memory line.
log=$data/x86_3x_labels.log
"$exe" replay "$log" > "$tmp/x86.out" 2>&1 || fail "x86 3.x log: $(cat "$tmp/x86.out")"
grep -q ': VERIFIED$' "$tmp/x86.out" || fail "x86 3.x: $(head -1 "$tmp/x86.out")"
grep -q '^  phys_addr_t      64-bit$' "$tmp/x86.out" || fail "x86 3.x: not 64-bit"
"$exe" analyze "$log" > "$tmp/x86.an" 2>&1
grep -q '^  TEXT DATA BSS  *0x2c21000 ' "$tmp/x86.an" || fail "x86 3.x: label: $(cat "$tmp/x86.an")"
grep -q '^  \* BIOS reserved  *0x60400 ' "$tmp/x86.an" || fail "x86 3.x: '* BIOS reserved'"

# A log that cannot be replayed says FILE:LINE: and why.
"$exe" replay --phys-bits 32 "$log" > "$tmp/err.out" 2>&1
[ $? -eq 2 ] || fail "--phys-bits 32: exit status"
grep -qx "$log:16: error: cannot rebuild memory region \[0x100000000-0x17fffffff\] of this dump in a 32-bit phys_addr_t: address out of range" \
	"$tmp/err.out" || fail "--phys-bits 32: $(cat "$tmp/err.out")"

[ $status -eq 0 ] && echo "ok: capture formats and x86 3.x labels"
exit $status
