#!/usr/bin/env python3
"""Speed and memory of our scan against CPython's own parser + analyzer, same run.

Ours: reading and parsing Python/bytecodes.c and Python/optimizer_bytecodes.c of the
2025-05 tree and resolving the model (``tracker.model.load``), and the full scan with
task finding (``tracker.rules.scan``) when the rules layer is importable.
Reference: ``parser.parse_files`` + ``analyzer.analyze_forest`` of ~/ref/gen-2025-05
on the same bytecodes.c (it never reads the optimizer file, so ours does more work).

Both run in this process on this interpreter, interleaved, several times; the best
and median times are printed with the ratio (target: ours <= 1/10 of the reference).
Memory (target < 100 MB): the tracemalloc peak of one scan, and the peak RSS of a
fresh process that imports the package and runs one scan. Skips (exit 0) when the
references are absent; exits 1 when a target is missed.

    .venv/bin/python benchmarks/bench_scan.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF_GEN = Path(os.environ.get("JIT_TRACKER_REF_GEN", "~/ref/gen-2025-05")).expanduser()
REF_SRC = Path(os.environ.get("JIT_TRACKER_REF_CPYTHON", "~/ref/cpython-2025-05")).expanduser()
BYTECODES = REF_SRC / "Python" / "bytecodes.c"
OPTIMIZER = REF_SRC / "Python" / "optimizer_bytecodes.c"
REF_MODULES = ("parser", "parsing", "lexer", "plexer", "analyzer", "cwriter", "stack",
               "_typing_backports")

sys.path.insert(0, str(ROOT))


def load_reference():
    """Import the reference parser and analyzer without leaving them in sys.modules."""
    saved = {name: sys.modules.pop(name) for name in REF_MODULES if name in sys.modules}
    sys.path.insert(0, str(REF_GEN))
    try:
        import analyzer  # noqa: E402
        import parser  # noqa: E402
    finally:
        sys.path.remove(str(REF_GEN))
        for name in REF_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
    return parser, analyzer


def our_functions():
    from tracker import model, sources

    def parse_and_model():
        return model.load(sources.from_files(str(BYTECODES), str(OPTIMIZER)))

    funcs = {"ours: parse + model (both files)": parse_and_model}
    try:
        from tracker import rules
        if callable(getattr(rules, "scan", None)):
            funcs["ours: full scan with tasks (rules.scan)"] = (
                lambda: rules.scan(sources.from_files(str(BYTECODES), str(OPTIMIZER))))
    except ImportError as exc:
        print(f"note: tracker.rules not importable ({exc}); timing parse + model only")
    return funcs


def timed(func) -> float:
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def child_peak_rss(func_name: str) -> float:
    """Peak RSS in MB of a fresh interpreter that imports tracker and runs one scan."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
sys.argv = [{__file__!r}]
import importlib.util
spec = importlib.util.spec_from_file_location("bench_scan", {__file__!r})
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
mod.our_functions()[{func_name!r}]()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kb = int(out.stdout.split()[-1])
    return kb / 1024 if sys.platform != "darwin" else kb / (1024 * 1024)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed runs of each (default 7)")
    args = ap.parse_args(argv)

    if not (REF_GEN / "analyzer.py").is_file() or not BYTECODES.is_file():
        print(f"skip: reference not found ({REF_GEN}, {BYTECODES}); nothing measured")
        return 0

    ref_parser, ref_analyzer = load_reference()
    ours = our_functions()

    def reference():
        return ref_analyzer.analyze_forest(ref_parser.parse_files([str(BYTECODES)]))

    # one untimed run of each: imports, compiled regular expressions, file cache
    for f in ours.values():
        f()
    reference()

    times: dict[str, list[float]] = {name: [] for name in ours}
    times["reference: parse_files + analyze_forest (bytecodes.c)"] = []
    for _ in range(args.repeat):  # interleaved so that drift hits both alike
        for name, f in ours.items():
            times[name].append(timed(f))
        times["reference: parse_files + analyze_forest (bytecodes.c)"].append(timed(reference))

    print(f"python {sys.version.split()[0]}, {args.repeat} runs each; "
          f"bytecodes.c {BYTECODES.stat().st_size:,} bytes, "
          f"optimizer_bytecodes.c {OPTIMIZER.stat().st_size:,} bytes")
    width = max(len(n) for n in times)
    for name, ts in times.items():
        print(f"  {name:<{width}}  best {min(ts) * 1000:8.1f} ms   median {statistics.median(ts) * 1000:8.1f} ms")

    ref_best = min(times["reference: parse_files + analyze_forest (bytecodes.c)"])
    ok = True
    for name in ours:
        ratio = min(times[name]) / ref_best
        verdict = "ok" if ratio <= 0.10 else "MISSED"
        ok &= ratio <= 0.10
        print(f"  ratio {name.split(': ', 1)[1]} / reference = {ratio:.3f} "
              f"(1/{1 / ratio:.0f}; target <= 0.10) {verdict}")

    headline = list(ours)[-1]
    tracemalloc.start()
    ours[headline]()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = child_peak_rss(headline)
    mem_ok = peak / 1e6 < 100 and rss < 100
    ok &= mem_ok
    print(f"  memory of {headline.split(': ', 1)[1]}: tracemalloc peak {peak / 1e6:.1f} MB; "
          f"peak RSS of a fresh process doing it {rss:.1f} MB (target < 100 MB) "
          f"{'ok' if mem_ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
