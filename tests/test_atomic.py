"""tracker.atomic: a file is the old one or the new one, never half of one, never a leftover."""

from __future__ import annotations

import os

import pytest

from tracker import atomic


def test_write_bytes_makes_folders_and_replaces_the_file(tmp_path):
    target = tmp_path / "deep" / "state.json"
    atomic.write_bytes(target, b"one")
    atomic.write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["state.json"]  # no temporary file left behind
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)  # private, as mkstemp makes it


def test_a_failing_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "state.json"
    target.write_bytes(b"old")

    def fill(tmp: str, fd: int) -> None:
        os.write(fd, b"half")
        os.close(fd)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.replace(target, fill)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["state.json"]


def test_temporary_names_never_collide(tmp_path):
    target = tmp_path / "x"
    made = {atomic._create_beside(target) for _ in range(50)}
    for fd, _name in made:
        os.close(fd)
    assert len({name for _fd, name in made}) == 50
    assert all(n.startswith(".x.") and n.endswith(".tmp") for n in os.listdir(tmp_path))
