"""Options and output shared by commands: where sources come from, how lists print.

Every command module imports this one to build its parser, so it imports nothing at
the top but the standard library's light modules: a command pays for YAML, rich, the
parser or the rules only when it uses them (``--help`` and ``--version`` use none).
"""

from __future__ import annotations

import argparse
import sys
from ..errors import UsageError

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any, Callable, Sequence

    from .. import sources
    from ..tasks import TaskSet


def add_source_args(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """The one convention: CPYTHON_DIR, or --bytecodes FILE [--optimizer FILE]."""
    parser.add_argument(
        "cpython_dir", nargs=None if required else "?", metavar="CPYTHON_DIR",
        help="a CPython checkout" + ("" if required else " (default: the bundled snapshot)"),
    )
    parser.add_argument("--bytecodes", metavar="FILE", help="Python/bytecodes.c to read")
    parser.add_argument("--optimizer", metavar="FILE", help="Python/optimizer_bytecodes.c to read")
    parser.add_argument("--no-cache", dest="use_cache", action="store_false",
                        help="scan again even when these sources were scanned before (and store nothing)")


def source_set(args: argparse.Namespace) -> "sources.SourceSet | None":
    """The sources named on the command line, or None when none were named."""
    from .. import sources

    if args.bytecodes:
        if args.cpython_dir:
            raise UsageError("give either CPYTHON_DIR or --bytecodes, not both")
        return sources.from_files(args.bytecodes, args.optimizer)
    if args.optimizer:
        raise UsageError("--optimizer needs --bytecodes FILE as well")
    if args.cpython_dir:
        if use_cache(args):
            from ..scancache import checkout_head

            return sources.from_checkout(args.cpython_dir, head=checkout_head)
        return sources.from_checkout(args.cpython_dir)
    return None


def require_sources(args: argparse.Namespace) -> "sources.SourceSet":
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
    if fmt == "yaml":
        import yaml

        yaml.safe_dump(data, sys.stdout, sort_keys=False, allow_unicode=True)
    elif fmt == "json" or table is None:
        sys.stdout.write(json_text(data))
    else:
        table()


def json_text(data: Any) -> str:
    """``data`` as JSON with one line per top-level key and one per record of a list.

    A task, a revision or a claim is one line, so ``grep`` finds a record whole, and
    the text is made by the json module's C encoder: indenting every level (``indent=2``)
    takes the pure-Python encoder, which costs more than the rest of a listing.
    """
    import json

    if not isinstance(data, dict) or not data:
        return json.dumps(data) + "\n"
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            records = ",\n    ".join(json.dumps(v) for v in value)
            lines.append(f"  {json.dumps(key)}: [\n    {records}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """A rich table on a terminal; plain aligned columns, one line per row, when piped
    (for grep and cut, and without loading rich)."""
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    if not sys.stdout.isatty():
        widths = [max([len(h)] + [len(r[i]) for r in cells if i < len(r)]) for i, h in enumerate(headers)]
        lines = [title] if title else []
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for i, h in enumerate(headers):
        table.add_column(h, overflow="fold", no_wrap=(i == 0))
    for row in cells:
        table.add_row(*row)
    Console().print(table)


def use_cache(args: argparse.Namespace) -> bool:
    return getattr(args, "use_cache", True)


def scan(args: argparse.Namespace, found: "sources.SourceSet"):
    """A scan of ``found`` (a :class:`tracker.scancache.Result`), from the cache when it can."""
    from .. import scancache

    return scancache.scan(found, use_cache=use_cache(args))


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


def task_set(args: argparse.Namespace, quiet: bool = False) -> "TaskSet":
    """Tasks from the sources on the command line, or from the bundled snapshot.

    Falling back is said in one line on stderr, so that nobody mistakes the
    snapshot's facts for a live scan.
    """
    found = source_set(args)
    weighs = hasattr(args, "stats")  # the command weighs tasks by execution counts
    report = load_report(args) if weighs else None  # a bad report fails before a long scan
    if found is not None:
        ts = scan(args, found).taskset
    else:
        from .. import snapshot

        ts = snapshot.load_bundled(use_cache=use_cache(args))
        if not quiet:
            print(snapshot.bundled_notice(ts), file=sys.stderr)
    if report is not None:
        apply_stats(ts, args, quiet, report)
    return ts
