"""``jit-tracker instructions``: every instruction, its uops, and whether tier 2 runs it."""

from __future__ import annotations

import argparse

from .common import add_format_args, add_source_args, emit, print_table, task_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "instructions", help="list instructions with their uops and tier-2 status",
        description="Every instruction with its uops in order, its family, whether tier 2 "
        "can run it and, when not, why (and whether that is by design).",
    )
    add_source_args(p)
    p.add_argument("--not-tier2", action="store_true", help="only instructions tier 2 cannot run")
    add_format_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ts = task_set(args)
    facts = [f for f in ts.instructions if not (args.not_tier2 and f.get("tier2"))]

    def table() -> None:
        rows = [
            (f["name"], f.get("family") or "", " + ".join(f.get("uops", [])),
             "yes" if f.get("tier2") else ("by design" if f.get("by_design") else "no"),
             f.get("reason") or "")
            for f in facts
        ]
        print_table(["instruction", "family", "uops", "tier 2", "why not"], rows,
                    title=f"{len(facts)} instructions")

    emit({"source": ts.source, "instructions": facts}, args.format, table)
    return 0
