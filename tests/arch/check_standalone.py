#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_standalone.py - the tree makes sense to someone who clones it alone.

    check_standalone.py SRCDIR              exit 1 on a problem
    check_standalone.py --self-test SRCDIR  negative control

Refused in every text file (code, docs, tests, scripts, presets): a path
into the machine the project was developed on or a sibling directory of
the repository. Seed articles are cited by file name
(000_e10254c33b687504.txt) and real logs live in tests/data/logs/.
Also checked: every "spec N" a comment cites is a section of
docs/behaviour.md.
"""
import os
import re
import sys

BEHAVIOUR = os.path.join("docs", "behaviour.md")
# Built from pieces so that this file does not match itself.
OUTSIDE = re.compile("|".join([
    re.escape("../" + "shared"),
    re.escape("/" + "work/"),
    "shared" + r"/(?:spec|seeds|logs)\b",
]))
SPEC = re.compile(r"\bspec(?: section| sections)? (\d+(?:(?:, | and )\d+)*)")
SKIP_DIRS = {".git", "node_modules"}
RAW_DATA = (".log", ".svg", ".png", ".dtb", ".bin")


def read_tree(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith("build")
                       and not os.path.exists(os.path.join(dirpath, d, "meson-private"))]
        for f in filenames:
            if f.endswith(RAW_DATA) or f == ".git":
                continue
            path = os.path.join(dirpath, f)
            try:
                with open(path, encoding="utf-8") as fh:
                    files[os.path.relpath(path, root)] = fh.read()
            except (UnicodeDecodeError, OSError):
                continue
    return files


def sections(text):
    return {int(n) for n in re.findall(r"^## (\d+)\.", text, re.M)}


def check(files):
    problems = []
    known = sections(files.get(BEHAVIOUR, ""))
    if not known:
        problems.append(f"{BEHAVIOUR}: missing, or has no numbered sections")
    for rel in sorted(files):
        for no, line in enumerate(files[rel].splitlines(), 1):
            m = OUTSIDE.search(line)
            if m:
                problems.append(f"{rel}:{no}: points outside the repository: {m.group(0)}")
            for m in SPEC.finditer(line):
                for n in re.findall(r"\d+", m.group(1)):
                    if known and int(n) not in known:
                        problems.append(f"{rel}:{no}: cites spec {n}, "
                                        f"which {BEHAVIOUR} does not have")
    return problems


def self_test(files):
    clean = check(files)
    if clean:
        print("self-test: the tree itself has problems; fix those first:")
        print("\n".join(clean))
        return 1
    cases = [
        ("README.md", "See ../" + "shared/" + "spec/memblock.md.", "points outside"),
        ("presets/planted.md", "Source: `/" + "work/" + "shared/" + "seeds/000_x.txt`",
         "points outside"),
        ("docs/planted.md", "the logs in " + "shared/" + "logs", "points outside"),
        ("src/core/planted.c", "/* the rule (spec" + " 42) */", "spec" + " 42"),
        ("tests/planted.c", "/* spec sections 3" + " and 77 */", "spec" + " 77"),
    ]
    failed = 0
    for rel, line, needle in cases:
        mutated = dict(files)
        mutated[rel] = files.get(rel, "") + "\n" + line + "\n"
        found = [p for p in check(mutated) if p.startswith(rel) and needle in p]
        print(f"{'ok  ' if found else 'MISS'} {rel}: {line} -> {needle}")
        failed += not found
    mutated = dict(files)
    del mutated[BEHAVIOUR]
    lost = any(p.startswith(BEHAVIOUR) for p in check(mutated))
    print(f"{'ok  ' if lost else 'MISS'} {BEHAVIOUR} removed -> reported")
    failed += not lost
    print(f"self-test: {len(cases) + 1 - failed} of {len(cases) + 1} planted problems caught")
    return 1 if failed else 0


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    if len(args) != 1:
        print("usage: check_standalone.py [--self-test] SRCDIR")
        return 2
    files = read_tree(args[0])
    if "--self-test" in argv:
        return self_test(files)
    problems = check(files)
    for p in problems:
        print(p)
    print(f"{len(files)} text files: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
