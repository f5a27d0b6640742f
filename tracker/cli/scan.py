"""``jit-tracker scan``: parse a checkout's definitions and summarise what is there."""

from __future__ import annotations

import argparse
import time
from typing import Any

from . import common
from .common import add_format_args, add_source_args, emit, print_table, require_sources


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan", help="parse a CPython checkout and print a summary",
        description="Read Python/bytecodes.c and Python/optimizer_bytecodes.c and print "
        "counts of what they define, and how long reading them took. A scan is kept in the "
        "user cache directory by the files' contents, so a rerun on unchanged files loads "
        "it (--no-cache scans again).",
    )
    add_source_args(p)
    add_format_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import scancache

    start = time.perf_counter()
    srcs = require_sources(args)
    counts, tasks, cached, warnings = scancache.tally(srcs, use_cache=common.use_cache(args))
    elapsed = time.perf_counter() - start
    common.say_warnings(warnings)
    data: dict[str, Any] = {
        "source": {"origin": srcs.origin, "bytecodes": srcs.bytecodes.name,
                   "optimizer": srcs.optimizer.name if srcs.optimizer else None,
                   "revision": srcs.revision},
        "counts": counts,
        "tasks": tasks,
        "seconds": round(elapsed, 4),
        "cached": cached,
        "warnings": warnings,
    }

    def table() -> None:
        rev = f" at {srcs.revision[:12]}" if srcs.revision else ""
        print(f"definitions in {srcs.bytecodes.name}{rev}"
              + (f" and {srcs.optimizer.name}" if srcs.optimizer else ""))
        print_table(["what", "count"], list(data["counts"].items()))
        tc = data["tasks"]
        rows = [(f"{group}: {k}", v) for group in ("kind", "status", "difficulty")
                for k, v in sorted(tc[group].items())]
        rows.append(("ready to start", tc["ready"]))
        print_table(["tasks", "count"], rows, title="tasks (difficulty counts open tasks)")
        how = "loaded from the scan cache" if cached else "scanned"
        print(f"{how} in {elapsed * 1000:.0f} ms")

    emit(data, args.format, table)
    return 0
