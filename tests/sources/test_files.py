"""Reading DSL text: files, checkouts, decoding, and the errors users see."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tracker import git as tracker_git
from tracker import sources
from tracker.errors import DSLError, UsageError


def make_checkout(root: Path, optimizer: bool = True) -> Path:
    (root / "Python").mkdir(parents=True)
    (root / "Python" / "bytecodes.c").write_text("// BEGIN BYTECODES //\n// END BYTECODES //\n")
    if optimizer:
        (root / "Python" / "optimizer_bytecodes.c").write_text("// BEGIN BYTECODES //\n// END BYTECODES //\n")
    return root


def test_decode_reports_the_first_bad_byte():
    with pytest.raises(DSLError) as info:
        sources.decode(b"ok\nab\xffcd\nmore", "f.c")
    e = info.value
    assert (e.file, e.line, e.col) == ("f.c", 2, 3)
    assert e.message == "byte 0xff is not valid UTF-8"
    assert e.line_text == "ab\ufffdcd"


def test_decode_accepts_utf8():
    assert sources.decode("caf\u00e9".encode(), "f.c") == "caf\u00e9"


def test_read_file_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        sources.read_file(tmp_path / "missing.c")
    with pytest.raises(UsageError, match="is a directory"):
        sources.read_file(tmp_path)


def test_read_file_refuses_oversized_files_before_reading(tmp_path, monkeypatch):
    f = tmp_path / "big.c"
    f.write_text("first line\n" + "x" * 100)
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 50)
    with pytest.raises(DSLError) as info:
        sources.read_file(f)
    assert "MB, over the" in info.value.message
    assert info.value.line_text == "first line"
    with pytest.raises(DSLError) as info:
        sources.decode(b"blob line\n" + b"y" * 100, "git:abc:Python/bytecodes.c")
    assert (info.value.file, info.value.line_text) == ("git:abc:Python/bytecodes.c", "blob line")


def test_read_file_names_the_text(tmp_path):
    f = tmp_path / "a.c"
    f.write_text("text")
    assert sources.read_file(f) == sources.SourceText(str(f), "text")
    assert sources.read_file(f, "shown.c").name == "shown.c"


def test_from_checkout(tmp_path):
    root = make_checkout(tmp_path / "cpython")
    s = sources.from_checkout(root)
    assert s.bytecodes.name == str(root / "Python" / "bytecodes.c")
    assert s.optimizer is not None and s.optimizer.name.endswith("optimizer_bytecodes.c")
    assert s.origin == str(root)
    assert (s.revision, s.date) == (None, None)  # not a git work tree


def test_from_checkout_without_optimizer_file(tmp_path):
    s = sources.from_checkout(make_checkout(tmp_path / "old", optimizer=False))
    assert s.optimizer is None


def test_from_checkout_records_the_git_revision(tmp_path):
    root = make_checkout(tmp_path / "cpython")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "init"], check=True)
    head = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    s = sources.from_checkout(root, head=tracker_git.head)
    assert s.revision == head
    assert s.date and s.date[:2] == "20"
    assert sources.from_checkout(root).revision is None  # the core itself runs no git


@pytest.mark.parametrize("setup, message", [
    (lambda p: p, "no such directory"),
    (lambda p: (p.write_text("x"), p)[1], "is a file, expected a CPython checkout"),
    (lambda p: (p.mkdir(), p)[1], "not a CPython checkout (no Python/bytecodes.c)"),
])
def test_from_checkout_errors(tmp_path, setup, message):
    path = setup(tmp_path / "thing")
    with pytest.raises(UsageError) as info:
        sources.from_checkout(path)
    assert message in info.value.message
    assert info.value.exit_code == 2


def test_from_files(tmp_path):
    b = tmp_path / "b.c"
    b.write_text("B")
    o = tmp_path / "o.c"
    o.write_text("O")
    s = sources.from_files(str(b), str(o))
    assert (s.bytecodes.text, s.optimizer.text, s.origin) == ("B", "O", "files")
    assert sources.from_files(str(b), None).optimizer is None
