"""Time ``jit-tracker history`` on a 1,000-revision repository of made-up definitions.

    .venv/bin/python benchmarks/bench_history.py [--revisions 1000] [--ops 300] [--jobs N]

Builds (with ``git fast-import``, in a temporary directory) a repository whose every
revision changes Python/bytecodes.c: ops are converted a few at a time, the optimizer
file grows every fifth revision, and every hundredth revision does not parse. Then runs
the real command twice, cold (empty cache) and warm (nothing new), and prints the times
against the targets (cold < 60 s on 2 cores, warm < 2 s), and the cold walk against a
reference measured in the same run: one scan of a version, times the revisions, over
the cores (what a perfectly parallel walk would take).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gitrepo import optimizer, real_bytecodes  # noqa: E402
from tracker import history, rules  # noqa: E402
from tracker.tasks import TaskSet  # noqa: E402
from tracker.sources import SourceSet, SourceText  # noqa: E402

AUTHORS = ["Ada Lovelace", "Bob Smith", "Cy Young", "Dee Dee", "Eve Ng", "Fay Wu", "Gus Roe"]
COLD_TARGET, WARM_TARGET = 60.0, 2.0


def version(k: int, revisions: int, ops: int) -> tuple[str, str]:
    done = k * ops // revisions
    names = {f"_OP{i:03d}": i < done for i in range(ops)}
    bc = real_bytecodes(names, broken=(k % 100 == 50)).replace(
        "// BEGIN BYTECODES //", f"// revision {k}\n// BEGIN BYTECODES //", 1)
    opt = optimizer([f"_OP{i:03d}" for i in range(min(ops, k // 5))])
    return bc, opt


def build(path: Path, revisions: int, ops: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    chunks: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode()
        chunks.append(b"data %d\n" % len(raw) + raw + b"\n")

    start = 1_735_689_600  # 2025-01-01
    last_opt = None
    for k in range(1, revisions + 1):
        bc, opt = version(k, revisions, ops)
        who = AUTHORS[k % len(AUTHORS)]
        email = who.split()[0].lower() + "@example.org"
        when = start + k * 3600
        chunks.append(f"commit refs/heads/main\nmark :{k}\n"
                      f"author {who} <{email}> {when} +0000\ncommitter {who} <{email}> {when} +0000\n".encode())
        data(f"gh-134584: convert more ops, step {k} (#{10000 + k})\n")
        if k > 1:
            chunks.append(f"from :{k - 1}\n".encode())
        chunks.append(b"M 100644 inline Python/bytecodes.c\n")
        data(bc)
        if opt != last_opt:
            chunks.append(b"M 100644 inline Python/optimizer_bytecodes.c\n")
            data(opt)
            last_opt = opt
        chunks.append(b"\n")
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input=b"".join(chunks), check=True)


def null_scan(srcs: SourceSet) -> TaskSet:
    """No rules at all: what the walk itself (git, blobs, processes, cache) costs."""
    return TaskSet({}, [])


def run_history(repo: Path, state: Path, jobs: int | None) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "tracker", "history", str(repo), "--state", str(state), "--json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"history failed:\n{out.stderr}")
    return elapsed, out.stderr.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--revisions", type=int, default=1000)
    ap.add_argument("--ops", type=int, default=300, help="ops per version (CPython has ~330 uops)")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    cores = args.jobs or os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as tmp:
        repo, state = Path(tmp) / "repo", Path(tmp) / "state.yaml"
        t = time.perf_counter()
        build(repo, args.revisions, args.ops)
        print(f"built {args.revisions} revisions x {args.ops} ops in {time.perf_counter() - t:.1f} s")

        bc, opt = version(args.revisions // 2 + 1, args.revisions, args.ops)
        srcs = SourceSet(SourceText("b.c", bc), SourceText("o.c", opt), "bench")
        rules.scan(srcs)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rules.scan(srcs)
            times.append(time.perf_counter() - t)
        one = min(times)  # the least disturbed by other load on the machine
        ideal = one * args.revisions / cores

        t = time.perf_counter()
        history.walk(repo, scanner=null_scan, fingerprint="null", jobs=args.jobs)
        plumbing = time.perf_counter() - t

        cold, cold_summary = run_history(repo, state, args.jobs)
        warm, warm_summary = run_history(repo, state, args.jobs)
        print(f"one scan: {one * 1000:.1f} ms; ideal parallel walk on {cores} core(s): {ideal:.1f} s; "
              f"the walk with a no-op scanner: {plumbing:.1f} s")
        print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} core(s)")
        print(f"cold: {cold:6.2f} s  target {COLD_TARGET:.0f} s  ratio {cold / COLD_TARGET:.2f}  "
              f"vs ideal {cold / ideal:.2f}x   [{cold_summary}]")
        print(f"warm: {warm:6.2f} s  target {WARM_TARGET:.0f} s  ratio {warm / WARM_TARGET:.2f}  "
              f"({cold / warm:.0f}x faster than cold)   [{warm_summary}]")
        ok = cold < COLD_TARGET and warm < WARM_TARGET
        print("targets met" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
