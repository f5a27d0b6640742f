"""Write beside, then rename: a reader sees the old file or the new one, never half of one.

The one mechanism behind the state file, its backups, the history file, the snapshot and
every cache, and the file lock of a read-modify-write. :func:`replace` and
:func:`write_bytes` fail with OSError, for the caller to judge (a cache shrugs them off);
:func:`write_text` and :func:`copy` say what was not written as a TrackerError (the
state and the files a user asked for report them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import TrackerError

LOCK_TIMEOUT = 30.0


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


def write_text(path: Path, text: str) -> None:
    """``text`` as the new content of ``path``, flushed to disk; TrackerError when it
    cannot be written (the previous file is then unchanged)."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def fill(tmp: str, fd: int) -> None:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())

    _reported(path, fill, f"{path}: cannot write", "the previous file is unchanged")


def copy(src: Path, dst: Path) -> None:
    """A copy of ``src`` as ``dst`` (a backup); TrackerError when it cannot be written."""
    def fill(tmp: str, fd: int) -> None:
        os.close(fd)
        import shutil

        shutil.copyfile(src, tmp)

    _reported(dst, fill, f"{dst}: cannot write the backup", f"{src} is unchanged")


def _reported(path: Path, fill: Callable[[str, int], None], what: str, hint: str) -> None:
    try:
        replace(path, fill)
    except OSError as exc:
        raise TrackerError(f"{what}: {exc.strerror or exc}", hint=hint) from None


@contextmanager
def locked(path: Path, lock_path: Path, what: str = "cannot write", hint: str | None = None) -> Iterator[None]:
    """Hold the file lock ``lock_path`` (of ``path``, named in errors) for a
    read-modify-write; TrackerError when another process holds it for LOCK_TIMEOUT s, or
    when the lock cannot be made (``hint`` says what to do then)."""
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT)
        lock.acquire()
    except Timeout:
        raise TrackerError(
            f"{path}: another jit-tracker has held the lock for {LOCK_TIMEOUT:.0f} s",
            hint=f"wait for it to finish; if none is running, delete {lock_path}",
        ) from None
    except OSError as exc:
        where = exc.filename or lock_path
        raise TrackerError(f"{path}: {what}: {where}: {exc.strerror or exc}",
                           hint=hint or f"make {path.parent} writable") from None
    try:
        yield
    finally:
        lock.release()
