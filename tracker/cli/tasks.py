"""``jit-tracker tasks``: what is not yet JIT-friendly, filtered, with recipes."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..kinds import DIFFICULTIES, KINDS, STATUSES
from .common import add_format_args, add_source_args, add_stats_args, emit, print_table, task_set

SORTS = ("share", "id", "source")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tasks", help="list the tasks found in the sources",
        description="List refcount, optimizer, tier2, helper and split tasks with their "
        "status, difficulty and recipe, heaviest first: by the share of executed uops (or "
        "instructions) their subject accounts for in a pystats report, then ready before "
        "waiting, easy before hard. Without CPYTHON_DIR, the bundled snapshot is used.",
    )
    add_source_args(p)
    p.add_argument("--kind", choices=KINDS, action="append", help="only tasks of this kind (repeatable)")
    p.add_argument("--status", choices=STATUSES, action="append", help="only tasks with this status (repeatable)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, action="append", help="only this difficulty (repeatable)")
    p.add_argument("--ready", action="store_true", help="only open tasks whose prerequisites are done")
    p.add_argument("--id", dest="ids", action="append", metavar="TASK_ID", help="only this task (repeatable)")
    p.add_argument("--sort", choices=SORTS, default="share",
                   help="share: heaviest first, ties ready/easy first (default); id; source: scan order")
    add_stats_args(p)
    p.add_argument("--state", metavar="PATH",
                   help="state file whose claims and pull requests are shown (default: $JIT_TRACKER_STATE, "
                   "else the user data directory)")
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


def ordered(tasks: list, ready: set[str], sort: str) -> list:
    from ..tasks import priority_key

    if sort == "source":
        return list(tasks)
    if sort == "id":
        return sorted(tasks, key=lambda t: t.id)
    return sorted(tasks, key=priority_key(ready))


def run(args: argparse.Namespace) -> int:
    from ..graph import ready as ready_ids

    ts = task_set(args)
    ready = ready_ids(ts)
    chosen = ordered(select(ts, args, ready), ready, args.sort)

    def table() -> None:
        from ..stats import NO_COUNTS, format_share

        weighed = ts.stats is not None
        known = shown_claims(args.state)  # who is on it: "@ana (comment, 3 days ago)", "in review #N"
        rows = [
            (t.id, *([(format_share(t.weight) if t.weight else NO_COUNTS if t.weight is not None else "")]
                     if weighed else []),
             t.status + (" (ready)" if t.id in ready else ""), t.difficulty,
             *([known.get(t.id, "")] if known else []),
             ", ".join(t.instructions[:3]) + (" ..." if len(t.instructions) > 3 else ""),
             f"{_short(t.file)}:{t.line}" if t.file else "")
            for t in chosen
        ]
        title = f"{len(chosen)} of {len(ts.tasks)} tasks"
        if ts.stats is not None:
            title += f", by share of executed work ({ts.stats['describe']})"
        print_table(["id", *(["share"] if weighed else []), "status", "difficulty", *(["who"] if known else []),
                     "instructions", "where"], rows, title=title)

    claims, pulls, checklist = campaign_state(args.state) if args.format != "table" else ({}, {}, {})
    data: dict[str, Any] = {"source": ts.source, "tasks": []}
    if ts.stats is not None:
        data["stats"] = ts.stats
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


def shown_claims(path: str | None) -> dict[str, str]:
    """Per task, who is on it or which pull request is in review, for the table; {} without
    a state file (then nothing is read: a first listing stays fast)."""
    import os

    from ..paths import state_path

    if not os.path.exists(path or state_path()):
        return {}
    import re

    from ..campaign.labels import claim_label, pull_label

    def clean(text: str) -> str:  # logins come from GitHub: no control characters on the terminal
        return re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", text)

    claims, pulls, _ = campaign_state(path)
    out = {t: clean(claim_label(c.by, c.source, c.since)) for t, c in claims.items()}
    for t, pr in pulls.items():
        label = pull_label(pr)
        out[t] = f"{out[t]}, {label}" if t in out and not out[t].startswith(f"@{pr.get('author')} (pull") else label
    return out


def campaign_state(path: str | None) -> tuple[dict, dict, dict]:
    """Claims, pull requests and tracking-checklist marks from the state ({} when unreadable,
    with a warning on stderr)."""
    from ..errors import TrackerError
    from ..store import Store, _claims_of

    store = Store(path)
    try:
        state = store.load()  # once: claims, pulls and checklist are parts of one file
        return (_claims_of(state), {k: dict(v) for k, v in state["pulls"].items()},
                {k: dict(v) for k, v in state["checklist"].items()})
    except TrackerError as exc:
        print(f"jit-tracker: warning: claims not shown: {exc.message}", file=sys.stderr)
        return {}, {}, {}


def _short(path: str | None) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else ""
