#!/usr/bin/env python3
"""Whole-process latency of jit-tracker's commands against CPython's analyzer, same run.

A user waits for a process, not for a function: every figure here is the wall time of a
fresh process, from spawn to exit (or, for the TUI, to its first frame on a terminal),
run the way a user runs it: the ``jit-tracker`` entry point of this interpreter (else
``python -m tracker``). The reference is CPython's own parser + analyzer of the 2025-05
tree run as a process on the same interpreter (``analyzer.analyze_files([bytecodes.c])``).
Runs are interleaved (one of each per round) so that drift hits all alike; medians.

Both sides run with bytecode caching on, as on a user's machine (the reference is copied
to a temporary directory, so its ``__pycache__`` lands there); PYTHONDONTWRITEBYTECODE is
dropped from the children's environment and one untimed run of each warms the caches.
jit-tracker finds its scan cache and state where a user's are found (XDG_CACHE_HOME and
XDG_DATA_HOME, pointed at a temporary directory): "cold" empties the cache before each
run, "warm" keeps the entry of the previous run. What an installation keeps beside its
shipped data (``data/__pycache__``: the parsed rule YAML and bundled snapshot, made once
per installation as ``.pyc`` files are) is kept, as the reference's ``.pyc`` files are.

Targets (issue 11), as ratios to the reference:

    tasks CPYTHON_DIR --json, cold cache   <= 0.25 (an empty cache, and one without
                                                    a scan of these files)
    tasks CPYTHON_DIR --json, warm cache   <= 0.10
    scan CPYTHON_DIR, warm                 <= 0.10
    --version, --help                      <= 0.10
    tui to first frame (bundled snapshot)  <= 1.0

Skips (exit 0) when the reference is absent; exits 1 when a target is missed.

    .venv/bin/python benchmarks/bench_cli.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scan import BYTECODES, REF_GEN, REF_SRC  # noqa: E402  (the same reference)

# The 2025-05 tree's own generator, kept there under another suffix.
REF_GEN_IN_TREE = REF_SRC / "Tools" / "cases_generator"


def reference_dir(tmp: Path) -> Path | None:
    """A temporary copy of the reference generator as .py files, or None when absent."""
    out = tmp / "generator"
    for folder, suffix in ((REF_GEN, ".py"), (REF_GEN_IN_TREE, ".her")):
        if (folder / f"analyzer{suffix}").is_file():
            out.mkdir()
            for f in folder.glob(f"*{suffix}"):
                shutil.copyfile(f, out / (f.stem + ".py"))
            return out
    return None


def our_command() -> list[str]:
    script = Path(sys.executable).with_name("jit-tracker")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tracker"]


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each run, by case


def run_once(argv: list[str], env: dict[str, str], case: str | None = None) -> float:
    """Wall seconds of one process; its CPU seconds are kept under ``case``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err.decode()[-2000:]}")
    if case is not None:
        CPU.setdefault(case, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed


def first_frame(argv: list[str], env: dict[str, str], timeout: float = 30.0) -> tuple[float, float]:
    """Seconds from spawn to the app's first frame on an 80x24 terminal, and to the task
    table showing tasks. The frame is seen in what the process writes to the terminal."""
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
    first = tasks = None
    try:
        while time.perf_counter() - start < timeout and tasks is None:
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
            if first is None and (b"Loading" in seen or b"refcount:" in seen):
                first = now
            if b"refcount:" in seen:
                tasks = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None or tasks is None:
        raise SystemExit(f"no frame within {timeout:.0f} s: {' '.join(argv)}\n{seen[-2000:]!r}")
    return first, tasks


def on_terminal(argv: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from spawn to exit of a command writing to a terminal (80x24)."""
    import fcntl
    import pty
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    if not os.read(fd, 1 << 16):
                        break
                except OSError:  # the child closed the terminal: it has ended
                    break
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed on a terminal: {' '.join(argv)}")
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=15,
                    help="timed runs of each (default 15: this sort of machine varies by 10-15%% from run to run)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        ref_dir = reference_dir(tmp)
        if ref_dir is None or not BYTECODES.is_file():
            print(f"skip: reference not found ({REF_GEN}, {REF_GEN_IN_TREE}, {BYTECODES}); nothing measured")
            return 0
        return measure(args.repeat, ref_dir, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(repeat: int, ref_dir: Path, tmp: Path) -> int:
    load = os.getloadavg()[0]
    unset = {"PYTHONDONTWRITEBYTECODE", "JIT_TRACKER_CACHE_DIR", "JIT_TRACKER_STATE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(XDG_CACHE_HOME=str(tmp / "xdg-cache"), XDG_DATA_HOME=str(tmp / "xdg-data"),
               TERM="xterm-256color", COLUMNS="80", LINES="24")
    cache = tmp / "xdg-cache" / "jit-tracker"
    reference = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import analyzer; "
                 "analyzer.analyze_files([sys.argv[2]])", str(ref_dir), str(BYTECODES)]
    jt = our_command()
    tree = str(REF_SRC)

    names = {"ref": "reference: analyzer.analyze_files(bytecodes.c)",
             "cold": "tasks CPYTHON_DIR --json, cold cache (empty)",
             "new": "tasks CPYTHON_DIR --json, cold (no scan of these files)",
             "warm": "tasks CPYTHON_DIR --json, warm cache",
             "scan": "scan CPYTHON_DIR, warm cache",
             "version": "--version", "help": "--help"}

    def cold() -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return run_once(jt + ["tasks", tree, "--json"], env, names["cold"])

    def new_sources() -> float:  # as after a git pull: rule data and commit dates are kept
        for entry in [*cache.glob("scan-*"), *cache.glob("listing-*")]:  # new blobs: neither applies
            entry.unlink()
        return run_once(jt + ["tasks", tree, "--json"], env, names["new"])

    def ours(*args: str, case: str) -> float:
        return run_once(jt + list(args), env, names[case])

    cases = {
        names["ref"]: (lambda: run_once(reference, env, names["ref"]), None),
        names["cold"]: (cold, 0.25),
        names["new"]: (new_sources, 0.25),
        names["warm"]: (lambda: ours("tasks", tree, "--json", case="warm"), 0.10),
        names["scan"]: (lambda: ours("scan", tree, case="scan"), 0.10),
        names["version"]: (lambda: ours("--version", case="version"), 0.10),
        names["help"]: (lambda: ours("--help", case="help"), 0.10),
    }
    frames: list[tuple[float, float]] = []

    def tui() -> float:
        frames.append(first_frame(jt + ["tui"], env))
        return frames[-1][0]

    cases["tui to first frame (bundled snapshot)"] = (tui, 1.0)
    terminal: list[float] = []

    def scan_on_terminal() -> float:
        terminal.append(on_terminal(jt + ["scan", tree], env))
        return terminal[-1]

    cases["scan CPYTHON_DIR, warm, on a terminal (rich tables)"] = (scan_on_terminal, None)

    for func, _ in cases.values():  # untimed: bytecode caches, the scan cache, the file cache
        func()
    frames.clear()
    terminal.clear()
    CPU.clear()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, (func, _) in cases.items():
            times[name].append(func())
        run_once(jt + ["tasks", tree, "--json"], env)  # the warm cases find the entry again

    ref_name = next(iter(cases))
    ref = statistics.median(times[ref_name])
    ref_cpu = statistics.median(CPU[ref_name])
    print(f"python {sys.version.split()[0]}, {repeat} runs each (medians, whole processes); "
          f"bytecodes.c {BYTECODES.stat().st_size:,} bytes; command: {' '.join(jt)}")
    print(f"load average before: {load:.2f} on {os.cpu_count()} CPUs (the targets are on "
          "wall time; CPU time, user + system, shows what a busy machine adds)")
    width = max(len(n) for n in cases)
    ok = True
    for name, (_, target) in cases.items():
        med = statistics.median(times[name])
        cpu = statistics.median(CPU[name]) if name in CPU else None
        line = f"  {name:<{width}}  wall {med * 1000:7.1f} ms"
        if target is None and name != ref_name:
            line += f" {med / ref:5.3f}x (no target)"
        if target is not None:
            ratio = med / ref
            verdict = "ok" if ratio <= target else "MISSED"
            ok &= ratio <= target
            line += f" {ratio:5.3f}x (target <= {target:.2f}x) {verdict:6}"
        if cpu is not None:
            line += f"  cpu {cpu * 1000:6.1f} ms" + (f" {cpu / ref_cpu:5.3f}x" if target else "")
        print(line)
    shown = statistics.median(t for _, t in frames)
    print(f"  {'tui to the task table (bundled snapshot)':<{width}}  wall {shown * 1000:7.1f} ms "
          f"{shown / ref:5.3f}x (no target)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
