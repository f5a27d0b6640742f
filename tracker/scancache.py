"""The scan cache: results of scanning a pair of definition files, kept by their contents.

A scan depends only on the two files' contents and on the rules (parser, model, rules
and their data, see :func:`fingerprint`), so a result is stored under the files' git
blob ids (``sha1("blob <size>\\0" + bytes)``, what ``git`` and GitHub call the file) and
the rules' fingerprint. A rerun on unchanged sources loads it instead of scanning;
``history`` consults the same entries, and any other source that knows blob ids (a
git revision, GitHub's contents API) can reuse them. A result names its files
(``Python/bytecodes.c`` in any checkout, the path given to ``--bytecodes``), so an entry
made under other names is scanned again and replaced.

Entries are the ``scans`` kind of :mod:`tracker.cache` (JSON in the user cache
directory, ``$JIT_TRACKER_CACHE_DIR`` overrides it). The cache is derived data: an
entry that is unreadable, corrupt or from other rules is ignored and rewritten, and no
failure to read or write it ever stops a command.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from hashlib import sha256

from . import cache
from .paths import CACHE_ENV as ENV_VAR  # noqa: F401  (re-exported)
from .sources import SourceSet

from collections.abc import Callable
from typing import Any

Report = Callable[[str, "float | None"], None]


_fingerprint: str | None = None


def fingerprint() -> str:
    """A hash of everything a scan's result depends on: parser, model, rules, rule data."""
    global _fingerprint
    if _fingerprint is None:
        from .paths import DATA_DIR

        root = os.path.dirname(os.path.abspath(__file__))
        files = [os.path.join(root, "model.py"), os.path.join(root, "tasks.py"), os.path.join(root, "graph.py"),
                 os.path.join(root, "sources", "__init__.py"),
                 os.path.join(str(DATA_DIR), "rules.yaml"), os.path.join(str(DATA_DIR), "curated.yaml")]
        for sub in ("dsl", "rules"):
            for dirpath, _dirs, names in os.walk(os.path.join(root, sub)):
                files += [os.path.join(dirpath, n) for n in names if n.endswith(".py")]
        h = sha256()
        for f in sorted(files, key=os.path.basename):
            try:
                with open(f, "rb") as fh:
                    h.update(os.path.basename(f).encode() + b"\0" + fh.read())
            except OSError:
                continue
        _fingerprint = h.hexdigest()[:16]
    return _fingerprint


# --------------------------------------------------------------------------- entries


def directory() -> str:
    return str(cache.directory())


def entry_name(bytecodes_blob: str, optimizer_blob: str | None, rules: str | None = None) -> str:
    return f"{rules or fingerprint()}-{bytecodes_blob}-{optimizer_blob or 'none'}"


def load(bytecodes_blob: str, optimizer_blob: str | None, rules: str | None = None) -> dict | None:
    """The stored scan of this pair of blobs under these rules (default: the current ones).

    An entry is a dict: ``tasks`` and ``instructions`` (as in ``TaskSet.to_json``, with
    excerpts), ``counts`` (of definitions), ``names`` (the file names the paths in it
    use), ``revision`` and ``date`` (of the checkout it was last seen in), and
    ``summary`` (:func:`task_counts`; absent from entries of older versions).
    """
    entry = cache.read("scans", entry_name(bytecodes_blob, optimizer_blob, rules))
    if not isinstance(entry, dict) or not isinstance(entry.get("tasks"), list):
        return None
    return entry


def store(bytecodes_blob: str, optimizer_blob: str | None, entry: dict, rules: str | None = None) -> bool:
    return cache.write("scans", entry_name(bytecodes_blob, optimizer_blob, rules), entry)


def checkout_head(root: Any) -> tuple[str | None, str | None]:
    """Revision and commit date of a checkout's HEAD (:func:`tracker.git.head`), without
    a git process when HEAD names a commit seen before (a commit's date never changes,
    so it is kept here by commit id)."""
    from . import git

    revision = git.head_revision(root)
    if revision:
        date = cache.read("commits", revision)
        if isinstance(date, str):
            return revision, date
    revision, date = git.head(root)
    if revision and date:
        cache.write("commits", revision, date)
    return revision, date


# --------------------------------------------------------------------------- scanning


class Result:
    """A scan's tasks with the definition counts, and whether it came from the cache."""

    def __init__(self, taskset: Any, counts: dict[str, int], cached: bool):
        self.taskset, self.counts, self.cached = taskset, counts, cached


def display_names(srcs: SourceSet) -> list[str | None]:
    """The file names as a scan's results show them (relative inside a checkout)."""
    from .sources import strip_root

    names = [srcs.bytecodes.name, srcs.optimizer.name if srcs.optimizer else None]
    if srcs.origin != "files" and not srcs.origin.startswith("git:"):
        names = [strip_root(n, srcs.origin) if n else n for n in names]
    return names


def scan(srcs: SourceSet, use_cache: bool = True, report: Report | None = None) -> Result:
    """The tasks of ``srcs``: from the cache when these contents were scanned before."""
    from .tasks import TaskSet

    bc_blob, opt_blob = srcs.blob_ids()
    names = display_names(srcs)
    if use_cache:
        entry = load(bc_blob, opt_blob)
        # paths in a result name the files (Python/bytecodes.c in any checkout, a path as
        # given to --bytecodes): one stored under other names is scanned again
        if entry is not None and entry.get("names") == names:
            ts = TaskSet.from_json({"source": srcs.provenance(), "tasks": entry["tasks"],
                                    "instructions": entry["instructions"],
                                    "uops": entry.get("uops")})
            if entry.get("warnings"):
                ts.source["warnings"] = list(entry["warnings"])
            return Result(ts, dict(entry["counts"]), True)
    from . import model, rules

    with nullcontext() if use_cache else cache.disabled():  # the rules' parsed data is cached too
        if report:
            report(f"Parsing {srcs.bytecodes.name}…", 0.1)
        m = model.load(srcs)
        if report:
            report("Finding tasks…", 0.6)
        ts = rules.find_tasks(m)
    # definitions skipped with a warning: said by every front end, kept with the scan
    warnings = [w.to_json() for w in m.warnings]
    if warnings:
        ts.source["warnings"] = warnings
    counts = definition_counts(m)
    if use_cache:
        data = ts.to_json(with_excerpt=True)
        store(bc_blob, opt_blob, {"tasks": data["tasks"], "instructions": ts.instructions, "uops": ts.uops,
                                  "counts": counts, "names": names, "summary": task_counts(ts),
                                  "warnings": warnings})
    return Result(ts, counts, False)


def task_counts(ts: Any) -> dict[str, Any]:
    """Tasks by kind, status and difficulty (of open ones), and how many are ready."""
    from .graph import ready

    return {**ts.counts(), "ready": len(ready(ts))}


def tally(srcs: SourceSet, use_cache: bool = True) -> tuple[dict[str, int], dict[str, Any], bool, list]:
    """What ``scan`` prints of ``srcs``: definition counts, :func:`task_counts`,
    whether they came from the cache, and the warnings of skipped definitions (JSON). A
    stored scan holds all (graph.py, which says what is ready, is part of the rules'
    fingerprint), so no task is rebuilt for them."""
    if use_cache:
        entry = load(*srcs.blob_ids())
        if entry is not None and entry.get("names") == display_names(srcs) \
                and isinstance(entry.get("summary"), dict):
            return dict(entry["counts"]), entry["summary"], True, list(entry.get("warnings") or ())
    result = scan(srcs, use_cache)
    return (result.counts, task_counts(result.taskset), result.cached,
            list(result.taskset.source.get("warnings") or ()))


def definition_counts(m: Any) -> dict[str, int]:
    """How many of each kind of definition a model holds (what ``scan`` prints)."""
    return {"instructions": len(m.instructions), "uops": len(m.uops), "families": len(m.families),
            "pseudos": len(m.pseudos), "labels": len(m.labels),
            "optimizer_cases": len(m.optimizer_cases)}
