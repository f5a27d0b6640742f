"""Time ``jit-tracker history``: over the real CPython mirror, or a made-up repository.

    .venv/bin/python benchmarks/bench_history.py [--mirror PATH] [--since 2022-11-01] [--jobs 2]
    .venv/bin/python benchmarks/bench_history.py --synthetic [--revisions 1000] [--ops 300]

Real mode (the default): walks main of a CPython clone or bare mirror (``--mirror``,
else ``$CPYTHON_MIRROR``, else ``~/cpython-mirror/cpython.git``) since 2022-11, as a
user would: the command line in a process of its own, with an empty cache and state
(cold), then again with nothing new (warm, the median of ``--warm-runs``). It prints
wall-clock and CPU time (the command's and its workers'), the load average around each
run, and the revisions walked. Without a clone it says so and exits 0.

On a shared machine the wall-clock times depend on the other load: CPU time over the
cores is the estimate of an idle machine, and both are printed.

Synthetic mode builds (with ``git fast-import``, in a temporary directory) a repository
whose every revision changes Python/bytecodes.c: ops are converted a few at a time, the
optimizer file grows every fifth revision, and every hundredth revision does not parse;
then it times a cold and a warm walk the same way, against a reference measured in the
same run (one scan times the revisions over the cores).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
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
COLD_TARGET, WARM_TARGET = 60.0, 2.0  # seconds on 2 cores (issue #16.6: cold "well under a minute or two")
DEFAULT_MIRROR = "~/cpython-mirror/cpython.git"


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


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for children and theirs
    return r.ru_utime + r.ru_stime


def run_history(repo: Path, state: Path, jobs: int | None, since: str | None = None,
                env: dict | None = None) -> tuple[float, float, str]:
    """(wall-clock s, CPU s, the command's summary line) of one ``history`` run."""
    cmd = [sys.executable, "-m", "tracker", "history", str(repo), "--state", str(state), "--json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if since:
        cmd += ["--since", since]
    cpu, t = _cpu(), time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed, cpu = time.perf_counter() - t, _cpu() - cpu
    if out.returncode != 0:
        sys.exit(f"history failed:\n{out.stderr}")
    return elapsed, cpu, out.stderr.strip().splitlines()[-1]


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def real(args: argparse.Namespace) -> None:
    mirror = Path(os.path.expanduser(args.mirror or os.environ.get("CPYTHON_MIRROR") or DEFAULT_MIRROR))
    if not mirror.is_dir():
        print(f"skipped: no CPython clone at {mirror} (give --mirror PATH, or run --synthetic)")
        return
    jobs = args.jobs or 2
    cores = os.cpu_count() or 1

    def count(*paths: str) -> int:
        return int(subprocess.run(["git", "-C", str(mirror), "rev-list", "--count", f"--since={args.since}",
                                   "HEAD", "--", *paths], capture_output=True, text=True, check=True).stdout)

    tip = subprocess.run(["git", "-C", str(mirror), "log", "-1", "--format=%h %cs"], capture_output=True,
                         text=True, check=True).stdout.strip()
    print(f"{mirror} at {tip}: since {args.since}, {count('Python/bytecodes.c')} revisions changed "
          f"Python/bytecodes.c, {count('Python/bytecodes.c', 'Python/optimizer_bytecodes.c')} either "
          f"definitions file (history walks those); {jobs} worker(s) on {cores} core(s)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "JIT_TRACKER_CACHE_DIR": str(Path(tmp) / "cache")}
        state = Path(tmp) / "state.yaml"
        before = _load()
        cold, cold_cpu, cold_summary = run_history(mirror, state, jobs, args.since, env)
        print(f"cold: {cold:7.1f} s wall, {cold_cpu:6.1f} s CPU (~{cold_cpu / min(jobs, cores):.1f} s on "
              f"{min(jobs, cores)} idle core(s)); load {before} -> {_load()}   [{cold_summary}]")
        warms = []
        for _ in range(args.warm_runs):
            before = _load()
            wall, cpu, summary = run_history(mirror, state, jobs, args.since, env)
            warms.append((wall, cpu))
            print(f"warm: {wall:7.2f} s wall, {cpu:6.2f} s CPU; load {before} -> {_load()}   [{summary}]")
        warm, warm_cpu = statistics.median(w for w, _ in warms), statistics.median(c for _, c in warms)
        size = sum(p.stat().st_size for p in (Path(tmp) / "cache").glob("history*/*"))
    idle_cold = cold_cpu / min(jobs, cores)
    print(f"median warm {warm:.2f} s wall, {warm_cpu:.2f} s CPU; summaries kept: {size / 1e6:.1f} MB")
    print(f"targets (idle {min(jobs, cores)} cores): cold < {COLD_TARGET:.0f} s: ~{idle_cold:.0f} s "
          f"{'met' if idle_cold < COLD_TARGET else 'MISSED'}; warm < {WARM_TARGET:.0f} s: {warm_cpu:.2f} s CPU "
          f"{'met' if warm_cpu < WARM_TARGET else 'MISSED'}")
    print(f"(wall-clock times were measured with a load average of ~{_load()} on {cores} cores: "
          "other work on the machine makes them pessimistic)")


def synthetic(args: argparse.Namespace) -> None:
    cores = args.jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        repo, state = Path(tmp) / "repo", Path(tmp) / "state.yaml"
        env = {**os.environ, "JIT_TRACKER_CACHE_DIR": str(Path(tmp) / "cache")}
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
        history.walk(repo, scanner=null_scan, fingerprint="null", jobs=args.jobs, use_cache=False)
        plumbing = time.perf_counter() - t

        cold, cold_cpu, cold_summary = run_history(repo, state, args.jobs, env=env)
        warm, warm_cpu, warm_summary = run_history(repo, state, args.jobs, env=env)
        print(f"one scan: {one * 1000:.1f} ms; ideal parallel walk on {cores} core(s): {ideal:.1f} s; "
              f"the walk with a no-op scanner: {plumbing:.1f} s")
        print(f"load average now: {_load()} on {os.cpu_count()} core(s)")
        print(f"cold: {cold:6.2f} s ({cold_cpu:.1f} s CPU)  target {COLD_TARGET:.0f} s  "
              f"vs ideal {cold / ideal:.2f}x   [{cold_summary}]")
        print(f"warm: {warm:6.2f} s ({warm_cpu:.2f} s CPU)  target {WARM_TARGET:.0f} s  "
              f"({cold / warm:.0f}x faster than cold)   [{warm_summary}]")
        ok = cold < COLD_TARGET and warm < WARM_TARGET
        print("targets met" if ok else "TARGET MISSED")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", metavar="PATH", help=f"a CPython clone (default: $CPYTHON_MIRROR or {DEFAULT_MIRROR})")
    ap.add_argument("--since", default="2022-11-01", help="first commit date walked (default: 2022-11-01)")
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--synthetic", action="store_true", help="time a made-up repository instead")
    ap.add_argument("--revisions", type=int, default=1000, help="synthetic: revisions")
    ap.add_argument("--ops", type=int, default=300, help="synthetic: ops per version (CPython has ~330 uops)")
    ap.add_argument("--jobs", type=int, default=None, help="workers (real mode: 2)")
    args = ap.parse_args()
    (synthetic if args.synthetic else real)(args)


if __name__ == "__main__":
    main()
