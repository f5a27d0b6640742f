"""The last live scan from GitHub, kept in the user cache, and the newest data at hand.

A live scan (``--github``, ``jit-tracker update``) is saved whole as JSON (tasks with
their excerpts, instruction facts, provenance: repository, ref, commit sha and date,
blob ids, fetched-at, the rules' fingerprint, and the two files' text, so that new
rules can scan it again offline), so that every later command and the TUI start from
it without the network: given no source, they show the cached live scan when its
commit is newer than the bundled snapshot's, else the bundled snapshot. It is one file
at the top of the user cache directory, outside every pruned kind of
:mod:`tracker.cache`: it is only ever replaced by a newer live scan. Writes are
atomic; a damaged file is ignored with a notice, never trusted.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import TrackerError
from .paths import cache_dir
from .provenance import parse_date
from .sources import SourceSet, SourceText, decode
from .tasks import TaskSet

FORMAT = "jit-tracker-live-scan"
VERSION = 1
FILE_NAME = "live-scan.json"


def path() -> Path:
    return cache_dir() / FILE_NAME


def _fingerprint() -> str:
    from .scancache import fingerprint

    return fingerprint()


def save(taskset: TaskSet, texts: dict[str, str | None] | None = None,
         now: datetime | None = None) -> None:
    """Keep ``taskset`` as the last live scan (best effort: a read-only cache is no error)."""
    from .atomic import write_text

    source = {k: v for k, v in taskset.source.items() if k not in ("snapshot", "old_rules")}
    source.setdefault("fetched", (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat())
    doc = {"format": FORMAT, "version": VERSION, "fingerprint": _fingerprint(), "source": source,
           "tasks": [t.to_json(with_excerpt=True) for t in taskset.tasks],
           "instructions": taskset.instructions, "uops": taskset.uops, "texts": texts or {}}
    try:
        write_text(path(), json.dumps(doc))
    except TrackerError:
        pass


def load() -> tuple[TaskSet | None, str | None]:
    """The last live scan and a notice when the file exists but cannot be used."""
    p = path()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"jit-tracker: cannot read the cached live scan {p} ({exc}); ignored"
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise ValueError("not a live scan of this version")
        taskset = TaskSet.from_json(doc)
        if not taskset.source.get("origin"):
            raise ValueError("no provenance")
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, (f"jit-tracker: the cached live scan {p} is damaged; ignored "
                      "(`jit-tracker update` fetches a new one)")
    if doc.get("fingerprint") != _fingerprint():  # the rules changed since: scan again
        rescanned = _rescan(taskset, doc.get("texts"))
        if rescanned is None:
            taskset.source["old_rules"] = True  # still worth showing; never reused as current
        else:
            taskset = rescanned
    taskset.source["snapshot"] = "live-cache"
    return taskset, None


def _rescan(old: TaskSet, texts: Any) -> TaskSet | None:
    """The cached scan's files scanned again with today's rules (they changed since)."""
    from . import scancache
    from .sources import BYTECODES, OPTIMIZER

    if not isinstance(texts, dict) or not isinstance(texts.get("bytecodes"), str):
        return None  # saved by an older jit-tracker, without the files' text
    opt = texts.get("optimizer")
    src = old.source
    try:
        ts = scancache.scan(SourceSet(
            SourceText(BYTECODES, texts["bytecodes"]),
            SourceText(OPTIMIZER, opt) if isinstance(opt, str) else None,
            src["origin"], src.get("revision"), src.get("date"), src.get("repository"),
            src.get("ref"), tuple((list(src.get("blobs") or []) + [None, None])[:2]))).taskset
    except TrackerError:
        return None
    ts.source["fetched"] = src.get("fetched")
    save(ts, texts)
    return ts


def scan(srcs: SourceSet) -> tuple[TaskSet, TaskSet | None]:
    """The tasks of sources read from GitHub, and the previous live scan (for "what changed").

    The cached tasks are reused when the blobs and the rules are the same (only the
    commit moved); otherwise the sources are scanned. Either way the result becomes
    the last live scan.
    """
    from . import scancache

    previous, _ = load()
    src = previous.source if previous is not None else {}
    same = (previous is not None and tuple(src.get("blobs") or ()) == tuple(srcs.blobs)
            and src.get("repository") == srcs.repository and not src.get("old_rules"))
    if same and previous is not None:
        taskset = TaskSet(dict(src), previous.tasks, previous.instructions, uops=previous.uops)
        taskset.source.update(origin=srcs.origin, revision=srcs.revision, date=srcs.date,
                              ref=srcs.ref)
        for key in ("fetched", "snapshot", "old_rules"):
            taskset.source.pop(key, None)
    else:
        taskset = scancache.scan(srcs).taskset  # shared with checkouts of the same blobs
    save(taskset, {"bytecodes": srcs.bytecodes.text,
                   "optimizer": srcs.optimizer.text if srcs.optimizer else None})
    return taskset, previous


def newest() -> tuple[TaskSet, list[str]]:
    """The newest data at hand without the network, and notices to show (a damaged cache)."""
    from . import snapshot

    live, notice = load()
    notices = [notice] if notice else []
    bundled = snapshot.load_bundled()
    if live is not None:
        mine, theirs = parse_date(live.source.get("date")), parse_date(bundled.source.get("date"))
        if mine is not None and (theirs is None or mine >= theirs):
            return live, notices
    return bundled, notices


def fallback() -> tuple[TaskSet, list[str]]:
    """What to show when GitHub cannot answer: the last live scan, else the bundled snapshot."""
    from . import snapshot

    live, notice = load()
    if live is not None:
        return live, []
    return snapshot.load_bundled(), [notice] if notice else []
