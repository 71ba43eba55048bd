#!/bin/sh
# json.sh - every command's --json output is one JSON document on stdout,
# valid against docs/memblock.schema.json, whose "exit" is the exit status.
#
# usage: json.sh MEMBLOCK SOURCE_ROOT
set -u
exe=$1 root=$2
schema=$root/docs/memblock.schema.json
logs=$root/tests/data/logs
tmp=${TMPDIR:-/tmp}/cli-json-$$
status=0
trap 'rm -f "$tmp".*' EXIT

n=0
check() {
	n=$((n + 1))
	printf '%s\n' "$1" > "$tmp.$n.name"
	shift
	"$exe" "$@" > "$tmp.$n.out" 2> /dev/null </dev/null
	echo $? > "$tmp.$n.rc"
}

check run run --json "$root/examples/api_tour.mb"
check run-debug run --json --debug "$root/examples/riscv_virt.mb"
check run-show-json run --show json "$root/examples/mirror.mb"
check boot boot --preset arm64-virt --json
check boot-custom boot --arch arm64 --mem 0x40000000:2G --json
check boot-view-json boot --preset riscv-virt-1g --view boot-json
check boot-diff boot --preset riscv-virt-1g --diff --cmdline crashkernel=256M --json
check boot-diff-x86 boot --preset x86_64-numa-4g --diff --cmdline "hugepagesz=1G hugepages=1" --json
check memtest-preset memtest --preset riscv-virt-1g --passes 2 --fault 0x90000010:3:stuck1 --json
check memtest-mem memtest --mem 0x12000000:16M --passes 2 --fault 0x12345670:5:stuck0 --x86 --json
for log in "$logs"/*.log; do
	l=$(basename "$log" .log)
	check "replay-$l" replay --json "$log"
	check "analyze-$l" analyze --json "$log"
done
check diff diff --json "$logs/13_mips64_ip27_numa4_5.3.log" "$logs/11_mips32_rbtx4927_5.2-rc1_diff.log"
check replay-missing replay --json "$root/tests/data/logs/no-such.log"
check boot-fatal boot --arch riscv64 --mem 0x80000000:16M --kernel-size 4M --json
check diff-same diff --json "$logs/08_riscv64_uefi_5.8-rc4_wrapped_doublespaced.log" \
	"$logs/08_riscv64_uefi_5.8-rc4_wrapped_doublespaced.log"

# One validator run for every document (jsonschema is slow to import).
python3 - "$schema" "$tmp" "$n" <<'PY' || status=1
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
prefix, count, bad = sys.argv[2], int(sys.argv[3]), 0
for i in range(1, count + 1):
    name = open(f"{prefix}.{i}.name").read().strip()
    rc = int(open(f"{prefix}.{i}.rc").read())
    text = open(f"{prefix}.{i}.out").read()
    try:
        doc = json.loads(text)  # the whole of stdout: one document, nothing else
        jsonschema.validate(doc, schema)
        if doc["exit"] != rc:
            raise ValueError(f"document says exit {doc['exit']}, the process exited {rc}")
    except (ValueError, jsonschema.ValidationError) as e:
        print(f"FAIL {name}: {getattr(e, 'message', e)}: {text[:120]!r}")
        bad += 1
print(f"{count - bad} of {count} documents valid")
sys.exit(1 if bad else 0)
PY

# Text views cannot share stdout with the document: refused, nothing on stdout.
"$exe" boot --preset arm64-virt --json --view dump > "$tmp.out" 2>/dev/null
[ $? = 2 ] && [ ! -s "$tmp.out" ] || { echo "FAIL boot --json --view dump"; status=1; }
"$exe" run --json --show dump "$root/examples/api_tour.mb" > "$tmp.out" 2>/dev/null
[ $? = 2 ] && [ ! -s "$tmp.out" ] || { echo "FAIL run --json --show dump"; status=1; }

[ $status = 0 ] && echo "ok: every --json document is valid"
exit $status
