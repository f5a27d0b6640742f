"""``jit-tracker tickets``: render every task as a Markdown ticket for offline review."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers

from . import common

if TYPE_CHECKING:
    from .. import tickets
    from ..tasks import TaskSet


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tickets", help="write one Markdown ticket per task, plus a tracking issue per kind",
        description="Render every task with templates/task.md.j2 (and the tracking issue of each "
        "kind with umbrella.md.j2) into DIR: one Markdown file per task with YAML front matter "
        "(title, labels), exactly what 'sync --apply' would file on GitHub.",
    )
    common.add_source_args(p)
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the tickets into")
    add_render_args(p)
    p.set_defaults(func=run)


def add_render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--template-dir", metavar="DIR",
                   help="use task.md.j2 and umbrella.md.j2 from DIR (default: the bundled templates)")
    p.add_argument("--state", metavar="PATH",
                   help="state file for claims and known issue numbers (default: $JIT_TRACKER_STATE "
                   "or the user data directory)")
    common.add_stats_args(p)


def load_tasks(args: argparse.Namespace) -> "TaskSet":
    """Live scan when sources are given, else the bundled snapshot (the common convention)."""
    return common.task_set(args)


def store_links(state: str | None) -> "tickets.Links":
    """Issue numbers and claimers the local state knows, for links in rendered tickets."""
    from .. import tickets
    from ..store import Store

    store = Store(state)
    numbers = {tid: int(info["number"]) for tid, info in store.issues().items() if info.get("number")}
    claimers = {tid: c.by for tid, c in store.claims().items()}
    tracking = {k: int(v) for k, v in ((store.get_setting("github") or {}).get("tracking") or {}).items()}
    return tickets.Links(numbers, claimers, tracking, store.pulls())


def run(args: argparse.Namespace) -> int:
    from .. import tickets

    renderer = tickets.Renderer(args.template_dir)  # a bad template dir fails before the scan
    taskset = load_tasks(args)
    written = tickets.write_tickets(taskset, args.out, renderer, store_links(args.state))
    trackers = [p.name for p in written if p.name.startswith("umbrella")]
    print(f"wrote {len(written) - len(trackers)} task tickets and {len(trackers)} tracking issue(s) "
          f"({', '.join(trackers)}) to {args.out}")
    return 0
