"""Options and output shared by commands: where sources come from, how lists print.

Every command module imports this one to build its parser, so it imports nothing at
the top but the standard library's light modules: a command pays for YAML, rich, the
parser or the rules only when it uses them (``--help`` and ``--version`` use none).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..errors import UsageError

if TYPE_CHECKING:
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
        import json

        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        table()


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


def use_cache(args: argparse.Namespace) -> bool:
    return getattr(args, "use_cache", True)


def scan(args: argparse.Namespace, found: "sources.SourceSet"):
    """A scan of ``found`` (a :class:`tracker.scancache.Result`), from the cache when it can."""
    from .. import scancache

    return scancache.scan(found, use_cache=use_cache(args))


def task_set(args: argparse.Namespace, quiet: bool = False) -> "TaskSet":
    """Tasks from the sources on the command line, or from the bundled snapshot.

    Falling back is said in one line on stderr, so that nobody mistakes the
    snapshot's facts for a live scan.
    """
    found = source_set(args)
    if found is not None:
        return scan(args, found).taskset
    from .. import snapshot

    ts = snapshot.load_bundled(use_cache=use_cache(args))
    if not quiet:
        print(snapshot.bundled_notice(ts), file=sys.stderr)
    return ts
