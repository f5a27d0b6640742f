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
    """The one convention: CPYTHON_DIR, --bytecodes FILE [--optimizer FILE], or --github."""
    parser.add_argument(
        "cpython_dir", nargs=None if required else "?", metavar="CPYTHON_DIR",
        help="a CPython checkout" + ("" if required else " (default: the newest data at hand)"),
    )
    parser.add_argument("--bytecodes", metavar="FILE", help="Python/bytecodes.c to read")
    parser.add_argument("--optimizer", metavar="FILE", help="Python/optimizer_bytecodes.c to read")
    add_github_args(parser)


def add_github_args(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    """--github OWNER/NAME[@REF] and --base-url URL."""
    parser.add_argument(
        "--github", nargs="?", const="python/cpython@main", default=default, metavar="OWNER/NAME[@REF]",
        help="read the definitions from GitHub at REF (alone: python/cpython@main); uses "
        "$GITHUB_TOKEN when set, and the user cache so an unchanged commit downloads nothing",
    )
    parser.add_argument("--base-url", metavar="URL",
                        help="GitHub API URL (GitHub Enterprise: https://HOST/api/v3; "
                        "default https://api.github.com)")


def _github_spec(args: argparse.Namespace):
    """The --github spec, after checking it is the only source named."""
    from ..sources.github import Spec

    if getattr(args, "bytecodes", None) or getattr(args, "cpython_dir", None):
        raise UsageError("give one source: CPYTHON_DIR, --bytecodes FILE or --github, not several")
    base_url = getattr(args, "base_url", None)
    if base_url and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}",
                         hint="for GitHub Enterprise: https://HOST/api/v3")
    return Spec.parse(args.github)


def source_set(args: argparse.Namespace) -> sources.SourceSet | None:
    """The sources named on the command line, or None when none were named.

    With --github this reads GitHub (or the cache); failures are
    :class:`tracker.sources.github.Unavailable`, which :func:`task_set` turns into a fallback.
    """
    if getattr(args, "github", None):
        from ..sources import github

        return github.fetch(_github_spec(args), base_url=args.base_url)
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
            hint="pass a CPython checkout as CPYTHON_DIR, --bytecodes FILE [--optimizer FILE], "
            "or --github OWNER/NAME[@REF]",
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


def say(line: str) -> None:
    print(line, file=sys.stderr)


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


def task_set(args: argparse.Namespace, quiet: bool = False, report=None):
    """Tasks from the sources on the command line, else the newest data at hand.

    What is shown is always said in one line on stderr (origin, revision, date, age), so
    nobody mistakes an old snapshot for today's CPython. When --github cannot be read,
    the line says why and what is shown instead (the last live scan, else the bundled
    snapshot); only when nothing can be shown is it an error. ``report`` is told the
    progress of reading GitHub. Commands that weigh tasks get the execution counts too.
    """
    weighs = hasattr(args, "stats")  # the command weighs tasks by execution counts
    counts = load_report(args) if weighs else None  # a bad report fails before a long scan
    ts = tasks_at_hand(args, quiet, report)
    if counts is not None:
        apply_stats(ts, args, quiet, counts)
    return ts


def tasks_at_hand(args: argparse.Namespace, quiet: bool = False, report=None):
    """:func:`task_set` without the execution counts."""
    from .. import livescan, rules
    from ..provenance import describe

    tell = (lambda line: None) if quiet else say
    if getattr(args, "github", None):
        from ..sources import github

        spec = _github_spec(args)
        try:
            found = github.fetch(spec, base_url=args.base_url, report=report)
        except github.Unavailable as exc:
            ts, notices = livescan.fallback()
            for n in notices:
                tell(n)
            tell(f"jit-tracker: {exc.what}; showing {describe(ts.source)} instead")
            ts.source["unavailable"] = exc.what
            return ts
        ts, _previous = livescan.scan(found)
        tell(f"jit-tracker: {describe(ts.source)}")
        return ts
    found = source_set(args)
    if found is not None:
        ts = rules.scan(found)
        tell(f"jit-tracker: {describe(ts.source)}")
        return ts
    ts, notices = livescan.newest()
    for n in notices:
        tell(n)
    if ts.source.get("snapshot") == "bundled":
        from .. import snapshot

        tell(snapshot.bundled_notice(ts))
    else:
        tell(f"jit-tracker: {describe(ts.source)}; no CPYTHON_DIR given")
    return ts
