#!/usr/bin/env python3
"""memblock shell on a terminal: Tab completion, Ctrl-C keeps the state
(a typed line is dropped, a long step stops),
history is written to $HOME/.local/state/memblock/history.

usage: shell_tty.py MEMBLOCK_EXE
"""
import os
import pty
import select
import signal
import sys
import tempfile
import time


def read_until(fd, want, timeout=10.0):
    buf = b""
    end = time.time() + timeout
    while want not in buf:
        left = end - time.time()
        if left <= 0:
            raise SystemExit(f"FAIL: timed out waiting for {want!r}; got {buf[-400:]!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def main():
    exe = os.path.abspath(sys.argv[1])
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, TERM="dumb", INPUTRC="/dev/null")
    env.pop("XDG_STATE_HOME", None)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(exe, [exe, "shell"], env)
    try:
        session(fd, pid, home)
    except SystemExit:
        os.kill(pid, signal.SIGKILL)  # a shell stuck in a step must not outlive us
        raise


def session(fd, pid, home):
    prompt = b"memblock> "
    read_until(fd, prompt)
    os.write(fd, b"add 0 1M\r")
    read_until(fd, prompt)
    # Tab completes an operation and a show argument.
    os.write(fd, b"show summ\t\r")
    out = read_until(fd, b"per flag (memory)")
    if b"memblock summary" not in out:
        raise SystemExit(f"FAIL: 'show summ<Tab>' did not complete: {out[-300:]!r}")
    if prompt not in out.split(b"per flag (memory)")[1]:
        read_until(fd, prompt)
    # Ctrl-C cancels the line being typed; the instance stays.
    os.write(fd, b"add 0x200000 1M")
    time.sleep(0.2)
    os.write(fd, b"\x03")
    read_until(fd, prompt)
    os.write(fd, b"expect memory.total_size = 0x100000\r")
    out = read_until(fd, prompt)
    if b"error" in out:
        raise SystemExit(f"FAIL: state changed or lost after Ctrl-C: {out!r}")
    # Ctrl-C stops a long step (Linux's 2^52-page free_late, no budget).
    for cmd in (b"reset", b"set max_pages 0", b"add 0 1M", b"free_all"):
        os.write(fd, cmd + b"\r")
        read_until(fd, prompt)
    os.write(fd, b"free_late 0xfffffffffffff001 0xffe\r")
    time.sleep(1.5)
    os.write(fd, b"\x03")
    out = read_until(fd, b"(EINTR)")
    if prompt not in out.split(b"(EINTR)")[1]:
        read_until(fd, prompt)
    if b"free_late interrupted after" not in out or b"(EINTR)" not in out:
        raise SystemExit(f"FAIL: Ctrl-C did not stop free_late: {out[-400:]!r}")
    os.write(fd, b"expect memory.total_size = 0x100000\r")
    out = read_until(fd, prompt)
    if b"error" in out:
        raise SystemExit(f"FAIL: state changed after an interrupted step: {out!r}")
    os.write(fd, b"exi\t\r")  # Tab completes exit too
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    if os.WEXITSTATUS(status) != 0:
        raise SystemExit(f"FAIL: shell exited {status}")
    hist = os.path.join(home, ".local/state/memblock/history")
    text = open(hist).read()
    for line in ("add 0 1M", "show summary", "exit"):
        if line not in text:
            raise SystemExit(f"FAIL: history lacks {line!r}: {text!r}")
    print("ok: shell completion, Ctrl-C (line and long step) and history")


main()
