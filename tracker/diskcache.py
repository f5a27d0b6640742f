"""Derived data kept on disk between runs, in the user cache directory.

The bottom of the storage: named values in :mod:`marshal` format behind a header with a
checksum, written to a temporary file renamed into place, the oldest removed past
:data:`MAX_ENTRIES`. Any layer may keep what it derived from a file's contents here
(the scan cache of :mod:`tracker.scancache`, parsed rule data); a value that is
missing, corrupt or written by another Python reads as None, and a failure to write is
reported by the return value, never raised: a cache never stops a command.
"""

from __future__ import annotations

import marshal
import os
import sys
from contextlib import contextmanager
from zlib import crc32

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any, Iterator

from .paths import CACHE_ENV as ENV_VAR, cache_dir
FORMAT = 1  # bump when what an entry holds changes
MAX_ENTRIES = 48  # full scans are ~0.4 MB each
MAX_BESIDE = 8  # entries in a shipped folder's __pycache__: one per shipped file and version
_MAGIC = b"jit-tracker-cache 2\n"  # then the payload's CRC-32 (4 bytes, big-endian)
_TAG = sys.implementation.cache_tag or "py"  # marshal's format follows the interpreter
_off = 0  # > 0 inside disabled(): nothing is read or written


def directory() -> str:
    """Where entries are kept: ``$JIT_TRACKER_CACHE_DIR``, else the user cache directory
    (also where :mod:`tracker.github.source` keeps blobs and the last live scan lives)."""
    return str(cache_dir())


def tag() -> str:
    """What every entry's name carries after its kind: the format and the interpreter."""
    return f"{FORMAT}-{_TAG}"


@contextmanager
def disabled() -> "Iterator[None]":
    """Nothing is read from or written to the cache inside (``--no-cache``)."""
    global _off
    _off += 1
    try:
        yield
    finally:
        _off -= 1


def read(name: str, beside: Any = None) -> Any:
    """The value stored as ``name``, or None when absent, corrupt or not ours.

    ``beside`` names a file shipped with jit-tracker that the value was derived from:
    the value is then looked for in that file's ``__pycache__`` folder first (see
    :func:`write`)."""
    if _off:
        return None
    if beside is not None:
        value = _read_file(os.path.join(_pycache(beside), name))
        if value is not None:
            return value
    return _read_file(os.path.join(directory(), name))


def _read_file(path: str) -> Any:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(_MAGIC) + 4
    payload = memoryview(data)[head:]  # not copied: entries are ~0.4 MB
    if len(data) < head or not data.startswith(_MAGIC) or crc32(payload).to_bytes(4, "big") != data[len(_MAGIC):head]:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def write(name: str, value: Any, beside: Any = None) -> bool:
    """Store ``value`` as ``name`` (temporary file, then rename); False when it could not be.

    With ``beside`` (a file shipped with jit-tracker, such as the rule data), the value
    goes to that file's ``__pycache__`` folder, as Python keeps a module's compiled code:
    made once per installation, so even a first run with an empty user cache does not
    parse the shipped YAML again. Where the installation cannot be written, the user
    cache holds it."""
    if _off:
        return False
    try:
        payload = marshal.dumps(value)
    except ValueError:  # a value marshal cannot hold
        return False
    data = _MAGIC + crc32(payload).to_bytes(4, "big") + payload
    # beside a shipped file readable by all who can read that file, as a .pyc is
    targets = [(_pycache(beside), MAX_BESIDE, 0o644)] if beside is not None else []
    targets.append((directory(), MAX_ENTRIES, None))
    for folder, keep, mode in targets:
        if _write_file(folder, name, data, mode):
            _prune(folder, keep)
            return True
    return False


def _pycache(beside: Any) -> str:
    return os.path.join(os.path.dirname(os.fspath(beside)), "__pycache__")


def _write_file(folder: str, name: str, data: bytes, mode: int | None) -> bool:
    from pathlib import Path

    from .atomic import write_bytes

    try:
        write_bytes(Path(folder) / name, data, mode)
    except OSError:
        return False
    return True


def _prune(folder: str, keep: int = MAX_ENTRIES) -> None:
    """Keep the newest ``keep`` entries (history's file aside); temporary files of dead
    writers go too."""
    try:
        names = [n for n in os.listdir(folder) if not n.startswith("history")]
        if len(names) <= keep:
            return
        paths = sorted((os.path.join(folder, n) for n in names), key=_mtime, reverse=True)
        for p in paths[keep:]:
            os.unlink(p)
    except OSError:
        pass


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
