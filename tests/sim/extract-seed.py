#!/usr/bin/env python3
# Extract a golden file from a seed article's kernel log: keep lines
# FIRST..LAST (1-based, inclusive) of the seed, drop the printk prefix
# ("[    0.000000][    T0] " or "[    0.000000] "), drop the lines whose
# numbers are listed after --skip (lines the simulator does not model:
# SBI probing, CPU features...), and undo the article's tab expansion in
# the MEMBLOCK dump lines (the kernel prints a tab after "memory[0x0]").
#
#   tests/sim/extract-seed.py SEED FIRST LAST [--skip N[-M],...] > FILE
import re, sys

def main():
    seed, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    skip = set()
    if len(sys.argv) > 5 and sys.argv[4] == '--skip':
        for part in sys.argv[5].split(','):
            a, _, b = part.partition('-')
            skip.update(range(int(a), int(b or a) + 1))
    lines = open(seed, encoding='utf-8').read().split('\n')
    for n in range(first, last + 1):
        if n in skip:
            continue
        line = re.sub(r'^\[ *\d+\.\d+\](\[ *T\d+\])? ', '', lines[n - 1])
        line = re.sub(r'^( (memory|reserved|physmem)\[0x[0-9a-f]+\]) +\[', '\\1\t[', line)
        print(line)

main()
