"""``jit-tracker tasks``: what is not yet JIT-friendly, filtered, with recipes."""

from __future__ import annotations

import argparse

from ..kinds import DIFFICULTIES, KINDS, STATUSES
from .common import add_format_args, add_source_args, emit, print_table, task_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tasks", help="list the tasks found in the sources",
        description="List refcount, optimizer, tier2, helper and split tasks with their "
        "status, difficulty and recipe. Without CPYTHON_DIR, the bundled snapshot is used.",
    )
    add_source_args(p)
    p.add_argument("--kind", choices=KINDS, action="append", help="only tasks of this kind (repeatable)")
    p.add_argument("--status", choices=STATUSES, action="append", help="only tasks with this status (repeatable)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, action="append", help="only this difficulty (repeatable)")
    p.add_argument("--ready", action="store_true", help="only open tasks whose prerequisites are done")
    p.add_argument("--id", dest="ids", action="append", metavar="TASK_ID", help="only this task (repeatable)")
    add_format_args(p)
    p.set_defaults(func=run)


def select(ts, args: argparse.Namespace, ready: set[str]) -> list:
    out = []
    for t in ts.tasks:
        if args.kind and t.kind not in args.kind:
            continue
        if args.status and t.status not in args.status:
            continue
        if args.difficulty and t.difficulty not in args.difficulty:
            continue
        if args.ready and t.id not in ready:
            continue
        if args.ids and t.id not in args.ids:
            continue
        out.append(t)
    return out


def run(args: argparse.Namespace) -> int:
    from ..graph import ready as ready_ids

    ts = task_set(args)
    ready = ready_ids(ts)
    chosen = select(ts, args, ready)

    def table() -> None:
        rows = [
            (t.id, t.status + (" (ready)" if t.id in ready else ""), t.difficulty,
             ", ".join(t.instructions[:3]) + (" ..." if len(t.instructions) > 3 else ""),
             f"{_short(t.file)}:{t.line}" if t.file else "")
            for t in chosen
        ]
        print_table(["id", "status", "difficulty", "instructions", "where"], rows,
                    title=f"{len(chosen)} of {len(ts.tasks)} tasks")

    data = {"source": ts.source, "tasks": []}
    for t in chosen:
        item = t.to_json()
        item["ready"] = t.id in ready
        data["tasks"].append(item)
    emit(data, args.format, table)
    return 0


def _short(path: str | None) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else ""
