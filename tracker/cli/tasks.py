"""``jit-tracker tasks``: what is not yet JIT-friendly, filtered, with recipes."""

from __future__ import annotations

import argparse

from .. import graph
from ..tasks import DIFFICULTIES, KINDS, STATUSES
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
    p.add_argument("--state", metavar="PATH",
                   help="state file whose claims and pull requests are shown (default: $JIT_TRACKER_STATE, "
                   "else the user data directory)")
    add_format_args(p)
    p.set_defaults(func=run)


def select(ts, args: argparse.Namespace) -> list:
    ready = graph.ready(ts)
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
    ts = task_set(args)
    chosen = select(ts, args)
    ready = graph.ready(ts)

    def table() -> None:
        rows = [
            (t.id, t.status + (" (ready)" if t.id in ready else ""), t.difficulty,
             ", ".join(t.instructions[:3]) + (" ..." if len(t.instructions) > 3 else ""),
             f"{_short(t.file)}:{t.line}" if t.file else "")
            for t in chosen
        ]
        print_table(["id", "status", "difficulty", "instructions", "where"], rows,
                    title=f"{len(chosen)} of {len(ts.tasks)} tasks")

    claims, pulls, checklist = campaign_state(args.state)
    data = {"source": ts.source, "tasks": []}
    for t in chosen:
        item = t.to_json()
        item["ready"] = t.id in ready
        claim = claims.get(t.id)
        item["claim"] = claim.to_json() if claim is not None else None
        item["pull_request"] = pulls.get(t.id)
        item["tracking"] = checklist.get(t.id)  # what an adopted tracking issue says: done, not planned
        data["tasks"].append(item)
    emit(data, args.format, table)
    return 0


def campaign_state(path: str | None) -> tuple[dict, dict, dict]:
    """Claims, pull requests and tracking-checklist marks from the state ({} when unreadable)."""
    import sys

    from ..errors import TrackerError
    from ..store import Store

    store = Store(path)
    try:
        return store.claims(), store.pulls(), store.checklist()
    except TrackerError as exc:
        print(f"jit-tracker: warning: claims not shown: {exc.message}", file=sys.stderr)
        return {}, {}, {}


def _short(path: str | None) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else ""
