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
    p.add_argument("--ready", action="store_true",
                   help="only open tasks whose prerequisites are done and that nobody claims "
                   "(a stale claim does not count)")
    p.add_argument("--id", dest="ids", action="append", metavar="TASK_ID", help="only this task (repeatable)")
    p.add_argument("--sort", choices=SORTS, default="share",
                   help="share: heaviest first, ties ready/easy first (default); id; source: scan order")
    add_stats_args(p)
    p.add_argument("--state", metavar="PATH",
                   help="state file whose claims and pull requests are shown (default: $JIT_TRACKER_STATE, "
                   "else the user data directory)")
    add_format_args(p)
    p.set_defaults(func=run)


def select(ts, args: argparse.Namespace, ready: set[str], taken: frozenset[str] | set[str] = frozenset()) -> list:
    """The tasks the filters let through; ``taken``: ids someone holds a live claim on."""
    if args.ids:
        known = {t.id for t in ts.tasks}
        unknown = [i for i in args.ids if i not in known]
        if unknown:
            import difflib

            from ..errors import UsageError
            from ..text import clean

            close = difflib.get_close_matches(unknown[0], sorted(known), n=3)
            raise UsageError(f"unknown task {clean(unknown[0])!r}",
                             hint=("did you mean " + ", ".join(close) + "?") if close
                             else "list the tasks with 'jit-tracker tasks'")
    out = []
    for t in ts.tasks:
        if args.kind and t.kind not in args.kind:
            continue
        if args.status and t.status not in args.status:
            continue
        if args.difficulty and t.difficulty not in args.difficulty:
            continue
        if args.ready and (t.id not in ready or t.id in taken):
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
    claims, pulls, checklist, stale = campaign_state(args.state)
    # a live claim or a pull request in review: nobody else should start it
    taken = ({task_id for task_id in claims if task_id not in stale}
             | {task_id for task_id, pr in pulls.items() if pr.get("state") == "open"})
    chosen = ordered(select(ts, args, ready, taken), ready, args.sort)

    def table() -> None:
        print_table(*task_table(ts, chosen, ready, claims, stale, pulls, args.sort))

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


def task_table(ts, chosen: list, ready: set[str], claims: dict, stale: set[str],
               pulls: dict | None = None, sort: str = "share") -> tuple:
    """Columns, rows and title of the tasks table. On a narrow terminal the least needed
    columns give way first (where, instructions, share, ...); the id is cut last."""
    from ..stats import NO_COUNTS, format_share
    from ..text import clip
    from .table import Column

    weighed = ts.stats is not None
    on_terminal = sys.stdout.isatty()
    none = "–" if on_terminal else NO_COUNTS  # a narrow column; the title says what it means

    def status(t) -> str:
        if on_terminal:
            return "ready" if t.id in ready else t.status
        return t.status + (" (ready)" if t.id in ready else "")

    def claimed(t) -> str:
        """Who is on it and what is in review: "@ana (comment, 3 days ago), in review #N"."""
        from ..campaign.labels import claim_label, pull_label

        claim, pr = claims.get(t.id), (pulls or {}).get(t.id)
        parts = []
        if claim is not None:
            # a name from a hand-edited state file may be any length: cut, even piped
            by = clip(str(claim.by), 40)
            local = (claim.source or "local") == "local"
            # on a terminal a claim made here is just its name (the column is narrow)
            label = by if on_terminal and local else claim_label(by, claim.source, claim.since)
            parts.append(("stale: " if t.id in stale else "") + label)
        if pr:
            parts.append(pull_label(pr))
        return ", ".join(parts)  # print_table escapes every cell

    columns = [Column("id", keep=0, min=24),
               *([Column("share", keep=4, right=True)] if weighed else []),
               Column("status", keep=2), Column("difficulty" if not on_terminal else "diff", keep=3),
               Column("claimed by", keep=1, min=10, hide_empty=True),
               Column("instructions", keep=5, min=14), Column("where", keep=6)]
    rows = [
        (t.id, *([(format_share(t.weight) if t.weight else none if t.weight is not None else "")]
                 if weighed else []),
         status(t), t.difficulty, claimed(t),
         ", ".join(t.instructions[:3]) + (" ..." if len(t.instructions) > 3 else ""),
         f"{_short(t.file)}:{t.line}" if t.file else "")
        for t in chosen
    ]
    title = f"{len(chosen)} of {len(ts.tasks)} tasks"
    if weighed:
        order = {"share": "heaviest first by", "id": "by id; shares from", "source": "in scan order; shares from"}
        title += (f", {order.get(sort, 'shares from')} {ts.stats['label']} (– no execution counts)" if on_terminal
                  else f", by share of executed work ({ts.stats['describe']})")
    return columns, rows, title


def campaign_state(path: str | None) -> tuple[dict, dict, dict, set]:
    """Claims, pull requests, tracking-checklist marks and the ids of stale claims from the
    state ({} when unreadable, with a warning on stderr)."""
    from ..errors import TrackerError
    from ..store import Store, _claims_of

    store = Store(path)
    try:
        state = store.load()  # once: claims, pulls and checklist are parts of one file
        claims = _claims_of(state)
        if claims:
            store.stale_days = store.stale_days  # read once, not once a claim
        stale = {task_id for task_id, c in claims.items() if store.is_stale(c)} if claims else set()
        return (claims, {k: dict(v) for k, v in state["pulls"].items()},
                {k: dict(v) for k, v in state["checklist"].items()}, stale)
    except TrackerError as exc:
        from ..text import clean

        print(f"jit-tracker: warning: claims not shown: {clean(exc.message)}", file=sys.stderr)
        return {}, {}, {}, set()


def _short(path: str | None) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else ""
