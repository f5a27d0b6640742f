"""``jit-tracker tui``: the interactive front end (Textual).

Argument errors are reported before the screen opens, like every other command;
scanning and reading GitHub run inside the app, in workers, so the first frame never
waits for them and the screen shows progress meanwhile.
"""

from __future__ import annotations

import argparse

from .common import _github_spec, add_source_args, add_stats_args, apply_stats, load_report, source_set


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tui", help="browse, claim and follow tasks in an interactive terminal app",
        description="Open the interactive tracker: the task table with filters and search, each "
        "task's detail (source, recipe, prerequisites, ticket), claims, progress and contributors. "
        "Without CPYTHON_DIR it shows the newest data at hand (the last update from GitHub, else "
        "the bundled snapshot); `u` updates from GitHub.",
    )
    add_source_args(p)
    p.add_argument("--state", metavar="PATH",
                   help="state file for claims (default: $JIT_TRACKER_STATE, else the user data directory)")
    add_stats_args(p)
    p.set_defaults(func=run)


def make_loader(args: argparse.Namespace):
    """A loader for the app: a staged live scan, GitHub, or the newest data at hand."""
    counts = load_report(args)  # a bad --stats is a plain CLI error, before the screen opens

    def weighed(ts):
        return apply_stats(ts, args, quiet=True, report=counts) if counts is not None else ts

    if getattr(args, "github", None):
        _github_spec(args)  # a malformed spec too; the network waits for the app

        def remote(report):
            from . import common

            return weighed(common.tasks_at_hand(args, quiet=True, report=report))

        return remote

    found = source_set(args)  # reads the files now: a bad path is a plain CLI error

    def live(report):
        from .. import scancache

        report(f"Reading {found.bytecodes.name}…", None)
        ts = scancache.scan(found, use_cache=getattr(args, "use_cache", True), report=report).taskset
        if counts is not None:
            report("Weighing tasks by execution counts…", 0.8)
            weighed(ts)
        report("Building the task graph…", 0.9)
        return ts

    def newest(report):
        from . import common

        report("Loading the newest data at hand…", None)
        # quiet: the app says what it shows itself (stderr is the screen)
        return weighed(common.tasks_at_hand(args, quiet=True))

    return live if found is not None else newest


def make_updater(args: argparse.Namespace):
    """What `u` runs in the app: fetch --github's spec (default python/cpython@main) and scan."""
    from ..github.source import Spec

    spec = Spec.parse(getattr(args, "github", None))
    base_url = getattr(args, "base_url", None)
    counts = load_report(args) if hasattr(args, "stats") else None

    state = getattr(args, "state", None)

    def update(report):
        from .. import livescan
        from ..github import source as github

        def part(low: float, high: float):  # the definitions, then the campaign, share the bar
            return lambda message, fraction: report(message, None if fraction is None else low + (high - low) * fraction)
        found = github.fetch(spec, base_url=base_url, report=part(0.0, 0.5))
        report("Finding tasks…", 0.5)
        taskset, previous = livescan.scan(found)
        if counts is not None:
            apply_stats(taskset, args, quiet=True, report=counts)
        read_campaign(taskset, part(0.55, 1.0))
        return taskset, previous

    def read_campaign(taskset, report):
        """Who works on what, kept in the state the app reloads next (a failure leaves the
        definitions updated and says why in the header)."""
        from ..errors import TrackerError
        from ..github import reading
        from ..github.source import token_from_env
        from ..store import Store

        report("Reading who works on what…", 0.0)
        try:
            campaign = reading.follow(Store(state), taskset, spec.repo, base_url=base_url, token=token_from_env(),
                                      report=report)
        except TrackerError as exc:
            update.notes = [f"The campaign was not read: {exc.message}"]
            return
        update.notes = [campaign.stopped] if campaign is not None and campaign.stopped else []

    setattr(update, "notes", [])  # what the app shows after an update (see read_campaign)
    return update


def require_terminal() -> None:
    """The app draws on a terminal and reads keys from it: piped, in cron or CI it would
    draw forever into the pipe. Refuse at once, saying what to use there instead."""
    import sys

    from ..errors import UsageError

    def tty(stream) -> bool:
        return stream is not None and stream.isatty()

    missing = [name for name, ok in (("input", tty(sys.stdin)),
                                     # Textual draws on stderr when stdout is redirected
                                     ("output", tty(sys.stdout) or tty(sys.stderr))) if not ok]
    if missing:
        raise UsageError(f"'tui' needs a terminal, but its {' and '.join(missing)} "
                         f"{'is' if len(missing) == 1 else 'are'} not one (piped, cron or CI?)",
                         hint="run it in a terminal; for scripts use 'jit-tracker tasks' (--json)")


def run(args: argparse.Namespace) -> int:
    from ..tui import run as run_tui

    loader = make_loader(args)  # a bad argument is said first, terminal or not
    updater = make_updater(args)
    require_terminal()
    state = args.state

    def store():  # opened by the app's loading worker, after the first frame
        from ..store import Store

        return Store(state)

    return run_tui(loader=loader, store=store, updater=updater)
