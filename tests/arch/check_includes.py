#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_includes.py - every #include of the tree against docs/architecture.md.

The rules live in one place: the "Parts and rules" table of
docs/architecture.md. Each row names a part, the files it owns, the parts
it may include and the outside headers it may use. This script reads that
table, assigns every .c/.h/.S file of the tree to exactly one part,
resolves each #include to the part that owns the header (a public header
under include/memblock/, or a private one next to the sources) or to a
group of outside headers, and prints one line per forbidden edge.

    check_includes.py SRCDIR              check the tree (exit 1 on a violation)
    check_includes.py --self-test SRCDIR  negative control: plant one
                                          violation of each kind in a copy of
                                          the tree held in memory and require
                                          that each is reported

A private header (anything outside include/memblock/) may only be included
by its own part, by a part whose row says `*` (the tests, which are
white-box), or by a part that lists the owner when the owner has no public
header at all (bench uses the tests' log generator).
"""
import os
import re
import sys

DOC = os.path.join("docs", "architecture.md")
SCANNED_EXT = (".c", ".h", ".S")
SKIP_DIRS = {".git", "node_modules"}
FREESTANDING = {"stddef.h", "stdint.h", "stdbool.h", "limits.h"}
PROCESS = {"sys/wait.h", "spawn.h"}
GROUPS = {"freestanding", "libc", "process", "libfdt", "readline", "kernel", "cmocka"}
INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include(?:_next)?[ \t]*([<"])([^>"]+)[>"]', re.M)
COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


class Rules:
    """The table of docs/architecture.md."""

    def __init__(self):
        self.parts = []  # (name, [path prefixes or files])
        self.deps = {}  # name -> set of part names, or {"*"}
        self.groups = {}  # name -> set of outside header groups

    def has_public(self, name):
        """True when @name owns a header under include/memblock/."""
        paths = dict(self.parts)[name]
        return any(p.startswith("include/memblock/") for p in paths)

    def owner(self, rel):
        """Part owning @rel: the longest matching path wins."""
        best, best_len = None, -1
        for name, paths in self.parts:
            for p in paths:
                hit = rel == p if not p.endswith("/") else rel.startswith(p)
                if hit and len(p) > best_len:
                    best, best_len = name, len(p)
        return best


def parse_rules(text):
    """Rows of the table under the "Parts and rules" heading."""
    rules = Rules()
    section = text.split("## Parts and rules", 1)
    if len(section) != 2:
        raise ValueError(DOC + ': no "## Parts and rules" section')
    for line in section[1].splitlines():
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not line.lstrip().startswith("|"):
            continue
        name = cells[0].strip("* ")
        if name in ("part", "") or set(cells[0]) <= set("-: "):
            continue
        files = re.findall(r"`([^`]+)`", cells[1])
        deps = re.findall(r"`([^`]+)`", cells[2])
        groups = set(re.findall(r"`([^`]+)`", cells[3]))
        if not files:
            raise ValueError(f"{DOC}: part {name} owns no files")
        unknown = groups - GROUPS
        if unknown:
            raise ValueError(f"{DOC}: part {name}: unknown header group {sorted(unknown)}")
        rules.parts.append((name, files))
        rules.deps[name] = set(deps)
        rules.groups[name] = groups
    names = {n for n, _ in rules.parts}
    for name, deps in rules.deps.items():
        bad = deps - names - {"*"}
        if bad:
            raise ValueError(f"{DOC}: part {name} may include unknown part(s) {sorted(bad)}")
    if not rules.parts:
        raise ValueError(DOC + ": the rules table is empty")
    return rules


def read_tree(root):
    """{relative path: text} of every scanned file, build directories left out."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith("build")
                       and not os.path.exists(os.path.join(dirpath, d, "meson-private"))]
        for f in filenames:
            if f.endswith(SCANNED_EXT):
                rel = os.path.normpath(os.path.join(rel_dir, f))
                with open(os.path.join(dirpath, f), encoding="utf-8", errors="replace") as fh:
                    files[rel] = fh.read()
    return files


def outside_group(name):
    if name in FREESTANDING:
        return "freestanding"
    if name in PROCESS:
        return "process"
    if name in ("libfdt.h", "fdt.h", "libfdt_env.h"):
        return "libfdt"
    if name.startswith("readline/"):
        return "readline"
    if name.split("/")[0] in ("linux", "asm", "asm-generic", "uapi"):
        return "kernel"
    if name == "cmocka.h":
        return "cmocka"
    return "libc"


def resolve_quoted(rel, name, files, by_tail):
    """Path of a "name" include: beside the file, else a unique match in the tree."""
    beside = os.path.normpath(os.path.join(os.path.dirname(rel), name))
    if beside in files:
        return beside
    tail = [c for c in os.path.normpath(name).split(os.sep) if c not in ("..", ".")]
    hits = by_tail.get(os.sep.join(tail), [])
    if not hits:
        return None
    same_top = [h for h in hits if h.split(os.sep)[0] == rel.split(os.sep)[0]]
    return sorted(same_top or hits)[0]


def check(files, rules):
    """One message per problem found in @files."""
    problems = []
    by_tail = {}
    for path in files:
        parts = path.split(os.sep)
        for i in range(len(parts)):
            by_tail.setdefault(os.sep.join(parts[i:]), []).append(path)
    for rel in sorted(files):
        part = rules.owner(rel)
        if part is None:
            problems.append(f"{rel}: belongs to no part of {DOC}")
            continue
        allowed = rules.deps[part]
        text = COMMENT_RE.sub("", files[rel])
        for m in INCLUDE_RE.finditer(text):
            kind, name = m.group(1), m.group(2).strip()
            line = text.count("\n", 0, m.start()) + 1
            where = f"{rel}:{line}: {part} includes {kind}{name}{'>' if kind == '<' else kind}"
            if kind == "<" and name.startswith("memblock/"):
                target = "include/" + name
                owner = rules.owner(target)
                if owner is None:
                    problems.append(f"{where}: public header owned by no part of {DOC}")
                elif owner != part and owner not in allowed and "*" not in allowed:
                    problems.append(f"{where}: {part} may not depend on {owner}")
                continue
            if kind == "<":
                group = outside_group(name)
                if group not in rules.groups[part] and "*" not in allowed:
                    problems.append(f"{where}: {part} may not use {group} headers")
                continue
            target = resolve_quoted(rel, name, files, by_tail)
            if target is None:
                problems.append(f"{where}: header not found in the tree")
                continue
            owner = rules.owner(target)
            public = target.startswith("include" + os.sep + "memblock" + os.sep)
            if owner == part or "*" in allowed:
                continue
            if not public and (owner not in allowed or rules.has_public(owner)):
                problems.append(f"{where}: private header {target} of {owner}")
            elif owner not in allowed:
                problems.append(f"{where}: {part} may not depend on {owner}")
    return problems


def plant(files, rel, line):
    """@files with @line added at the top of @rel (a new file if absent)."""
    mutated = dict(files)
    mutated[rel] = line + "\n" + files.get(rel, "")
    return mutated


def first_file(files, prefix):
    hits = sorted(f for f in files if f.startswith(prefix) and f.endswith(".c"))
    if not hits:
        raise ValueError(f"self-test: no .c file under {prefix}")
    return hits[0]


def self_test(files, rules):
    """Each planted violation must be reported, naming the file it is in."""
    expected_parts = {"core", "memtest", "linux", "host", "fw", "trace", "render",
                      "sim", "cli", "kharness", "ksuite", "metal", "tests"}
    missing = expected_parts - set(rules.deps)
    if missing:
        print(f"self-test: {DOC} lost the part(s) {sorted(missing)}")
        return 1
    if rules.deps["core"] or rules.groups["core"] != {"freestanding"}:
        print(f"self-test: {DOC} lets the core depend on something")
        return 1
    clean = check(files, rules)
    if clean:
        print("self-test: the tree itself has violations; fix those first:")
        print("\n".join(clean))
        return 1
    cases = [
        (first_file(files, "src/core/"), "#include <stdio.h>", "may not use libc headers"),
        (first_file(files, "src/core/"), "#include <memblock/fw.h>", "may not depend on fw"),
        (first_file(files, "src/memtest/"), "#include <memblock/simram.h>",
         "may not depend on host"),
        (first_file(files, "src/fw/"), "#include <memblock/sim.h>", "may not depend on sim"),
        (first_file(files, "src/trace/"), "#include <memblock/render.h>",
         "may not depend on render"),
        (first_file(files, "src/sim/"), '#include "../core/internal.h"', "private header"),
        (first_file(files, "src/render/"), "#include <sys/wait.h>", "process headers"),
        (first_file(files, "src/host/"), "#include <libfdt.h>", "libfdt headers"),
        (first_file(files, "tools/memblock/"), '#include "../../src/trace/trace_internal.h"',
         "private header"),
        (first_file(files, "tools/memblock/"), "#include <memblock/linux.h>",
         "may not depend on linux"),
        (first_file(files, "tools/kharness/"), "#include <memblock/sim.h>",
         "may not depend on sim"),
        ("metal/common/planted.c", "#include <memblock/trace.h>", "may not depend on trace"),
        ("src/newpart/planted.c", "", "belongs to no part"),
        (first_file(files, "src/fw/"), "#include <memblock/planted.h>", "owned by no part"),
    ]
    failed = 0
    for rel, line, needle in cases:
        found = [p for p in check(plant(files, rel, line), rules) if p.startswith(rel) and needle in p]
        print(f"{'ok  ' if found else 'MISS'} {rel}: {line or '(new file)'} -> {needle}")
        failed += not found
    print(f"self-test: {len(cases) - failed} of {len(cases)} planted violations caught")
    return 1 if failed else 0


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[0])
        print("usage: check_includes.py [--self-test] SRCDIR")
        return 2
    root = args[0]
    try:
        with open(os.path.join(root, DOC), encoding="utf-8") as fh:
            rules = parse_rules(fh.read())
        files = read_tree(root)
        if "--self-test" in argv:
            return self_test(files, rules)
    except ValueError as e:
        print(e)
        return 1
    problems = check(files, rules)
    for p in problems:
        print(p)
    print(f"{len(files)} files, {len(rules.parts)} parts: "
          f"{len(problems)} include(s) crossing a forbidden line")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
