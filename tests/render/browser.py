#!/usr/bin/env python3
"""Browser test of the memory maps: headless Chromium, file://, JavaScript on.

For every page (the four presets, a replayed real log, a --diff boot and a
10,000-region replay): --dump-dom must hold every block of the file and
the mark the page's script sets when it ran; Chromium's log
(--enable-logging=stderr) must hold no console message; a --screenshot
must have the window's size and many distinct colours (not blank).

usage: browser.py MEMBLOCK SOURCE_ROOT WORK_DIR [--update-docs]
  --update-docs  also copy the screenshots to docs/img/
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib

EXE, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
UPDATE_DOCS = "--update-docs" in sys.argv
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
TIMEOUT = 90
WIDTH = 1720
REAL_LOG = os.path.join(SRC, "tests", "data", "render", "13_mips64_ip27_numa4_5.3.log")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def memblock(args):
    p = subprocess.run([EXE] + args, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("memblock %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))


def large_log(path):
    with open(path, "w") as f:
        f.write("memblock_add: [0x0000000080000000-0x000000047fffffff] setup_arch+0x10/0x20\n")
        for i in range(10000):
            base = 0x80000000 + i * 0x40000
            f.write("memblock_reserve: [0x%016x-0x%016x] test_reserve+0x%x/0x100\n"
                    % (base, base + 0xfff, i % 256))


def pages():
    """(name, html path, docs image name or None)."""
    out = []
    for p in ["riscv-virt-1g", "arm64-virt", "arm-vexpress", "x86_64-numa-4g"]:
        html = os.path.join(WORK, p + ".html")
        memblock(["boot", "--preset", p, "--quiet", "--html", html])
        out.append((p, html, "map-" + p + ".png"))
    html = os.path.join(WORK, "replay-ip27.html")
    cwd = os.getcwd()
    os.chdir(SRC)  # the page names the log by its path in the repository
    memblock(["replay", "--html", html, os.path.relpath(REAL_LOG, SRC)])
    os.chdir(cwd)
    out.append(("replay-ip27", html, "map-replay-ip27-numa4.png"))
    html = os.path.join(WORK, "diff-crashkernel.html")
    memblock(["boot", "--preset", "riscv-virt-1g", "--diff", "--cmdline", "crashkernel=256M",
              "--html", html])
    out.append(("diff-crashkernel", html, "map-diff-crashkernel.png"))
    log = os.path.join(WORK, "large.log")
    large_log(log)
    html = os.path.join(WORK, "large.html")
    memblock(["replay", "--html", html, log])
    out.append(("large", html, None))
    return out


def chromium(args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
           "--user-data-dir=" + os.path.join(WORK, "profile")] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)


def console_lines(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l]


def window_height(html):
    """Tall enough for the map and the summary beside it."""
    text = open(html, encoding="utf-8").read()
    svg_h = int(re.search(r'<svg [^>]*height="(\d+)"', text).group(1))
    aside = 110 + 19 * text.count("<tr>") + 36 * text.count("<h2")
    return min(1600, max(svg_h + 190, aside))


def png_info(path):
    """Width, height and the number of distinct colours of an 8-bit RGB(A) PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0, 0
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or color not in (2, 6) or interlace:
        return w, h, 0
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        unfilter(f, line, prev, bpp)
        if y % 3 == 0:
            for x in range(0, stride, bpp * 3):
                colours.add(bytes(line[x:x + 3]))
        prev = line
    return w, h, len(colours)


def unfilter(f, line, prev, bpp):
    n = len(line)
    if f == 1:
        for i in range(bpp, n):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        for i in range(n):
            line[i] = (line[i] + prev[i]) & 255
    elif f == 3:
        for i in range(n):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(n):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pred) & 255


def test_page(name, html, image):
    url = "file://" + os.path.abspath(html)
    blocks = open(html, encoding="utf-8").read().count('class="blk"')
    start = time.time()
    p = chromium(["--dump-dom", url])
    dom = p.stdout
    check(p.returncode == 0, "%s: chromium --dump-dom exit %d" % (name, p.returncode))
    check('data-ready="1"' in dom, "%s: the page's script did not run" % name)
    check(dom.count('class="blk"') == blocks and blocks > 0,
          "%s: DOM holds %d of %d blocks" % (name, dom.count('class="blk"'), blocks))
    check(not console_lines(p.stderr), "%s: console: %s" % (name, console_lines(p.stderr)))
    height = window_height(html)
    png = os.path.join(WORK, name + ".png")
    p = chromium(["--window-size=%d,%d" % (WIDTH, height), "--screenshot=" + png, url])
    check(p.returncode == 0 and os.path.exists(png), "%s: no screenshot" % name)
    check(not console_lines(p.stderr), "%s: console: %s" % (name, console_lines(p.stderr)))
    w, h, colours = png_info(png)
    check((w, h) == (WIDTH, height), "%s: screenshot %dx%d, want %dx%d" % (name, w, h, WIDTH, height))
    check(colours >= 16, "%s: screenshot has %d colours (blank?)" % (name, colours))
    print("%-18s %6d blocks  %4.1fs  %dx%d  %d colours" % (name, blocks, time.time() - start, w, h,
                                                          colours))
    if UPDATE_DOCS and image:
        shutil.copy(png, os.path.join(SRC, "docs", "img", image))


def main():
    if not shutil.which(CHROMIUM):
        sys.exit("browser test: %s not found (scripts/bootstrap installs it)" % CHROMIUM)
    os.makedirs(WORK, exist_ok=True)
    if UPDATE_DOCS:
        os.makedirs(os.path.join(SRC, "docs", "img"), exist_ok=True)
    for name, html, image in pages():
        test_page(name, html, image)
    print("browser test: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
