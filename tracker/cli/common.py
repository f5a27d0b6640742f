"""Options and output shared by commands: where sources come from, how lists print.

Every command module imports this one to build its parser, so it imports nothing at
the top but the standard library's light modules: a command pays for YAML, rich, the
parser or the rules only when it uses them (``--help`` and ``--version`` use none).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..errors import DSLError, UsageError

if TYPE_CHECKING:
    from .. import sources
    from ..tasks import TaskSet


def add_source_args(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """The one convention: CPYTHON_DIR, --bytecodes FILE [--optimizer FILE], or --github."""
    parser.add_argument(
        "cpython_dir", nargs=None if required else "?", metavar="CPYTHON_DIR",
        help="a CPython checkout" + ("" if required else " (default: the newest data at hand)"),
    )
    parser.add_argument("--bytecodes", metavar="FILE", help="Python/bytecodes.c to read")
    parser.add_argument("--optimizer", metavar="FILE", help="Python/optimizer_bytecodes.c to read")
    parser.add_argument("--no-cache", dest="use_cache", action="store_false",
                        help="scan again even when these sources were scanned before (and store nothing)")
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
    from ..github.source import Spec

    if getattr(args, "bytecodes", None) or getattr(args, "cpython_dir", None):
        raise UsageError("give one source: CPYTHON_DIR, --bytecodes FILE or --github, not several")
    base_url = getattr(args, "base_url", None)
    if base_url and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}",
                         hint="for GitHub Enterprise: https://HOST/api/v3")
    return Spec.parse(args.github)


def source_set(args: argparse.Namespace) -> "sources.SourceSet | None":
    """The sources named on the command line, or None when none were named.

    With --github this reads GitHub (or the cache); failures are
    :class:`tracker.github.source.Unavailable`, which :func:`task_set` turns into a fallback.
    """
    if getattr(args, "github", None):
        from ..github import source as github

        return github.fetch(_github_spec(args), base_url=args.base_url)
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
        from .. import git

        return sources.from_checkout(args.cpython_dir, head=git.head)
    return None


def require_sources(args: argparse.Namespace) -> "sources.SourceSet":
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
    if fmt == "yaml" or fmt == "json" or table is None:
        sys.stdout.write(structured_text(data, fmt))
    else:
        table()


def structured_text(data: Any, fmt: str) -> str:
    """``data`` as YAML when ``fmt`` says so, else as JSON (see :func:`json_text`)."""
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return json_text(data)


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


def print_table(headers: Sequence[Any], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """A table fitted to the terminal's width, one line a row; whole when piped (plain
    aligned columns, for grep and cut). Headers are names or :class:`tracker.cli.table.Column`
    (how a column gives way on a narrow terminal); cells are shown escaped."""
    from .table import render

    sys.stdout.write(render(headers, rows, title))


def use_cache(args: argparse.Namespace) -> bool:
    return getattr(args, "use_cache", True)


def scan(args: argparse.Namespace, found: "sources.SourceSet"):
    """A scan of ``found`` (a :class:`tracker.scancache.Result`), from the cache when it can."""
    from .. import scancache

    return scancache.scan(found, use_cache=use_cache(args))


def say(line: str) -> None:
    print(line, file=sys.stderr)


def say_warnings(warnings) -> None:
    """Print the definitions a scan skipped (DSLWarning objects or their JSON), one a line:
    ``file:line:col: warning: message; skipped what``."""
    for w in warnings or ():
        if isinstance(w, dict):
            w = f"{w['file']}:{w['line']}:{w['col']}: warning: {w['message']}; skipped {w['skipped']}"
        from ..text import clean

        say(clean(str(w)))


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


def task_set(args: argparse.Namespace, quiet: bool = False, report=None, found=None) -> "TaskSet":
    """Tasks from the sources on the command line, else the newest data at hand.

    What is shown is always said in one line on stderr (origin, revision, date, age), so
    nobody mistakes an old snapshot for today's CPython. When --github cannot be read,
    the line says why and what is shown instead (the last live scan, else the bundled
    snapshot); only when nothing can be shown is it an error. ``report`` is told the
    progress of reading GitHub. Commands that weigh tasks get the execution counts too.
    ``found`` is the :func:`source_set` of ``args`` when the caller has it already.
    """
    weighs = hasattr(args, "stats")  # the command weighs tasks by execution counts
    counts = load_report(args) if weighs else None  # a bad report fails before a long scan
    ts = tasks_at_hand(args, quiet, report, found)
    if counts is not None:
        apply_stats(ts, args, quiet, counts)
    return ts


def tasks_at_hand(args: argparse.Namespace, quiet: bool = False, report=None, found=None):
    """:func:`task_set` without the execution counts."""
    from ..provenance import describe

    tell = (lambda line: None) if quiet else say
    if getattr(args, "github", None):
        from .. import livescan
        from ..github import source as github

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
        try:
            ts, _previous = livescan.scan(found)
        except DSLError as exc:  # nothing of that tree can be read: show the last good data
            ts, notices = livescan.fallback()
            for n in notices:
                tell(n)
            tell(f"jit-tracker: {describe(found.provenance())} cannot be read; showing "
                 f"{describe(ts.source)} instead")
            tell(str(exc))
            ts.source["unavailable"] = f"{found.provenance().get('repository')} cannot be read"
            return ts
        tell(f"jit-tracker: {describe(ts.source)}")
        say_warnings(ts.source.get("warnings"))
        return ts
    found = found or source_set(args)
    if found is not None:
        ts = scan(args, found).taskset
        tell(f"jit-tracker: {describe(ts.source)}")
        say_warnings(ts.source.get("warnings"))
        return ts
    from .. import livescan

    ts, notices = livescan.newest()
    for n in notices:
        tell(n)
    if ts.source.get("snapshot") == "bundled":
        from .. import snapshot

        tell(snapshot.bundled_notice(ts))
    else:
        tell(f"jit-tracker: {describe(ts.source)}; no CPYTHON_DIR given")
    return ts
