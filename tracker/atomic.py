"""Write beside, then rename: a reader sees the old file or the new one, never half of one.

The one mechanism behind the state file, its backups, the snapshot and every cache; it
imports nothing of the tracker, so any layer may use it. Failures are OSError, for the
caller to judge (the state reports them, a cache shrugs them off).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Callable


def replace(path: Path, fill: Callable[[str, int], None]) -> None:
    """Let ``fill(tmp, fd)`` write a temporary file beside ``path``, then rename it over
    ``path``; the temporary file is removed whatever goes wrong."""
    fd, tmp = _create_beside(path)
    try:
        fill(tmp, fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _create_beside(path: Path) -> tuple[int, str]:
    """A new file ``.NAME.RANDOM.tmp`` beside ``path``, opened for writing by this process
    alone (as ``tempfile.mkstemp``, whose import costs a listing more than its write)."""
    for _attempt in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """``data`` as the new content of ``path`` (its folder made if missing); the file is
    private to the user (0o600) unless ``mode`` says otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def fill(tmp: str, fd: int) -> None:
        if mode is not None:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    replace(path, fill)
