"""``jit-tracker tui``: the interactive front end (Textual).

Argument errors are reported before the screen opens, like every other command;
scanning runs inside the app, in a worker, so the screen shows progress meanwhile.
"""

from __future__ import annotations

import argparse

from .common import add_source_args, add_stats_args, apply_stats, load_report, source_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tui", help="browse, claim and follow tasks in an interactive terminal app",
        description="Open the interactive tracker: the task table with filters and search, each "
        "task's detail (source, recipe, prerequisites, ticket), claims, progress and contributors. "
        "Without CPYTHON_DIR it shows the bundled snapshot.",
    )
    add_source_args(p)
    p.add_argument("--state", metavar="PATH",
                   help="state file for claims (default: $JIT_TRACKER_STATE, else the user data directory)")
    add_stats_args(p)
    p.set_defaults(func=run)


def make_loader(args: argparse.Namespace):
    """A loader for the app: a staged live scan, or the bundled snapshot."""
    found = source_set(args)  # reads the files now: a bad path is a plain CLI error
    counts = load_report(args)  # likewise a bad --stats, before the screen opens

    def live(report):
        from .. import model, rules

        report(f"Parsing {found.bytecodes.name}…", 0.1)
        m = model.load(found)
        report("Finding tasks…", 0.6)
        ts = rules.find_tasks(m)
        if counts is not None:
            report("Weighing tasks by execution counts…", 0.8)
            apply_stats(ts, args, quiet=True, report=counts)
        report("Building the task graph…", 0.9)
        return ts

    def bundled(report):
        from .. import snapshot

        report("Loading the bundled snapshot…", None)
        ts = snapshot.load_bundled()  # the app says it is the snapshot: stderr is the screen
        if counts is not None:
            apply_stats(ts, args, quiet=True, report=counts)
        return ts

    return live if found is not None else bundled


def run(args: argparse.Namespace) -> int:
    from ..store import Store
    from ..tui import run as run_tui

    loader = make_loader(args)
    state = args.state
    return run_tui(loader=loader, store=lambda: Store(state))

