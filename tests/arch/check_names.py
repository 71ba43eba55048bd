#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_names.py - every library's global names are its API or carry its
internal prefix, and the CLI's script files call each other one way only.

    check_names.py LIB.a:PREFIX:HEADER[,HEADER...] ...      exit 1 on a stray name
    check_names.py --one-way LIB.a GLOB                     exit 1 on a cycle
    check_names.py --self-test LIB.a:PREFIX:HEADER[,...] -- LIB.a GLOB

A global symbol a static library defines (nm -g --defined-only) is fine
when a HEADER of that library declares it (a function or an object: the
name followed by "(", "[" or ";") or when it starts with PREFIX, the
library's internal prefix (docs/architecture.md, "Internal names").

--one-way reads the members of LIB.a whose names match GLOB, draws an
edge from a member to every other member that defines a name it uses,
and fails on a cycle. The self-test plants an unprefixed, undeclared
name in the first library and a back edge between the matching members,
and needs both reported.
"""
import fnmatch
import re
import subprocess
import sys


def nm_members(lib):
    """{member: (defined globals, undefined names)} of a static library."""
    out = subprocess.run(["nm", "-g", lib], check=True, capture_output=True,
                         text=True).stdout
    members, cur = {}, None
    for line in out.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            cur = line[:-1].rsplit("/", 1)[-1]
            members[cur] = (set(), set())
            continue
        parts = line.split()
        if cur is None or len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        members[cur][1 if kind == "U" else 0].add(name)
    return members


def declared(name, text):
    return re.search(r"\b" + re.escape(name) + r"\s*[(\[;]", text) is not None


# What the compiler adds under -fsanitize: not a name of the library's.
TOOL_NAMES = ("__odr_asan", "__asan_", "__ubsan_", "__sanitizer_", "__sancov_", "__gcov_")


def stray_names(defined, prefix, text):
    return sorted(n for n in defined if not n.startswith(prefix) and not n.startswith(TOOL_NAMES)
                  and not declared(n, text))


def check_lib(spec, plant=None):
    lib, prefix, headers = spec.split(":", 2)
    text = ""
    for h in headers.split(","):
        with open(h, encoding="utf-8") as fh:
            text += fh.read()
    defined = set()
    for d, _ in nm_members(lib).values():
        defined |= d
    if plant:
        defined.add(plant)
    return ["%s: %s is neither declared in its public headers nor %s-prefixed"
            % (lib.rsplit("/", 1)[-1], n, prefix) for n in stray_names(defined, prefix, text)]


def graph(lib, pattern, plant_back=False):
    members = {m: v for m, v in nm_members(lib).items() if fnmatch.fnmatch(m, pattern)}
    owner = {n: m for m, (d, _) in members.items() for n in d}
    edges = {m: sorted({owner[n] for n in u if n in owner and owner[n] != m})
             for m, (_, u) in members.items()}
    if plant_back:
        # the reverse of one existing edge closes a cycle
        for m, outs in edges.items():
            if outs:
                edges[outs[0]] = edges[outs[0]] + [m]
                break
    return edges


def find_cycle(edges):
    state, stack = {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in edges.get(m, []):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if not state.get(n):
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if not state.get(m):
            found = visit(m)
            if found:
                return found
    return None


def main(argv):
    if argv[:1] == ["--one-way"]:
        edges = graph(argv[1], argv[2])
        if len(edges) < 2:
            print("%s: fewer than two members match %s" % (argv[1], argv[2]))
            return 1
        cycle = find_cycle(edges)
        if cycle:
            print("call cycle: " + " -> ".join(cycle))
            return 1
        print("%s: %s call each other one way" % (argv[1], argv[2]))
        return 0
    if argv[:1] == ["--self-test"]:
        sep = argv.index("--")
        specs, (lib, pattern) = argv[1:sep], argv[sep + 1:sep + 3]
        ok = any("planted_helper" in e for e in check_lib(specs[0], "planted_helper"))
        ok = ok and find_cycle(graph(lib, pattern, plant_back=True)) is not None
        print("self-test: " + ("every planted problem reported" if ok else "MISSED a planted problem"))
        return 0 if ok else 1
    errors = []
    for spec in argv:
        errors += check_lib(spec)
    for e in errors:
        print(e)
    if not errors:
        print("%d libraries: every global name is API or internal-prefixed" % len(argv))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
