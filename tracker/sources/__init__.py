"""Where DSL text comes from: a CPython checkout, explicit files, git blobs, or GitHub.

Reading is separated from parsing so that every way of getting the text (a work tree,
a revision of a git repository, a test's string) goes through one decoder with one
set of error messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from hashlib import sha1
from pathlib import Path
from typing import Any, Callable

from ..errors import DSLError, UsageError

BYTECODES = "Python/bytecodes.c"
OPTIMIZER = "Python/optimizer_bytecodes.c"

# Inputs above this size are refused before reading. Real definition files are about
# 230 KB (Python/bytecodes.c, 2025) and grow slowly, so 4 MiB leaves 18x headroom; a
# file that big parses in about 1.5 s within 80 MB. Beyond it parsing time and memory
# grow linearly (30 MB: ~19 s, ~400 MB), so a 50 MB input is refused with a clear
# error instead of keeping a user waiting for a result that cannot be right.
MAX_INPUT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """The decoded text of one input, with the name it is reported under."""

    name: str
    text: str

    def blob_id(self) -> str:
        """Git's id of the file (the scan cache is keyed by it)."""
        return blob_id(self.text.encode("utf-8"))  # decoding UTF-8 strictly round-trips


@dataclass(frozen=True)
class SourceSet:
    """The inputs of one scan and where they came from (for provenance)."""

    bytecodes: SourceText
    optimizer: SourceText | None
    origin: str  # a directory, "files", "git:<rev>" or "github:OWNER/NAME@REF"
    revision: str | None = None
    date: str | None = None
    repository: str | None = None  # OWNER/NAME on GitHub (github.source)
    ref: str | None = None  # the branch, tag or sha asked for
    blobs: tuple[str | None, ...] = ()  # blob ids of the two files, when known

    def provenance(self) -> dict[str, Any]:
        """Where a scan's tasks came from, as ``TaskSet.source`` records it."""
        source: dict[str, Any] = {"origin": self.origin, "bytecodes": self.bytecodes.name,
                  "optimizer": self.optimizer.name if self.optimizer else None,
                  "revision": self.revision, "date": self.date}
        if self.repository:
            source.update(repository=self.repository, ref=self.ref, blobs=list(self.blobs))
        return source

    def blob_ids(self) -> tuple[str, str | None]:
        """The git blob ids of both files: as the source gave them, else computed."""
        known = tuple(self.blobs) + (None, None)
        return (known[0] or self.bytecodes.blob_id(),
                known[1] or (self.optimizer.blob_id() if self.optimizer else None))


def blob_id(data: bytes) -> str:
    """Git's id of a file's contents (the blob sha1), computed without git."""
    return sha1(b"blob %d\0" % len(data) + data).hexdigest()


def decode(data: bytes, name: str) -> str:
    """UTF-8 decode, or a DSLError pointing at the first bad byte (or at an oversize)."""
    if len(data) > MAX_INPUT_BYTES:
        raise _too_big(len(data), name, data[:200].split(b"\n", 1)[0].decode("utf-8", "replace"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        line_start = before.rfind(b"\n") + 1
        line_end = data.find(b"\n", exc.start)
        text = data[line_start : line_end if line_end >= 0 else len(data)]
        raise DSLError(
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            name, line, col, text.decode("utf-8", "replace"),
            hint="instruction definitions are UTF-8 text; is this the right file?",
        ) from None


def read_file(path: str | os.PathLike[str], name: str | None = None) -> SourceText:
    p = Path(path)
    shown = name or str(path)
    if not p.exists():
        raise UsageError(f"{shown}: no such file")
    if p.is_dir():
        raise UsageError(f"{shown}: is a directory, expected a file")
    size = p.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise _too_big(size, shown, _first_line(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read: {exc.strerror}") from None
    return SourceText(shown, decode(data, shown))


def _too_big(size: int, name: str, first_line: str) -> DSLError:
    return DSLError(
        f"file is {size / 1e6:.0f} MB, over the {MAX_INPUT_BYTES / (1024 * 1024):g} MiB limit: "
        "instruction-definition files are a few hundred KB",
        name, 1, 1, first_line or "<empty line>", hint="is this the right file?",
    )


def _first_line(path: Path) -> str:
    """The start of a file's first line, for showing under an error about the whole file."""
    try:
        with path.open("rb") as f:
            head = f.read(200)
    except OSError:
        return ""
    return head.split(b"\n", 1)[0].decode("utf-8", "replace") or "<empty line>"


def is_checkout(directory: str | os.PathLike[str]) -> bool:
    return (Path(directory) / BYTECODES).is_file()


def from_checkout(directory: str | os.PathLike[str],
                  head: Callable[[Path], tuple[str | None, str | None]] | None = None) -> SourceSet:
    """Both DSL files of a CPython checkout (the optimizer's is optional before 3.13).

    ``head`` tells the revision and commit date of the checkout (the caller asks git,
    see :func:`tracker.git.head`); without it they are not known.
    """
    root = Path(directory)
    if not root.exists():
        raise UsageError(f"{directory}: no such directory")
    if not root.is_dir():
        raise UsageError(
            f"{directory}: is a file, expected a CPython checkout",
            hint="pass the checkout's directory, or the file with --bytecodes FILE",
        )
    if not is_checkout(root):
        raise UsageError(
            f"{directory}: not a CPython checkout (no {BYTECODES})",
            hint="pass the top directory of a CPython clone, or use --bytecodes FILE --optimizer FILE",
        )
    bytecodes = read_file(root / BYTECODES, str(root / BYTECODES))
    opt_path = root / OPTIMIZER
    optimizer = read_file(opt_path, str(opt_path)) if opt_path.is_file() else None
    revision, date = head(root) if head is not None else (None, None)
    return SourceSet(bytecodes, optimizer, str(root), revision, date)


def from_files(bytecodes: str, optimizer: str | None) -> SourceSet:
    return SourceSet(
        read_file(bytecodes), read_file(optimizer) if optimizer else None, "files"
    )


def strip_root(value: Any, root: str) -> Any:
    """``value`` with every path inside checkout ``root`` made relative to it.

    Walks lists and dicts; a string counts as such a path when it starts with the root
    and a separator (``/``, or ``\\`` on Windows), so ``/src/cpython/Python/bytecodes.c:42``
    and ``C:\\src\\cpython\\Python\\bytecodes.c:42`` both become ``Python/bytecodes.c:42``.
    Output then reads the same wherever the scan ran, and no local path is shipped.
    """
    base = root.rstrip("/\\")
    prefixes = (base + "/", base + "\\")

    def strip(value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith(prefixes):
                return value[len(base) + 1:].replace("\\", "/")
            return value
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        return value

    return strip(value)
