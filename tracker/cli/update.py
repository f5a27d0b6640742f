"""``jit-tracker update``: fetch today's CPython from GitHub and say what changed.

The scan becomes the last live scan in the user cache, which every command and the
TUI then use by default (it is newer than the bundled snapshot).
"""

from __future__ import annotations

import argparse
import sys

from ..errors import DSLError
from .common import _github_spec, add_format_args, add_github_args, emit, say, say_warnings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "update", help="fetch CPython's definitions from GitHub and keep the scan for every command",
        description="Read Python/bytecodes.c and Python/optimizer_bytecodes.c from GitHub "
        "(default python/cpython@main), scan them, keep the result in the user cache as the "
        "newest data at hand, and say what changed since the data shown before. Only blobs "
        "not seen before are downloaded. Then read the campaign (the tracking issues of "
        "data/tracking.yaml, their comments and pull requests) into the state, so that a task someone "
        "claimed or has a pull request for is not offered as a first task. Uses $GITHUB_TOKEN when set "
        "(60 requests an hour without one: a first read of python/cpython's campaign fits in them).",
    )
    add_github_args(p, default="python/cpython@main")
    p.add_argument("--state", metavar="PATH",
                   help="state file where the campaign's claims and pull requests are kept (default: "
                   "$JIT_TRACKER_STATE, else the user data directory)")
    p.add_argument("--no-campaign", action="store_true",
                   help="fetch the definitions only, not who works on what")
    p.add_argument("--adopt-followups", action="store_true",
                   help="adopt the follow-up issues the campaign reader finds as their kind's tracking issue")
    add_format_args(p)
    p.set_defaults(func=run, bytecodes=None, cpython_dir=None)


def run(args: argparse.Namespace) -> int:
    from .. import livescan
    from ..provenance import describe
    from ..github import source as github
    from ..changes import by_what, compare, describe as what_changed

    spec = _github_spec(args)
    before, notices = livescan.newest()
    for n in notices:
        say(n)
    progress = (lambda message, fraction: say(f"  {message}")) if sys.stderr.isatty() else None
    try:
        found = github.fetch(spec, base_url=args.base_url, report=progress)
    except github.Unavailable as exc:
        say(f"jit-tracker: {exc.what}; nothing updated, commands keep showing "
            f"{describe(before.source)}" + (f"\n  hint: {exc.hint}" if exc.hint else ""))
        return 1
    try:
        after, _previous = livescan.scan(found)
    except DSLError as exc:  # nothing of the tree could be read: keep what was there
        say(f"jit-tracker: {describe(found.provenance())} cannot be read; nothing updated, "
            f"commands keep showing {describe(before.source)}")
        say(str(exc))
        return 1
    say_warnings(after.source.get("warnings"))
    changes = compare(before, after)
    line = describe(after.source)
    summary = what_changed(changes, before.source.get("date"))
    data = {"provenance": line, "source": after.source, "since": before.source.get("date"),
            "previous": describe(before.source), "summary": summary,
            "changes": by_what(changes)}

    campaign = None if args.no_campaign else read_campaign(args, spec, after, progress)
    if campaign is not None:
        data["campaign"] = campaign.to_json()

    def table() -> None:
        print(f"updated: {line}")
        print(summary)
        if campaign is not None:
            from ..github.reading import describe as campaign_line

            print(campaign_line(campaign, spec.repo))

    emit(data, args.format, table)
    if campaign is not None and campaign.stopped:
        say(f"jit-tracker: the campaign was read in part: {campaign.stopped}")
    return 0


def read_campaign(args: argparse.Namespace, spec, taskset, progress):
    """Who works on what, from the campaign's issues, into the state (None: nothing to read)."""
    from ..errors import TrackerError
    from ..github import reading
    from ..github.source import token_from_env
    from ..store import Store

    try:
        store = Store(args.state)
        return reading.follow(store, taskset, spec.repo, base_url=args.base_url, token=token_from_env(),
                              report=progress, adopt_followups=args.adopt_followups)
    except TrackerError as exc:
        say(f"jit-tracker: the campaign was not read: {exc.message}" + (f"\n  hint: {exc.hint}" if exc.hint else ""))
        return None
