"""``jit-tracker graph``: the task dependency graph as DOT, GraphML or JSON."""

from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from .common import add_source_args, task_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph", help="export the task dependency graph",
        description="Export the tasks and their prerequisites (edges run from a "
        "prerequisite to the task waiting for it). Cycles are reported on stderr.",
    )
    add_source_args(p)
    p.add_argument("--format", choices=["dot", "graphml", "json"], default="dot",
                   help="output format (default: dot)")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="shorthand for --format json")
    p.add_argument("--open", action="store_true", help="only open tasks and their prerequisites")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import graph

    ts = task_set(args)
    tasks = ts.tasks
    if args.open:
        keep = {t.id for t in tasks if t.status == "open"}
        keep |= {p for t in tasks if t.id in keep for p in t.prerequisites}
        tasks = [t for t in tasks if t.id in keep]
    g = graph.build_graph(tasks)
    for cycle in graph.cycles(g):
        print("jit-tracker: warning: dependency cycle: " + " -> ".join(cycle + cycle[:1]), file=sys.stderr)
    text = graph.export(g, args.format)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise UsageError(f"{args.out}: cannot write: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0
