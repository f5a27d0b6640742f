"""A commit's date read from a repository's object files, without running git.

Every scan of a checkout says how old its commit is. Asking ``git log`` costs a process
(and Python's ``subprocess``): more than a whole listing from the cache. A commit is a
small zlib-compressed text, either loose (``objects/ab/cdef…``) or in a pack found
through the pack's index (version 2: a fan-out table, sorted ids, offsets), so reading
its ``committer`` line is a few file reads. Anything unusual (a deltified commit, a
SHA-256 repository, an alternate object store, a damaged file) answers None, and the
caller asks git.
"""

from __future__ import annotations

import os
import zlib
from datetime import datetime, timedelta, timezone

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from pathlib import Path

_COMMIT = 1  # a pack entry's type for a commit (6 and 7 are deltas)


def commit_date(objects: Path, commit: str) -> str | None:
    """The committer date of ``commit`` as ``git log --format=%cI`` prints it, or None."""
    try:
        raw = _loose(objects, commit)
        if raw is None:
            raw = _packed(objects, commit)
        return _committer_date(raw) if raw is not None else None
    except (OSError, ValueError, zlib.error, IndexError, OverflowError):
        return None


def _loose(objects: Path, commit: str) -> bytes | None:
    try:
        with open(os.path.join(objects, commit[:2], commit[2:]), "rb") as f:
            data = zlib.decompress(f.read())
    except FileNotFoundError:
        return None
    header, _, body = data.partition(b"\0")
    return body if header.startswith(b"commit ") else None


def _packed(objects: Path, commit: str) -> bytes | None:
    if len(commit) != 40:
        return None  # SHA-256 repositories: git knows
    want = bytes.fromhex(commit)
    pack_dir = os.path.join(objects, "pack")
    for name in sorted(os.listdir(pack_dir)):
        if name.endswith(".idx"):
            offset = _find_in_index(os.path.join(pack_dir, name), want)
            if offset is not None:
                return _read_entry(os.path.join(pack_dir, name[:-4] + ".pack"), offset)
    return None


def _find_in_index(path: str, want: bytes) -> int | None:
    """The offset of object ``want`` in the pack this version-2 index describes."""
    with open(path, "rb") as f:
        head = f.read(8 + 256 * 4)
        if head[:8] != b"\377tOc\0\0\0\2":
            return None
        fanout = head[8:]
        first = want[0]
        lo = int.from_bytes(fanout[(first - 1) * 4:first * 4], "big") if first else 0
        hi = int.from_bytes(fanout[first * 4:first * 4 + 4], "big")
        count = int.from_bytes(fanout[255 * 4:], "big")
        ids_at = 8 + 256 * 4
        while lo < hi:  # binary search over the sorted 20-byte ids of this first byte
            mid = (lo + hi) // 2
            f.seek(ids_at + mid * 20)
            found = f.read(20)
            if found == want:
                break
            lo, hi = (mid + 1, hi) if found < want else (lo, mid)
        else:
            return None
        f.seek(ids_at + count * 24 + mid * 4)  # past the ids and the CRCs: 4-byte offsets
        offset = int.from_bytes(f.read(4), "big")
        if offset & 0x80000000:  # in the table of 8-byte offsets, for packs over 2 GiB
            f.seek(ids_at + count * 28 + (offset & 0x7FFFFFFF) * 8)
            offset = int.from_bytes(f.read(8), "big")
        return offset


def _read_entry(path: str, offset: int) -> bytes | None:
    with open(path, "rb") as f:
        f.seek(offset)
        byte = f.read(1)[0]
        kind, size, shift = (byte >> 4) & 7, byte & 15, 4
        while byte & 0x80:
            byte = f.read(1)[0]
            size |= (byte & 0x7F) << shift
            shift += 7
        if kind != _COMMIT:
            return None  # a delta: rebuilding it needs its base, which git does better
        inflate = zlib.decompressobj()
        out = b""
        while len(out) < size and not inflate.eof:
            chunk = f.read(4096)
            if not chunk:
                break
            out += inflate.decompress(chunk)
        return out if len(out) == size else None


def _committer_date(body: bytes) -> str | None:
    """``committer NAME <MAIL> SECONDS +HHMM`` as strict ISO 8601 in its own offset."""
    for line in body.split(b"\n"):
        if not line:
            return None  # the headers end before the message
        if line.startswith(b"committer "):
            seconds, tz = line.rsplit(b" ", 2)[1:]
            sign = -1 if tz[:1] == b"-" else 1
            minutes = sign * (int(tz[1:3]) * 60 + int(tz[3:5]))
            zone = timezone(timedelta(minutes=minutes))
            when = datetime.fromtimestamp(int(seconds), zone)
            return when.isoformat()
    return None
