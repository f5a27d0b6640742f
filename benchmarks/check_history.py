"""`check COMMIT^ COMMIT` over CPython's real campaign history.

For every commit of main since 2025-05 whose subject names a campaign issue (gh-134584,
gh-145866, gh-131798, gh-148211, gh-148171, gh-143732, gh-143995, gh-148235) and a uop or
instruction, does `check` name that subject among the tasks the commit completes? And,
over every revision of main since then that changed the definitions, which "new
problems" does it report (to judge by hand as real or false)?

    .venv/bin/python benchmarks/check_history.py [CLONE] [--since 2025-05-01] [--problems] [--json OUT]

CLONE is a clone of python/cpython (a bare mirror will do; default
~/cpython-mirror/cpython.git, see ../shared/REFERENCE.md). Skips cleanly without one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CAMPAIGN = ("134584", "145866", "131798", "148211", "148171", "143732", "143995", "148235")
_ISSUE = re.compile(r"gh-(?:gh-)?(" + "|".join(CAMPAIGN) + r")\b", re.IGNORECASE)
# a name with its shorthand: UNARY_{INVERT|NEGATIVE}, _CALL{_A, _B}, [_X/_Y]_Z, _A(_B/_C), X_INT
_TOKEN = re.compile(r"\[[^\]]*\][A-Z0-9_({|/, })]*|_?[A-Z][A-Z0-9_]*(?:[({][^)}]*[)}][A-Z0-9_]*)*")


def names_in(subject: str) -> list[str]:
    """The uop and instruction names a commit subject names, shorthand expanded."""
    text = _ISSUE.sub("", subject)
    text = re.sub(r"\((?:GH|gh)-\d+\)|\(#\d+\)", "", text)
    out: list[str] = []
    for token in _TOKEN.findall(text):
        for name in _expand(token.strip()):
            if re.fullmatch(r"_?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", name) and name not in out:
                out.append(name)
    return out


def _expand(token: str) -> list[str]:
    m = re.search(r"\[([^\]]*)\]", token)
    if m:
        return [x for alt in re.split(r"[/|,]\s*", m.group(1))
                for x in _expand(token[:m.start()] + alt.strip() + token[m.end():])]
    m = re.search(r"\(([^)]*)\)|\{([^}]*)\}", token)
    if m:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        alts = [a.strip() for a in re.split(r"[/|,]", inner)]
        optional = m.group(1) is not None and all(a.startswith("_") for a in alts)  # _X(_BORROW)
        joined = token[:m.start()] + "{}" + token[m.end():]
        result = [joined.format(a) for a in alts]
        if optional:
            result.insert(0, joined.format(""))
        return [x for r in result for x in _expand(r)]
    return [p for p in token.split("/") if p]


def _norm(name: str) -> str:
    """``_FOR_ITER`` and ``FOR_ITER`` alike; a ``_TIER_TWO`` uop is its instruction's tier-2 form."""
    name = name.lstrip("_")
    return name[: -len("_TIER_TWO")] if name.endswith("_TIER_TWO") else name


def _pattern(name: str) -> "re.Pattern[str]":
    """``X`` as a part of a name stands for any parts (``_COMPARE_OP_X``, ``X_INT``)."""
    parts = _norm(name).split("_")
    text = ""
    for i, part in enumerate(parts):
        if part == "X":
            text += r"(?:_?[A-Z0-9]+)*" if i == 0 else r"(?:_[A-Z0-9]+)*"
        else:
            text += ("_" if text and not text.endswith("*") else ("_?" if text else "")) + re.escape(part)
    return re.compile(text)


def _about(tasks: list) -> set[str]:
    about = set()
    for t in tasks:
        about.add(_norm(t.subject))
        if getattr(t, "uop", None):
            about.add(_norm(t.uop))
        about.update(_norm(i) for i in t.instructions)
    return about


def named_among(names: list[str], tasks: list) -> list[str]:
    """The names of ``names`` that a task of ``tasks`` is about (its subject, uop or
    instructions); ``X`` in a name stands for any parts, and a name one letter off a
    task's (a typo in the title: ``_CALL_BUILTION_O``) counts too."""
    import difflib

    about = _about(tasks)
    hits = []
    for name in names:
        n = _norm(name)
        if "X" in n.split("_"):
            pattern = _pattern(name)
            if any(pattern.fullmatch(a) for a in about):
                hits.append(name)
        elif n in about or (len(n) >= 10 and difflib.get_close_matches(n, about, 1, 0.95)):
            hits.append(name)
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("clone", nargs="?", default=str(Path.home() / "cpython-mirror" / "cpython.git"))
    ap.add_argument("--since", default="2025-05-01")
    ap.add_argument("--problems", action="store_true",
                    help="also review every revision since --since and list each new problem")
    ap.add_argument("--json", metavar="OUT", help="write every result as JSON to OUT")
    args = ap.parse_args(argv)
    if not Path(args.clone).is_dir():
        print(f"skipped: no CPython clone at {args.clone} (see ../shared/REFERENCE.md)")
        return 0
    from tracker import git
    from tracker.check import review
    from tracker.cli.check import _at_revision, _side, analysis_at, repository_root
    from tracker.errors import TrackerError

    repo = repository_root(args.clone)
    log = git.run(repo, "log", f"--since={args.since}", "--format=%H%x1f%P%x1f%s", "refs/heads/main",
                       "--", "Python/bytecodes.c", "Python/optimizer_bytecodes.c")
    campaign = []
    for line in log.splitlines():
        sha, parents, subject = line.split("\x1f", 2)
        if _ISSUE.search(subject) and names_in(subject):
            campaign.append((sha, parents.split()[0], subject))
    campaign.reverse()
    sides: dict[str, object] = {}

    def side(rev: str):
        if rev not in sides:
            try:
                sides[rev] = _side(_at_revision(repo, rev), analysis_at(repo, rev))
            except TrackerError as exc:
                sides[rev] = exc
        return sides[rev]

    def compare(parent: str, rev: str):
        a, b = side(parent), side(rev)
        for s in (a, b):
            if isinstance(s, Exception):
                return s
        return review(a, b)  # type: ignore[arg-type]

    started = time.perf_counter()
    results = []
    hits = tracked_total = tracked_hits = 0
    for sha, parent, subject in campaign:
        names = names_in(subject)
        r = compare(parent, sha)
        if isinstance(r, Exception):
            results.append({"commit": sha[:11], "subject": subject, "names": names, "error": str(r).split("\n")[0]})
            print(f"ERROR {sha[:11]} {subject}\n      {str(r).splitlines()[0]}")
            continue
        found = named_among(names, r.completed)
        hits += bool(found)
        parent_side = side(parent)
        open_before = [t for t in parent_side.tasks.tasks if t.status == "open"]  # type: ignore[union-attr]
        tracked = bool(named_among(names, open_before))
        tracked_total += tracked
        tracked_hits += bool(found) and tracked
        results.append({"commit": sha[:11], "subject": subject, "names": names, "named": found,
                        "completed": [c.task for c in r.completed], "open_task_before": tracked,
                        "problems": [n.to_json() for n in r.problems],
                        "recipe_checks": [n.to_json() for n in r.checks]})
        mark = "hit " if found else "MISS"
        print(f"{mark} {sha[:11]} {subject[:90]}")
        if not found:
            print(f"      names {names}; completed {[c.task for c in r.completed] or 'none'}"
                  + ("" if tracked else "; no open task of that name before it"))
    total = len(campaign)
    print(f"\n{hits} of {total} campaign commits ({100 * hits / max(total, 1):.1f}%): check names the "
          f"subject of the title among the completed tasks ({time.perf_counter() - started:.0f} s)")
    print(f"{tracked_hits} of {tracked_total} ({100 * tracked_hits / max(tracked_total, 1):.1f}%) of those "
          f"whose title names a task open at the parent")

    problems = []
    if args.problems:
        revs = [line.split("\x1f", 2) for line in git.run(
            repo, "log", "--reverse", f"--since={args.since}", "--format=%H%x1f%P%x1f%s", "refs/heads/main",
            "--", "Python/bytecodes.c", "Python/optimizer_bytecodes.c").splitlines()]
        for sha, parents, subject in revs:
            if not parents:
                continue
            r = compare(parents.split()[0], sha)
            if isinstance(r, Exception):
                problems.append({"commit": sha[:11], "subject": subject, "error": str(r).split("\n")[0]})
                print(f"ERROR {sha[:11]} {subject[:80]}: {str(r).splitlines()[0]}")
                continue
            for n in r.problems:
                problems.append({"commit": sha[:11], "subject": subject, **n.to_json()})
                print(f"PROBLEM {sha[:11]} {subject[:70]}\n      {n.where}: {n.message}")
        print(f"\n{len(problems)} new problem(s) over {len(revs)} revisions since {args.since}")
    if args.json:
        Path(args.json).write_text(json.dumps({"campaign": results, "hits": hits, "total": total,
                                               "problems": problems}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
