"""``jit-tracker history`` and ``contributors``: the campaign's progress over git history."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

from ..kinds import KINDS
from .claims import open_store
from .common import emit, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history", help="count open and done tasks at every revision of a CPython clone",
        description="Walk the revisions that changed Python/bytecodes.c or "
        "Python/optimizer_bytecodes.c, scan each (results are cached by blob id, so a rerun "
        "only scans what is new), record per revision the open and done tasks of each kind, "
        "and credit each task that went from open to done to that revision's author. "
        "Without CPYTHON_DIR, shows what was recorded last.",
    )
    p.add_argument("cpython_dir", nargs="?", metavar="CPYTHON_DIR", help="a CPython git clone")
    p.add_argument("--since", metavar="DATE", help="only revisions committed on or after DATE (2025-01-31)")
    p.add_argument("--until", metavar="DATE", help="only revisions committed before DATE")
    p.add_argument("--jobs", type=int, metavar="N", help="scan in N processes (default: one per core)")
    p.add_argument("--no-cache", dest="use_cache", action="store_false",
                   help="scan every revision again, reading and writing no scan cache")
    p.add_argument("--mailmap", metavar="FILE",
                   help="a mailmap of your own, read after the clone's .mailmap (see gitmailmap(5))")
    _format_args(p, with_csv=True)
    _state_arg(p)
    p.set_defaults(func=run_history)

    p = sub.add_parser(
        "contributors", help="who finished which tasks, from the recorded history",
        description="List the people whose revisions finished tasks or name a campaign (the "
        "tracking issue a commit names, gh-N), one entry per person: the same name under "
        "several addresses, a GitHub noreply address's login and the clone's .mailmap make "
        "one person. With the tasks, the PR or issue named in the commit, and their first and "
        "latest date. Run 'jit-tracker history CPYTHON_DIR' first to record the walk.",
    )
    p.add_argument("--since", metavar="DATE",
                   help="only revisions committed on or after DATE (a release cycle: its What's New)")
    p.add_argument("--until", metavar="DATE", help="only revisions committed before DATE")
    p.add_argument("--campaign", metavar="KIND|gh-N",
                   help="only the people of one campaign: a kind's tracking issue or an issue number")
    p.add_argument("--whatsnew", nargs="?", const="", metavar="KIND|gh-N",
                   help="print What's New's credit line, '(Contributed by A, B, and C in :gh:`N`.)', "
                   "most tasks first, for one campaign or (without KIND) every tracked one")
    _format_args(p, with_csv=False)
    _state_arg(p)
    p.set_defaults(func=run_contributors)


def _format_args(p: argparse.ArgumentParser, with_csv: bool) -> None:
    choices = ["table", "json", "yaml"] + (["csv"] if with_csv else [])
    p.add_argument("--format", choices=choices, default="table", help="output format (default: table)")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="shorthand for --format json")
    if with_csv:
        p.add_argument("--csv", dest="format", action="store_const", const="csv",
                       help="shorthand for --format csv")


def _state_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state", metavar="PATH",
                   help="state file (default: $JIT_TRACKER_STATE, else the user data directory)")


class _Bar:
    """A rich progress bar on a terminal's stderr, started only when there is something
    to scan."""

    def __init__(self) -> None:
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total == 0 or not sys.stderr.isatty():  # piped or logged: the summary line says it
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.progress = Progress(TextColumn("scanning revisions"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TimeRemainingColumn(),
                                     console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("scan", total=total)
        self.progress.update(self.task, completed=done)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def run_history(args: argparse.Namespace) -> int:
    from .. import history as hist

    store = open_store(args)
    if args.jobs is not None and args.jobs < 1:
        from ..errors import UsageError

        raise UsageError("--jobs must be 1 or more")
    if args.cpython_dir:
        bar = _Bar()
        try:
            result = hist.record(store, args.cpython_dir, since=args.since, until=args.until,
                                 jobs=args.jobs, progress=bar, mailmap=args.mailmap,
                                 use_cache=args.use_cache)
        finally:
            bar.stop()
        for note in result.notes:
            print(f"jit-tracker: {note}", file=sys.stderr)
        print(f"jit-tracker: {len(result.revisions)} revision(s) recorded in {store.history_file.path}; "
              f"scanned {result.scanned}, {result.cached} from cache, {result.errors} did not parse",
              file=sys.stderr)
        revisions = [r for r in result.revisions if _within(r, args.since, args.until)]
        repository: str | None = result.repository
    else:
        recorded = store.history_file
        revisions = [r for r in recorded.revisions() if _within(r, args.since, args.until)]
        repository = recorded.info().get("repository")
        if not revisions and not recorded.info():
            revisions, repository = _bundled_point()
    _print_history(revisions, repository, args.format)
    return 0


def _within(r: dict, since: str | None, until: str | None) -> bool:
    """The same bounds git applies to commit dates, for revisions read from the store."""
    from .. import history as hist

    when = _aware(r["date"])
    if since and when < _aware(hist.check_date(since, "--since")):
        return False
    if until and when >= _aware(hist.check_date(until, "--until")):
        return False
    return True


def _aware(text: str | None) -> "datetime":
    from datetime import timezone

    from .. import history as hist

    value = hist._when(text or "")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _bundled_point() -> tuple[list[dict], str | None]:
    """With no clone and nothing recorded, the bundled snapshot is a history of one."""
    from .. import history as hist
    from .. import snapshot

    ts = snapshot.load_bundled()
    print(snapshot.bundled_notice(ts) + "; no history recorded yet", file=sys.stderr)
    summary = hist.summarize(ts)
    src = ts.source
    return [{"revision": src.get("revision") or "?", "date": src.get("date") or "", "author": "",
             "subject": "bundled snapshot", "pr": None, "error": None, "counts": summary["counts"],
             "flipped": []}], src.get("repository") or src.get("origin")


def _kinds(revisions: list[dict]) -> list[str]:
    seen = {k for r in revisions for k, c in (r.get("counts") or {}).items() if any(c.values())}
    return [k for k in KINDS if k in seen] + sorted(seen - set(KINDS))


def _print_history(revisions: list[dict], repository: str | None, fmt: str) -> None:
    kinds = _kinds(revisions)
    if fmt == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["revision", "date", "author", "pr", "error"]
                     + [f"{k}_{s}" for k in kinds for s in ("open", "blocked", "done")]
                     + ["done_here", "removed_here"])
        for r in revisions:
            counts = r.get("counts") or {}
            out.writerow([r["revision"], r["date"], r.get("author", ""), r.get("pr") or "", r.get("error") or ""]
                         + [(counts.get(k) or {}).get(s, 0) if not r.get("error") else ""
                            for k in kinds for s in ("open", "blocked", "done")]
                         + [" ".join(r.get("flipped") or []), " ".join(r.get("removed") or [])])
        return

    def table() -> None:
        if not revisions:
            print("no revisions recorded; run: jit-tracker history CPYTHON_DIR")
            return
        rows = []
        for r in revisions:
            counts = r.get("counts") or {}
            if r.get("error"):
                cells = ["" for _ in kinds]
                tail = "error: " + r["error"]
            else:
                cells = [f"{(counts.get(k) or {}).get('open', 0) + (counts.get(k) or {}).get('blocked', 0)}"
                         f"/{(counts.get(k) or {}).get('done', 0)}" for k in kinds]
                parts = []
                for what, ids in (("done", r.get("flipped") or []), ("removed", r.get("removed") or [])):
                    if ids:
                        parts.append(f"{len(ids)} {what}: " + ", ".join(ids[:3]) + (" ..." if len(ids) > 3 else ""))
                tail = "; ".join(parts)
            rows.append([r["date"][:10], r["revision"][:10], r.get("author", ""), r.get("pr") or "",
                         *cells, tail])
        print_table(["date", "revision", "author", "pr", *[f"{k} to do/done" for k in kinds], "finished here"],
                    rows, title=f"history of {repository}" if repository else "history")

    emit({"repository": repository, "revisions": revisions}, fmt, table)


def _number(text: str) -> int | None:
    """The issue number of ``gh-N``, ``#N`` or ``N``."""
    digits = text.strip().lower().removeprefix("gh-").lstrip("#")
    return int(digits) if digits.isdigit() and int(digits) > 0 else None


def _campaigns(text: str, tracked: dict[int, str]) -> list[int]:
    """The issues a campaign names: a kind (``refcount``: every issue tracking it),
    ``gh-N``, ``#N`` or ``N``."""
    from ..errors import UsageError

    number = _number(text)
    if number is not None:
        return [number]
    numbers = [n for n, kind in tracked.items() if kind == text]
    if numbers:
        return numbers
    kinds: dict[str, list[str]] = {}
    for n, kind in tracked.items():
        kinds.setdefault(kind, []).append(f"gh-{n}")
    known = "; ".join(f"{k}: {', '.join(v)}" for k, v in kinds.items()) or "none"
    raise UsageError(f"no campaign {text!r}: give a kind with tracking issues or gh-N",
                     hint=f"tracked in data/tracking.yaml: {known}")


def run_contributors(args: argparse.Namespace) -> int:
    from .. import contributors as credit
    from .. import history as hist

    store = open_store(args)
    info = store.history_file.info()
    issues = hist.tracked_issues()
    tracked = hist.tracked_campaigns()
    revisions = store.history_file.revisions()
    bounded = bool(args.since or args.until)
    if bounded:
        revisions = [r for r in revisions if _within(r, args.since, args.until)]
    people = credit.contributors(revisions, tracked) if revisions or bounded else store.history_file.contributors()

    def with_issues(numbers: list[int]) -> list[dict]:
        """People credited in any issue, tracked or not."""
        if all(n in tracked for n in numbers):
            return people
        return credit.contributors(revisions, {**tracked, **{n: "" for n in numbers if n not in tracked}})

    numbers: list[int] = []
    if args.whatsnew is not None:
        numbers = _campaigns(args.whatsnew, tracked) if args.whatsnew else list(tracked)
        found = with_issues(numbers)
        roles = {t.number: t.role for t in issues}
        credited = [(n, line) for n in numbers if (line := credit.credit_line(found, n)) is not None]
        lines = []
        for n, line in credited:
            if len(credited) > 1:  # which campaign each line is, as an RST comment (harmless if pasted)
                lines.append(f".. {tracked.get(n) or 'campaign'}, gh-{n}"
                             + (f" ({roles[n]})" if n in roles else "") + ":")
            lines.append(line)
        if not lines:
            what = f"gh-{numbers[0]}" if len(numbers) == 1 else ", ".join(f"gh-{n}" for n in numbers) or "any campaign"
            print(f"jit-tracker: nobody is credited in {what} in the recorded history"
                  + ("" if info else "; run: jit-tracker history CPYTHON_DIR"), file=sys.stderr)
            return 1
        print("\n".join(lines))
        return 0

    if args.campaign:
        numbers = _campaigns(args.campaign, tracked)
        people = credit.in_campaign(with_issues(numbers), numbers)
    tags = [f"gh-{n}" for n in numbers]
    where = ", ".join(tags)

    def table() -> None:
        if not info:
            print("no history recorded; run: jit-tracker history CPYTHON_DIR")
            return
        if not people:
            print(f"no task went from open to done{' for ' + where if where else ''} in the recorded "
                  f"history of {info.get('repository')}")
            return
        rows = []
        for p in people:
            tasks = p["tasks"]
            if tags:
                tasks = [t for t in tasks if set(tags) & set(t.get("campaigns") or [])]
            ids = [t["id"] + (f" ({t['pr']})" if t.get("pr") else "") for t in tasks]
            who = ", ".join(p.get("logins") or []) or p.get("email") or ""
            extra = len(p.get("emails") or []) - 1
            spans = [p["campaigns"][t] for t in tags if t in p["campaigns"]] or [p]
            first, latest = min(c["first"] for c in spans), max(c["latest"] for c in spans)
            rows.append([p["name"], who + (f" (+{extra} address{'es' if extra > 1 else ''})" if extra > 0 else ""),
                         len(tasks), first[:10], latest[:10],
                         ", ".join(ids[:4]) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")])
        title = f"contributors in {info.get('repository')}" + (f", campaign {where}" if where else "")
        print_table(["name", "login or email", "tasks", "first", "latest", "finished"], rows, title=title)

    emit({"repository": info.get("repository"), "campaign": tags or None,
          "contributors": people}, args.format, table)
    return 0
