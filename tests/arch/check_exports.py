#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_exports.py - a shared library exports only its documented API.

    check_exports.py LIB.so HEADER...              exit 1 on an extra symbol
    check_exports.py --self-test LIB.so HEADER...  negative control

Lists the dynamic symbols LIB.so defines (nm -D --defined-only) and
refuses every one that no installed public HEADER declares with MB_API.
The self-test plants an undeclared symbol and drops one header, and needs
both reported, so a check that cannot fail fails.
"""
import re
import subprocess
import sys

DECL = re.compile(r"^MB_API\b[^;{]*?\b(\w+)\s*\(", re.M)
# Entries every ELF shared object carries; not part of any API.
LINKER = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1] not in LINKER:
            syms.add(parts[-1].split("@")[0])
    return syms


def declared(headers):
    names = set()
    for h in headers:
        with open(h, encoding="utf-8") as fh:
            names.update(DECL.findall(fh.read()))
    return names


def extras(syms, api):
    return sorted(s for s in syms if s not in api)


def self_test(syms, headers):
    if not syms:
        print("self-test: the library exports nothing; nm found no symbols")
        return 1
    planted = extras(syms | {"add_range"}, declared(headers))
    if planted != ["add_range"]:
        print(f"self-test: planted add_range gave {planted}")
        return 1
    if len(headers) > 1:
        dropped = extras(syms, declared(headers[1:]))
        if not dropped:
            print(f"self-test: dropping {headers[0]} was not noticed")
            return 1
    print(f"self-test: planted symbol and dropped header both caught "
          f"({len(syms)} exports)")
    return 0


def main(argv):
    selftest = "--self-test" in argv
    args = [a for a in argv[1:] if a != "--self-test"]
    if len(args) < 2:
        print("usage: check_exports.py [--self-test] LIB.so HEADER...")
        return 2
    syms = exported(args[0])
    if selftest:
        return self_test(syms, args[1:])
    bad = extras(syms, declared(args[1:]))
    for s in bad:
        print(f"{args[0]}: exports {s}, which no public header declares")
    if bad:
        return 1
    print(f"{args[0]}: {len(syms)} exports, all declared")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
