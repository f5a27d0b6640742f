"""The last live scan from GitHub, kept in the user cache, and the newest data at hand.

A live scan (``--github``, ``jit-tracker update``) is saved whole as JSON (tasks with
their excerpts, instruction facts, provenance: repository, ref, commit sha and date,
blob ids, fetched-at, the rules' fingerprint), so that every later command and the TUI
start from it without the network: given no source, they show the cached live scan
when its commit is newer than the bundled snapshot's, else the bundled snapshot.
Writes are atomic; a damaged file is ignored with a notice, never trusted.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from .errors import TrackerError
from .provenance import parse_date
from .sources import SourceSet, SourceText, decode
from .tasks import TaskSet

FORMAT = "jit-tracker-live-scan"
VERSION = 1
FILE_NAME = "live-scan.json"


def path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    from .paths import cache_dir as default

    return (Path(cache_dir) if cache_dir is not None else default()) / FILE_NAME


def _fingerprint() -> str:
    from .scancache import fingerprint

    return fingerprint()


def save(taskset: TaskSet, cache_dir: str | os.PathLike[str] | None = None,
         now: datetime | None = None) -> None:
    """Keep ``taskset`` as the last live scan (best effort: a read-only cache is no error)."""
    from .store import atomic_write

    source = {k: v for k, v in taskset.source.items() if k not in ("snapshot", "old_rules")}
    source.setdefault("fetched", (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat())
    doc = {"format": FORMAT, "version": VERSION, "fingerprint": _fingerprint(), "source": source,
           "tasks": [t.to_json(with_excerpt=True) for t in taskset.tasks],
           "instructions": taskset.instructions, "uops": taskset.uops}
    try:
        atomic_write(path(cache_dir), json.dumps(doc))
    except TrackerError:
        pass


def load(cache_dir: str | os.PathLike[str] | None = None) -> tuple[TaskSet | None, str | None]:
    """The last live scan and a notice when the file exists but cannot be used."""
    p = path(cache_dir)
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
        rescanned = _rescan(taskset, cache_dir)
        if rescanned is None:
            taskset.source["old_rules"] = True  # still worth showing; never reused as current
        else:
            taskset = rescanned
    taskset.source["snapshot"] = "live-cache"
    return taskset, None


def _rescan(old: TaskSet, cache_dir: str | os.PathLike[str] | None) -> TaskSet | None:
    """The cached scan's blobs scanned again with today's rules (they changed since)."""
    from . import scancache
    from .sources import BYTECODES, OPTIMIZER
    from .github.source import BlobCache, cache_root

    cache = BlobCache(cache_root(cache_dir))
    blobs = list(old.source.get("blobs") or []) + [None, None]
    bc = cache.blob(blobs[0]) if blobs[0] else None
    opt = cache.blob(blobs[1]) if blobs[1] else None
    if bc is None or (blobs[1] and opt is None):
        return None
    src = old.source
    try:
        ts = scancache.scan(SourceSet(
            SourceText(BYTECODES, decode(bc, BYTECODES)),
            SourceText(OPTIMIZER, decode(opt, OPTIMIZER)) if opt is not None else None,
            src["origin"], src.get("revision"), src.get("date"), src.get("repository"),
            src.get("ref"), tuple(blobs[:2]))).taskset
    except TrackerError:
        return None
    ts.source["fetched"] = src.get("fetched")
    save(ts, cache_dir)
    return ts


def scan(srcs: SourceSet, cache_dir: str | os.PathLike[str] | None = None) -> tuple[TaskSet, TaskSet | None]:
    """The tasks of sources read from GitHub, and the previous live scan (for "what changed").

    The cached tasks are reused when the blobs and the rules are the same (only the
    commit moved); otherwise the sources are scanned. Either way the result becomes
    the last live scan.
    """
    from . import scancache

    previous, _ = load(cache_dir)
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
    save(taskset, cache_dir)
    return taskset, previous


def newest(cache_dir: str | os.PathLike[str] | None = None) -> tuple[TaskSet, list[str]]:
    """The newest data at hand without the network, and notices to show (a damaged cache)."""
    from . import snapshot

    live, notice = load(cache_dir)
    notices = [notice] if notice else []
    if live is not None:
        bundled = parse_date(snapshot.bundled_source().get("date"))
        mine = parse_date(live.source.get("date"))
        if mine is not None and (bundled is None or mine >= bundled):
            return live, notices
    return snapshot.load_bundled(), notices


def fallback(cache_dir: str | os.PathLike[str] | None = None) -> tuple[TaskSet, list[str]]:
    """What to show when GitHub cannot answer: the last live scan, else the bundled snapshot."""
    from . import snapshot

    live, notice = load(cache_dir)
    if live is not None:
        return live, []
    return snapshot.load_bundled(), [notice] if notice else []

