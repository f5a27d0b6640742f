"""Options and output shared by commands: where sources come from, how lists print."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Sequence

import yaml

from .. import sources
from ..errors import UsageError


def add_source_args(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """The one convention: CPYTHON_DIR, or --bytecodes FILE [--optimizer FILE]."""
    parser.add_argument(
        "cpython_dir", nargs=None if required else "?", metavar="CPYTHON_DIR",
        help="a CPython checkout" + ("" if required else " (default: the bundled snapshot)"),
    )
    parser.add_argument("--bytecodes", metavar="FILE", help="Python/bytecodes.c to read")
    parser.add_argument("--optimizer", metavar="FILE", help="Python/optimizer_bytecodes.c to read")


def source_set(args: argparse.Namespace) -> sources.SourceSet | None:
    """The sources named on the command line, or None when none were named."""
    if args.bytecodes:
        if args.cpython_dir:
            raise UsageError("give either CPYTHON_DIR or --bytecodes, not both")
        return sources.from_files(args.bytecodes, args.optimizer)
    if args.optimizer:
        raise UsageError("--optimizer needs --bytecodes FILE as well")
    if args.cpython_dir:
        return sources.from_checkout(args.cpython_dir)
    return None


def require_sources(args: argparse.Namespace) -> sources.SourceSet:
    found = source_set(args)
    if found is None:
        raise UsageError(
            "no CPython sources given",
            hint="pass a CPython checkout as CPYTHON_DIR, or --bytecodes FILE [--optimizer FILE]",
        )
    return found


def add_format_args(parser: argparse.ArgumentParser, choices: Sequence[str] = ("table", "json", "yaml")) -> None:
    parser.add_argument("--format", choices=list(choices), default="table",
                        help="output format (default: table)")
    parser.add_argument("--json", dest="format", action="store_const", const="json",
                        help="shorthand for --format json")


def emit(data: Any, fmt: str, table: Callable[[], None] | None = None) -> None:
    """Print ``data`` as JSON or YAML, or call ``table`` for the human format."""
    if fmt == "json":
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif fmt == "yaml":
        yaml.safe_dump(data, sys.stdout, sort_keys=False, allow_unicode=True)
    elif table is not None:
        table()
    else:
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """A rich table on a terminal, plain aligned columns when piped."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # piped: keep rows on one line where possible
    table = Table(title=title, show_lines=False, header_style="bold")
    for i, h in enumerate(headers):
        table.add_column(h, overflow="fold", no_wrap=(i == 0))
    for row in rows:
        table.add_row(*["" if c is None else str(c) for c in row])
    console.print(table)


def add_stats_args(parser: argparse.ArgumentParser) -> None:
    """--stats FILE|URL (a pystats report) or --no-stats; the bundled report by default."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--stats", metavar="FILE|URL",
                       help="execution counts to weigh tasks by: a pystats Markdown report or "
                       "summarize_stats JSON, as a file or URL (default: the bundled report)")
    group.add_argument("--no-stats", dest="stats", action="store_const", const="",
                       help="do not weigh tasks by execution counts")


def load_report(args: argparse.Namespace):
    """The pystats report ``--stats`` names, the bundled one by default, None with --no-stats."""
    choice = getattr(args, "stats", None)
    if choice == "":
        return None
    from .. import stats

    return stats.load(choice) if choice else stats.load_bundled()


def apply_stats(ts, args: argparse.Namespace, quiet: bool = False, report=None):
    """Weigh the tasks by the report ``--stats`` names (the bundled one by default).

    Says on stderr how many tasks the report did not cover; returns the task set.
    """
    from .. import stats

    report = report or load_report(args)
    if report is None:
        return ts
    choice = getattr(args, "stats", None)
    coverage = stats.weigh(ts.tasks, report)
    ts.stats = {"label": report.label, "describe": report.describe(), "suite": report.suite,
                "origin": "bundled" if not choice else report.origin,
                "provenance": dict(report.provenance),
                "covered": coverage.covered, "tasks": coverage.total}
    notice = coverage.notice(report, ts.source.get("python_version"))
    if notice and not quiet:
        print(notice, file=sys.stderr)
    return ts


def task_set(args: argparse.Namespace, quiet: bool = False):
    """Tasks from the sources on the command line, or from the bundled snapshot.

    Falling back is said in one line on stderr, so that nobody mistakes the
    snapshot's facts for a live scan.
    """
    from .. import rules, snapshot

    found = source_set(args)
    weighs = hasattr(args, "stats")  # the command weighs tasks by execution counts
    report = load_report(args) if weighs else None  # a bad report fails before a long scan
    if found is not None:
        ts = rules.scan(found)
    else:
        ts = snapshot.load_bundled()
        if not quiet:
            print(snapshot.bundled_notice(ts), file=sys.stderr)
    if report is not None:
        apply_stats(ts, args, quiet, report)
    return ts
