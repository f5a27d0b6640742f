#!/usr/bin/env python3
"""Whole-process timings of jit-tracker's commands next to CPython's analyzer: a report.

A user waits for a process: every figure is the wall time of a fresh process, from spawn
to exit (for the TUI, to its first frame on an 80x24 terminal, and to its task table),
started as a user starts it (the ``jit-tracker`` entry point of this interpreter). Next
to them, CPython's own parser and analyzer run as a process on the same ``bytecodes.c``
(``analyzer.analyze_files([bytecodes.c])``). Runs are interleaved, one of each per round,
so that a busy machine slows all alike; the report gives medians and the ratio to the
analyzer, wall and CPU (user + system) time. There are no targets: a cold listing in a
few hundred milliseconds and a warm one from the scan cache are all a user needs.

"cold" starts from an empty user cache (XDG_CACHE_HOME points at a temporary directory);
"warm" finds what the previous run kept. Both sides keep their ``.pyc`` files.

Where the reference is (skips, exit 0, when it is absent):

    JIT_TRACKER_REF_GEN      a directory with CPython's Tools/cases_generator (analyzer.py)
    JIT_TRACKER_REF_CPYTHON  a CPython tree with Python/bytecodes.c (a git checkout or not)
    JIT_TRACKER_REF_PYTHON   the interpreter to run the analyzer with (default: this one;
                             generators of 2025 and later need Python 3.12+)

    .venv/bin/python benchmarks/bench_cli.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF_GEN = Path(os.environ.get("JIT_TRACKER_REF_GEN", "~/ref/gen")).expanduser()
REF_CPYTHON = Path(os.environ.get("JIT_TRACKER_REF_CPYTHON", "~/ref/cpython")).expanduser()
REF_PYTHON = os.environ.get("JIT_TRACKER_REF_PYTHON", sys.executable)
TASK_ID = re.compile(rb"(refcount|optimizer|split|tier2|helper):_?[A-Z]")  # a row of the task table


def our_command() -> list[str]:
    script = Path(sys.executable).with_name("jit-tracker")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tracker"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process (it must succeed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def tui_frames(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[float, float]:
    """Seconds from spawn to the app's first frame on an 80x24 terminal, and to its task
    table showing tasks, as seen in what the process writes to the terminal."""
    import fcntl
    import pty
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 80x24, then the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    first = table = None
    try:
        while time.perf_counter() - start < timeout and table is None:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            now = time.perf_counter() - start
            if first is None and (b"Loading" in seen or TASK_ID.search(seen)):
                first = now
            if TASK_ID.search(seen):
                table = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None or table is None:
        raise SystemExit(f"no frame within {timeout:.0f} s: {' '.join(argv)}\n{seen[-2000:]!r}")
    return first, table


def lines_of_code() -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "tracker").rglob("*.py"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed rounds (default 7)")
    args = ap.parse_args(argv)
    bytecodes = REF_CPYTHON / "Python" / "bytecodes.c"
    if not (REF_GEN / "analyzer.py").is_file() or not bytecodes.is_file():
        print(f"skip: reference not found ({REF_GEN}/analyzer.py, {bytecodes}); nothing measured")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        report(args.repeat, bytecodes, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(repeat: int, bytecodes: Path, tmp: Path) -> None:
    load = os.getloadavg()[0]
    unset = {"PYTHONDONTWRITEBYTECODE", "JIT_TRACKER_CACHE_DIR", "JIT_TRACKER_STATE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(XDG_CACHE_HOME=str(tmp / "xdg-cache"), XDG_DATA_HOME=str(tmp / "xdg-data"),
               TERM="xterm-256color", COLUMNS="80", LINES="24")
    cache = tmp / "xdg-cache" / "jit-tracker"
    gen = tmp / "generator"  # a copy, so the reference's .pyc files land there
    shutil.copytree(REF_GEN, gen, ignore=shutil.ignore_patterns("__pycache__"))
    reference = [REF_PYTHON, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import analyzer; "
                 "analyzer.analyze_files([sys.argv[2]])", str(gen), str(bytecodes)]
    jt, tree = our_command(), str(REF_CPYTHON)

    def cold(*args: str):
        def run() -> tuple[float, float]:
            shutil.rmtree(cache, ignore_errors=True)
            return run_once(jt + list(args), env)
        return run

    def warm(*args: str):
        return lambda: run_once(jt + list(args), env)

    tui_seen: list[tuple[float, float]] = []

    def tui(fresh: bool):
        def run() -> tuple[float, float]:
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            first, table = tui_frames(jt + ["tui"], env)
            tui_seen.append((first, table))
            return first, 0.0
        return run

    cases = {
        "CPython's analyzer (parse + analyze bytecodes.c)": lambda: run_once(reference, env),
        "tasks CPYTHON_DIR --json, cold (empty cache)": cold("tasks", tree, "--json"),
        "tasks CPYTHON_DIR --json, warm (scan cache)": warm("tasks", tree, "--json"),
        "scan CPYTHON_DIR, cold": cold("scan", tree),
        "scan CPYTHON_DIR, warm": warm("scan", tree),
        "tasks --json (bundled snapshot), warm": warm("tasks", "--json"),
        "--help": warm("--help"),
        "tui, first frame (bundled snapshot, warm)": tui(False),
    }
    for func in cases.values():  # untimed: .pyc files, the cache
        func()
    tui_seen.clear()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, func in cases.items():
            times[name].append(func())
    ref_wall = statistics.median(w for w, _ in times[next(iter(cases))])
    ref_cpu = statistics.median(c for _, c in times[next(iter(cases))])

    print(f"jit-tracker {sys.version.split()[0]} ({' '.join(jt)}); analyzer on {REF_PYTHON}; "
          f"bytecodes.c {bytecodes.stat().st_size:,} bytes; {repeat} rounds, medians; "
          f"load average {load:.2f} on {os.cpu_count()} CPUs; tracker/ is {lines_of_code():,} lines")
    width = max(len(n) for n in cases) + 2
    print(f"  {'':<{width}}  {'wall':>9} {'ratio':>6}   {'cpu':>9} {'ratio':>6}")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        cpu_text = f"{cpu * 1000:6.1f} ms {cpu / ref_cpu:5.2f}x" if cpu else f"{'—':>9} {'':>6}"
        print(f"  {name:<{width}}  {wall * 1000:6.1f} ms {wall / ref_wall:5.2f}x   {cpu_text}")
    table = statistics.median(t for _, t in tui_seen)
    print(f"  {'tui, task table shown (bundled snapshot, warm)':<{width}}  {table * 1000:6.1f} ms "
          f"{table / ref_wall:5.2f}x")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
