#!/usr/bin/env python3
"""Structure tests of the --svg / --html memory maps.

For every preset, a script run, a replayed log and a diff: the page parses
as XML; its blocks match the dump of the same instance region by region
(count per type, base, size, flags, node); reserved blocks name the kind
and caller we expect; free blocks tile usable memory minus reservations;
a 10,000-region replay stays under 5 MB with its small neighbours
aggregated; the SVG of riscv-virt-1g equals the golden file.

usage: structure.py MEMBLOCK SOURCE_ROOT WORK_DIR [--update-golden]
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

EXE, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
UPDATE = "--update-golden" in sys.argv
GOLDEN = os.path.join(SRC, "tests", "data", "render", "riscv-virt-1g.svg")
PRESETS = ["riscv-virt-1g", "arm64-virt", "arm-vexpress", "x86_64-numa-4g"]
DUMP = re.compile(r"\s(memory|reserved|physmem)\[0x[0-9a-f]+\]\s+\[0x([0-9a-f]+)-0x([0-9a-f]+)\], "
                  r"0x([0-9a-f]+) bytes(?: on node (\d+))? flags: 0x([0-9a-f]+)")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, ok=(0,)):
    p = subprocess.run([EXE] + args, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit("memblock %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def blocks(path):
    """Every element with class blk, as attribute dicts, in document order."""
    root = ET.parse(path).getroot()
    out = []
    for el in root.iter():
        cls = el.get("class", "").split()
        if "blk" in cls:
            out.append(el)
    return root, out


def dump_regions(text):
    regs = {"memory": [], "reserved": [], "physmem": []}
    for m in DUMP.finditer(text):
        size = int(m.group(4), 16)
        if size:
            regs[m.group(1)].append((int(m.group(2), 16), size, m.group(5), int(m.group(6), 16)))
    return regs


def compare(name, path, dump):
    """Blocks of each type equal the dump's regions, attribute by attribute."""
    _, blks = blocks(path)
    for t in ("memory", "reserved", "physmem"):
        got = sorted((b for b in blks if b.get("data-type") == t),
                     key=lambda b: int(b.get("data-base"), 16))
        want = dump[t]
        check(len(got) == len(want), "%s: %d %s blocks, dump has %d" % (name, len(got), t, len(want)))
        for b, (base, size, nid, flags) in zip(got, want):
            attrs = (b.get("data-base"), b.get("data-size"), b.get("data-flags"))
            check(attrs == (hex(base), hex(size), hex(flags)),
                  "%s: %s block %s, dump says %s" % (name, t, attrs, (hex(base), hex(size), hex(flags))))
            if nid is not None and t == "memory":
                check(b.get("data-nid") == nid, "%s: %s at %#x: nid %s, dump %s" %
                      (name, t, base, b.get("data-nid"), nid))
    return blks


def check_free(name, blks, dump):
    """Free blocks + reserved bytes inside usable memory = usable memory."""
    free = sorted((int(b.get("data-base"), 16), int(b.get("data-size"), 16))
                  for b in blks if b.get("data-type") == "free")
    mem = [(b, s) for b, s, _, f in dump["memory"] if not f & 0x4]
    res = [(b, s) for b, s, _, _ in dump["reserved"]]
    for fb, fs in free:
        inside = any(mb <= fb and fb + fs <= mb + ms for mb, ms in mem)
        overlap = any(rb < fb + fs and fb < rb + rs for rb, rs in res)
        check(inside and not overlap, "%s: free block %#x+%#x" % (name, fb, fs))
    covered = 0
    for mb, ms in mem:
        for rb, rs in res:
            covered += max(0, min(mb + ms, rb + rs) - max(mb, rb))
    check(sum(s for _, s in free) + covered == sum(s for _, s in mem),
          "%s: free + reserved != usable memory" % name)


def has_attrs(name, blks):
    """Every block: range, flags, node, kind; made ones: caller and line;
    drawn ones (not members of an aggregate): the line's text."""
    for b in blks:
        made = b.get("data-type") != "free"
        drawn = len(b) > 0
        for a in ("data-base", "data-size", "data-flags", "data-nid", "data-kind") + \
                (("data-caller", "data-line") if made else ()) + (("data-src",) if made and drawn else ()):
            if b.get(a) is None:
                check(False, "%s: block without %s" % (name, a))
                return


def by_base(blks, t, base):
    return [b for b in blks if b.get("data-type") == t and b.get("data-base") == hex(base)]


def presets():
    for p in PRESETS:
        svg, html = os.path.join(WORK, p + ".svg"), os.path.join(WORK, p + ".html")
        dump = dump_regions(run(["boot", "--preset", p, "--quiet", "--view", "dump",
                                 "--svg", svg, "--html", html]))
        blks = compare(p, svg, dump)
        compare(p + " (html)", html, dump)
        has_attrs(p, blks)
        check_free(p, blks, dump)
    return blks


def seed000_kinds():
    """riscv-virt-1g: what each reservation is, its caller and its log line."""
    _, blks = blocks(os.path.join(WORK, "riscv-virt-1g.svg"))
    want = {0x80200000: ("kernel", "paging_init+0x82/0x39a"),
            0xb81f9000: ("dtb", "paging_init+0x126/0x39a"),
            0xbbd80000: ("memmap", "sparse_init_nid+0xac/0x210"),
            0xbdffe000: ("cma", "memblock_alloc_range_nid+0xbc/0x122")}
    for base, (kind, caller) in want.items():
        b = by_base(blks, "reserved", base)
        check(len(b) == 1 and (b[0].get("data-kind"), b[0].get("data-caller")) == (kind, caller),
              "riscv-virt-1g: reserved %#x: %s" % (base, [(x.get("data-kind"), x.get("data-caller")) for x in b]))
    b = by_base(blks, "reserved", 0xbbd80000)
    check(b and b[0].get("data-src", "").startswith("memblock_alloc_exact_nid_raw: 16777216 bytes"),
          "riscv-virt-1g: memmap block source line")
    title = b[0].find("{http://www.w3.org/2000/svg}title").text if b else ""
    check(title.startswith("reserved[0x2]\t[0x00000000bbd80000-0x00000000bcdfffff], "
                           "0x0000000001080000 bytes flags: 0x0\n16.5M, NONE\n"
                           "512K hash tables: alloc_large_system_hash+0x17a/0x2a6 (line 132)\n"
                           "16M memmap / sparse: sparse_init_nid+0xac/0x210 (line 38)"),
          "riscv-virt-1g: tooltip in kernel notation: %r" % title)


def script_run():
    path = os.path.join(SRC, "tests", "cli", "views.mb")
    svg = os.path.join(WORK, "views.svg")
    dump = dump_regions(run(["run", "--show", "dump", "--svg", svg, path]))
    blks = compare("views.mb", svg, dump)
    check_free("views.mb", blks, dump)
    b = by_base(blks, "reserved", 0x1000000)
    check(b and b[0].get("data-line") == "13" and b[0].get("data-caller") == "reserve"
          and b[0].get("data-src") == "reserve 0x1000000 0x2000000",
          "views.mb: reserve line 13 attribution: %s" % [x.attrib for x in b])


def replay():
    log = os.path.join(SRC, "tests", "data", "trace", "seed000_riscv.log")
    html = os.path.join(WORK, "seed000.html")
    run(["replay", "--html", html, log], ok=(0, 1))
    root, blks = blocks(html)
    lines = open(log, encoding="utf-8", errors="replace").read().split("\n")
    n = 0
    for b in blks:
        line = int(b.get("data-line", "0"))
        if b.get("data-type") == "reserved" and line:
            n += 1
            caller = b.get("data-caller")
            check(caller in lines[line - 1], "seed000 replay: line %d does not name %s" % (line, caller))
    check(n >= 5, "seed000 replay: only %d attributed reservations" % n)


def diff():
    svg = os.path.join(WORK, "diff.svg")
    run(["boot", "--preset", "riscv-virt-1g", "--diff", "--cmdline", "crashkernel=256M", "--svg", svg])
    root, blks = blocks(svg)
    check(root.get("data-views") == "2", "diff: two views")
    added = [b for b in blks if b.get("data-diff") == "added" and b.get("data-size") == "0x10000000"]
    check(len(added) == 1 and added[0].get("data-base") == "0xa8000000"
          and added[0].get("data-kind") == "crashkernel", "diff: crashkernel=256M added at 0xa8000000")


def large():
    """10,000 separate reservations: under 5 MB, aggregated, every block kept."""
    log = os.path.join(WORK, "large.log")
    with open(log, "w") as f:
        f.write("memblock_add: [0x0000000080000000-0x000000047fffffff] setup_arch+0x10/0x20\n")
        for i in range(10000):
            base = 0x80000000 + i * 0x40000
            f.write("memblock_reserve: [0x%016x-0x%016x] test_reserve+0x%x/0x100\n"
                    % (base, base + 0xfff, i % 256))
    html = os.path.join(WORK, "large.html")
    run(["replay", "--html", html, log], ok=(0, 1))
    size = os.path.getsize(html)
    check(size < 5 * 1024 * 1024, "large: %d bytes" % size)
    root, blks = blocks(html)
    res = [b for b in blks if b.get("data-type") == "reserved"]
    check(len(res) == 10000, "large: %d reserved blocks" % len(res))
    aggs = [e for e in root.iter() if e.get("class") == "agg"]
    check(aggs and all(int(a.get("data-count")) > 1 for a in aggs), "large: aggregates")
    title = aggs[0].find("{http://www.w3.org/2000/svg}title").text if aggs else ""
    check("regions" in title and "[0x" in title, "large: aggregate tooltip lists its regions")


def golden():
    svg = os.path.join(WORK, "riscv-virt-1g.svg")
    text = open(svg).read()
    if UPDATE:
        os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
        open(GOLDEN, "w").write(text)
    check(text == open(GOLDEN).read(), "riscv-virt-1g.svg differs from %s" % GOLDEN)


def main():
    os.makedirs(WORK, exist_ok=True)
    presets()
    seed000_kinds()
    script_run()
    replay()
    diff()
    large()
    golden()
    print("render structure: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
