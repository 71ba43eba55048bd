#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Worst-case stack of every public core call, from GCC's own numbers.

usage: stack_usage.py SOURCE_ROOT LIMIT [CC [CFLAGS...]]

Compiles src/core/*.c with -fstack-usage -fcallgraph-info=su (GCC 10 or
later; exits 77, "skipped", without it), then walks the call graph from
every function declared in include/memblock/memblock.h and adds up frame
sizes along the deepest path. The core recurses only through array
growth (mbi_add_range -> mbi_grow_type -> reserve of the new array -> mbi_add_range),
at most two doublings deep (docs/core.md, "Stack"): a path may go through
mbi_grow_type at most GROW_DEPTH times, and the script checks that every
cycle of the call graph goes through it. Indirect calls (ops.print,
phys_to_virt...) count as 0: their frames are the caller's own. On
x86-64, a call GCC made a tail call (a jmp, found with objdump -dr)
replaces the caller's frame instead of adding to it.
Fails, printing the path, when any public call needs more than LIMIT bytes.
"""
import os
import re
import subprocess
import sys
import tempfile

GROW = 'mbi_grow_type'
GROW_DEPTH = 2
NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
SIZE = re.compile(r'\\n(\d+) bytes \((static|dynamic[^)]*)\)')


def compile_core(root, tmp, cc, cflags):
    src = os.path.join(root, 'src', 'core')
    files = sorted(f for f in os.listdir(src) if f.endswith('.c'))
    for f in files:
        cmd = [cc, '-std=c11', '-ffreestanding', '-I', os.path.join(root, 'include'),
               '-fstack-usage', '-fcallgraph-info=su', *cflags, '-c',
               os.path.join(src, f), '-o', os.path.join(tmp, f[:-2] + '.o')]
        r = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
        if r.returncode:
            if 'callgraph-info' in r.stderr:
                print('stack_usage: %s lacks -fcallgraph-info: skipped' % cc)
                sys.exit(77)
            sys.stderr.write(r.stderr)
            sys.exit(1)
    return [f[:-2] for f in files]


FUNC = re.compile(r'^[0-9a-f]+ <([^>]+)>:$')
JMP_LOCAL = re.compile(r'\sjmp\s+[0-9a-f]+ <([^+>]+)>$')
JMP_RELOC = re.compile(r'R_X86_64_PLT32\s+([\w.]+)-0x4$')
CALL_LOCAL = re.compile(r'\scall\s+[0-9a-f]+ <([^+>]+)>$')


def tail_calls(tmp, units):
    """{(unit, caller): {callees}} reached only by jmp (tail calls)."""
    tails, calls = {}, {}
    for u in units:
        try:
            out = subprocess.run(['objdump', '-dr', os.path.join(tmp, u + '.o')],
                                 capture_output=True, text=True).stdout
        except OSError:
            return {}
        if 'x86-64' not in out:
            return {}
        fn, last = None, None
        for line in out.splitlines():
            m = FUNC.match(line)
            if m:
                fn, last = m.group(1), None
                continue
            if not fn:
                continue
            m = JMP_LOCAL.search(line)
            if m:
                tails.setdefault((u, fn), set()).add(m.group(1))
            m = CALL_LOCAL.search(line)
            if m:
                calls.setdefault((u, fn), set()).add(m.group(1))
            m = JMP_RELOC.search(line)
            if m and last:
                (tails if last == 'jmp' else calls).setdefault((u, fn), set()).add(m.group(1))
            if '\tjmp ' in line:
                last = 'jmp'
            elif '\tcall ' in line:
                last = 'call'
            elif '\t' in line and 'R_X86_64' not in line:
                last = None
    return {k: v - calls.get(k, set()) for k, v in tails.items()}


def load_graph(tmp, units):
    """(frames, edges): frames[(unit, fn)] = bytes; edges per node."""
    frames, raw_edges, defined = {}, [], {}
    for u in units:
        with open(os.path.join(tmp, u + '.ci')) as fh:
            text = fh.read()
        for title, label in NODE.findall(text):
            m = SIZE.search(label)
            if m:
                if m.group(2) != 'static' and 'bounded' not in m.group(2):
                    sys.exit('stack_usage: %s in %s has an unbounded frame' % (title, u))
                frames[(u, title)] = int(m.group(1))
                defined.setdefault(title, []).append(u)
        raw_edges += [(u, a, b) for a, b in EDGE.findall(text)]
    edges, tails = {}, tail_calls(tmp, units)
    for u, a, b in raw_edges:
        if (u, b) in frames:
            dst = (u, b)
        elif b in defined:
            dst = (defined[b][0], b)
        else:
            continue  # memcpy and friends, indirect calls
        tail = b.split(':')[-1] in tails.get((u, a.split(':')[-1]), ())
        edges.setdefault((u, a), set()).add((dst, tail))
    return frames, edges


def deepest(node, frames, edges, grows, on_path):
    """Largest stack below and including @node, with its path."""
    if node[1] == GROW:
        if grows >= GROW_DEPTH:
            return 0, []
        grows += 1
    elif on_path.get(node) == grows:
        sys.exit('stack_usage: %s recurses without going through %s' % (node[1], GROW))
    saved = on_path.get(node)
    on_path[node] = grows
    best, best_path, own = frames[node], [], frames[node]
    for nxt, tail in edges.get(node, ()):
        size, path = deepest(nxt, frames, edges, grows, on_path)
        if not tail:
            size += frames[node]
        if size > best:
            best, best_path, own = size, path, 0 if tail else frames[node]
    if saved is None:
        del on_path[node]
    else:
        on_path[node] = saved
    return best, [(node, own)] + best_path


def public_names(root):
    with open(os.path.join(root, 'include', 'memblock', 'memblock.h')) as fh:
        return set(re.findall(r'\b(mb_\w+)\(', fh.read()))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, limit = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    cc = sys.argv[3] if len(sys.argv) > 3 else 'gcc'
    cflags = sys.argv[4:] or ['-O2']
    with tempfile.TemporaryDirectory() as tmp:
        units = compile_core(root, tmp, cc, cflags)
        frames, edges = load_graph(tmp, units)
    names = public_names(root)
    results = []
    for node in frames:
        if node[1] in names:
            size, path = deepest(node, frames, edges, 0, {})
            results.append((size, node[1], path))
    results.sort(reverse=True)
    bad = [r for r in results if r[0] > limit]
    print('stack_usage: %s %s: %d public calls, deepest %s = %d bytes (limit %d)' %
          (cc, ' '.join(cflags), len(results), results[0][1], results[0][0], limit))
    for size, name, path in results[:5]:
        print('  %5d %s' % (size, name))
    for size, name, path in bad:
        print('FAIL %s needs %d bytes: %s' % (name, size,
              ' -> '.join('%s(%d)' % (os.path.basename(n[1]), own) for n, own in path)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
