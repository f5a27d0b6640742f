"""Write beside, then rename: a reader sees the old file or the new one, never half of one.

The one mechanism behind the state file, its backups, the snapshot and every cache; it
imports nothing of the tracker, so any layer may use it. Failures are OSError, for the
caller to judge (the state reports them, a cache shrugs them off).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


def replace(path: Path, fill: Callable[[str, int], None]) -> None:
    """Let ``fill(tmp, fd)`` write a temporary file beside ``path``, then rename it over
    ``path``; the temporary file is removed whatever goes wrong."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        fill(tmp, fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """``data`` as the new content of ``path`` (its folder made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def fill(tmp: str, fd: int) -> None:
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    replace(path, fill)
