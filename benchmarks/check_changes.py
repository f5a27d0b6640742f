#!/usr/bin/env python3
"""A task never vanishes: what became of one tree's open tasks in a later tree.

Scans two revisions of a CPython clone (default: the mirror's main as it was on
2026-02-08, the date of the old bundled snapshot, and main's tip of 2026-08-21,
999a046b) and joins their tasks with tracker.changes.compare. Prints how many of the
first tree's open tasks are done in the second (recognised as done by the rules, or no
longer found while their uop or instruction still exists), how many were removed (their
subject deleted or decomposed), how many are still open, and how many vanished (must
be 0). With --walk, also compares every revision that changed the definitions in
between with its parent and credits each change to the revision that made it.

Skips cleanly (exit 0) when the clone is missing; exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.changes import compare  # noqa: E402
from tracker.rules import scan  # noqa: E402
from tracker.sources import BYTECODES, OPTIMIZER, SourceSet, SourceText  # noqa: E402

MIRROR = Path.home() / "cpython-mirror/cpython.git"


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "--git-dir", str(repo), *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def scan_rev(repo: Path, rev: str):
    date = git(repo, "show", "-s", "--format=%cI", rev).strip()
    bc = git(repo, "show", f"{rev}:{BYTECODES}")
    opt = git(repo, "show", f"{rev}:{OPTIMIZER}")
    return scan(SourceSet(SourceText(BYTECODES, bc), SourceText(OPTIMIZER, opt), f"git:{rev}", rev, date))


def revision_at(repo: Path, ref: str, when: str) -> str:
    """The last revision of ``ref`` before ``when`` that changed the definitions."""
    return git(repo, "log", "-1", "--format=%H", f"--until={when}", ref, "--", BYTECODES, OPTIMIZER).strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", default=str(MIRROR), help="a CPython clone (bare is fine)")
    ap.add_argument("--before", default=None,
                    help="revision of the earlier tree (default: main as of 2026-02-08T06:25Z)")
    ap.add_argument("--before-snapshot", metavar="FILE",
                    help="take the earlier tasks from a snapshot file instead (e.g. the bundled "
                    "one of 2026-02-08: git show 6e4d44e:data/snapshots/cpython-main.yaml)")
    ap.add_argument("--after", default="999a046b24c", help="revision of the later tree")
    ap.add_argument("--walk", action="store_true",
                    help="also credit each change to the revision between them that made it")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every change")
    args = ap.parse_args()
    repo = Path(args.repo).expanduser()
    if not repo.exists():
        print(f"skipped: no CPython clone at {repo} (see ../shared/REFERENCE.md)")
        return 0
    before_rev = args.before or revision_at(repo, "refs/heads/main", "2026-02-08T06:25:30Z")
    after_rev = git(repo, "rev-parse", args.after).strip()
    if args.before_snapshot:
        from tracker import snapshot

        before = snapshot.load(args.before_snapshot, use_cache=False)
        print(f"before: snapshot {args.before_snapshot} ({before.source.get('origin')}, "
              f"{before.source.get('date')})")
    else:
        before = scan_rev(repo, before_rev)
        print(f"before: {before_rev[:10]} {before.source['date']}")
    after = scan_rev(repo, after_rev)
    print(f"after: {after_rev[:10]} {after.source['date']}")
    was_open = [t for t in before.tasks if t.status in ("open", "blocked")]
    changes = {c.task_id: c for c in compare(before, after)}
    ends = Counter()
    easy = Counter()
    by_kind: dict[str, Counter] = {}
    lines = []
    for t in was_open:
        c = changes.get(t.id)
        now = after.get(t.id)
        if c is None:
            end = "still open" if now is not None and now.status in ("open", "blocked") else "VANISHED"
        elif c.what == "done":
            end = "done (no longer found)" if now is None else "done"
        else:
            end = c.what if c.what == "removed" else "still open"
        ends[end] += 1
        if t.status == "open" and t.difficulty == "easy":
            easy[end] += 1
        by_kind.setdefault(t.kind, Counter())[end] += 1
        if end not in ("still open",):
            lines.append(f"  {t.id}: {end}{' - ' + c.note if c and c.note else ''}")
    print(f"open before: {len(was_open)} ({sum(t.difficulty == 'easy' for t in was_open if t.status == 'open')} easy)")
    for end in ("done", "done (no longer found)", "removed", "still open", "VANISHED"):
        print(f"  {end}: {ends[end]} ({easy[end]} easy)")
    for kind, counts in sorted(by_kind.items()):
        print(f"    {kind:10} {dict(sorted(counts.items()))}")
    if args.verbose:
        print("\n".join(sorted(lines)))
    failures = ends["VANISHED"]
    if args.walk:
        failures += walk(repo, before_rev, after_rev, args.verbose)
    print("FAILED" if failures else "all checks passed")
    return 1 if failures else 0


def walk(repo: Path, first: str, last: str, verbose: bool) -> int:
    """Compare each definitions-changing revision with its first parent; credit changes."""
    revs = git(repo, "rev-list", "--reverse", "--first-parent", f"{first}..{last}", "--",
               BYTECODES, OPTIMIZER).split()
    previous = scan_rev(repo, first)
    credited: Counter = Counter()
    vanished = 0
    for rev in revs:
        parent = git(repo, "rev-parse", f"{rev}^").strip()
        before = previous if parent == previous.source.get("revision") else scan_rev(repo, parent)
        now = scan_rev(repo, rev)
        changes = compare(before, now, revision=rev)
        ids = {c.task_id for c in changes}
        lost = [t.id for t in before.tasks if t.status in ("open", "blocked") and now.get(t.id) is None
                and t.id not in ids]
        vanished += len(lost)
        ended = [c for c in changes if c.what in ("done", "removed")]
        if ended:
            subject = git(repo, "show", "-s", "--format=%s", rev).strip()
            for c in ended:
                credited[c.what] += 1
            if verbose:
                print(f"  {rev[:10]} {subject[:70]}: " + ", ".join(f"{c.task_id} {c.what}" for c in ended))
        previous = now
    print(f"walk: {len(revs)} revisions; ended there: {dict(credited)}; vanished: {vanished}")
    return vanished


if __name__ == "__main__":
    raise SystemExit(main())
