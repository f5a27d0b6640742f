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
        "not seen before are downloaded. Uses $GITHUB_TOKEN when set (60 requests an hour "
        "without one).",
    )
    add_github_args(p, default="python/cpython@main")
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

    def table() -> None:
        print(f"updated: {line}")
        print(summary)

    emit(data, args.format, table)
    return 0
