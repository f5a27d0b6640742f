"""The one cache: derived data kept between runs, in the user cache directory.

``$JIT_TRACKER_CACHE_DIR``, else the platform's user cache directory (platformdirs;
``~/.cache/jit-tracker`` on Linux). Each kind of entry has its own subfolder and its
own bound (:data:`BOUNDS`): past it, the least recently written entries of that kind
go, and nothing else. What a user relies on is never pruned: the last live scan is a
file of its own at the top (:mod:`tracker.livescan`), and so is ``history``'s file.

Entries are JSON (``<kind>/<key>.json``) or raw bytes (``<kind>/<key>``, GitHub's
blobs), written to a temporary file renamed into place. A value that is missing,
corrupt or of another format reads as None, and a failure to write is told by the
return value, never raised: a cache never stops a command. Nothing is ever written
where jit-tracker is installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .atomic import write_bytes
from .paths import cache_dir

FORMAT = 2  # bump when what entries hold changes: older entries are then ignored

# Entries kept of each kind (the newest by write time).
BOUNDS = {
    "scans": 32,  # a full scan of both files, ~0.5 MB each (tracker.scancache)
    "commits": 1024,  # a checkout HEAD's commit date, by commit id (tiny)
    "data": 16,  # shipped YAML (rules, curated data, the bundled snapshot), parsed once
    "github-blobs": 32,  # the definition files read from GitHub, by blob id (~0.25 MB each)
    "github-commits": 256,  # a GitHub commit's two blob ids
    "github-http": 16,  # GitHub answers with their ETags, one entry per repository (github.rest)
    "history": 4,  # history's summaries of every revision walked, one entry (tracker.history)
}

_off = 0  # > 0 inside disabled(): nothing is read or written


def directory() -> Path:
    return cache_dir()


@contextmanager
def disabled() -> Iterator[None]:
    """Nothing is read from or written to the cache inside (``--no-cache``)."""
    global _off
    _off += 1
    try:
        yield
    finally:
        _off -= 1


def _path(kind: str, name: str) -> Path:
    if kind not in BOUNDS:
        raise ValueError(f"no cache kind {kind!r}")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"bad cache key {name!r}")
    return directory() / kind / name


def read(kind: str, key: str) -> Any:
    """The JSON value stored as ``key`` of ``kind``, or None."""
    if _off:
        return None
    try:
        doc = json.loads(_path(kind, key + ".json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("key") != key:
        return None
    return doc.get("value")


def write(kind: str, key: str, value: Any) -> bool:
    """Store ``value`` (JSON-able) as ``key`` of ``kind``; False when it could not be."""
    if _off:
        return False
    try:
        data = json.dumps({"format": FORMAT, "key": key, "value": value}, separators=(",", ":"))
    except (TypeError, ValueError):
        return False
    return _put(kind, key + ".json", data.encode("utf-8"))


def read_raw(kind: str, key: str) -> bytes | None:
    if _off:
        return None
    try:
        return _path(kind, key).read_bytes()
    except OSError:
        return None


def write_raw(kind: str, key: str, data: bytes) -> bool:
    if _off:
        return False
    return _put(kind, key, data)


def _put(kind: str, name: str, data: bytes) -> bool:
    path = _path(kind, name)
    try:
        write_bytes(path, data)
    except OSError:
        return False
    prune(kind)
    return True


def prune(kind: str) -> None:
    """Keep the newest ``BOUNDS[kind]`` entries of ``kind`` (written by this or any other
    process; temporary files, named ``.*``, are not entries)."""
    folder = directory() / kind
    try:
        entries = [e for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return
    names = [e for e in entries if not e.name.startswith(".")]
    if len(names) <= BOUNDS[kind]:
        return
    names.sort(key=_mtime, reverse=True)
    for e in names[BOUNDS[kind]:]:
        try:
            os.unlink(e.path)
        except OSError:
            pass


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:
        return 0.0
