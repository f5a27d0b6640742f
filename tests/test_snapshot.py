"""Snapshots: facts out, facts back in, no source text, clear errors; the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tracker import rules, snapshot, sources
from tracker.cli.main import main
from tracker.errors import DataError
from tracker.tasks import Task, TaskSet

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _taskset(root: Path) -> TaskSet:
    t = Task("refcount:_X", "refcount", "convert _X", "_X", ["X"], file=str(root / "Python/bytecodes.c"),
             line=3, recipe={"optimizer_change": {"file": str(root / "Python/optimizer_bytecodes.c")}})
    t.excerpt = "op(_X, (a --)) { SECRET_SOURCE_TEXT(); }"
    done = Task("tier2:Y", "tier2", "Y in tier 2", None, ["Y"], status="done")
    return TaskSet({"origin": str(root), "bytecodes": str(root / "Python/bytecodes.c"), "revision": "abc",
                    "date": "2025-05-30T00:00:00+00:00"}, [t, done], [{"name": "X", "tier2": True}])


def test_roundtrip_drops_excerpts_and_local_paths(tmp_path):
    root = tmp_path / "cpython"
    root.mkdir()
    out = snapshot.write(_taskset(root), tmp_path / "s.yaml", {"repository": "https://example.org/cpython"})
    text = out.read_text()
    assert "SECRET_SOURCE_TEXT" not in text and "excerpt" not in text
    assert str(tmp_path) not in text  # no local paths anywhere, nested ones included
    ts = snapshot.load(out)
    assert [(t.id, t.status) for t in ts.tasks] == [("refcount:_X", "open"), ("tier2:Y", "done")]
    assert ts.tasks[0].file == "Python/bytecodes.c"
    assert ts.tasks[0].recipe["optimizer_change"]["file"] == "Python/optimizer_bytecodes.c"
    assert ts.source["revision"] == "abc" and ts.source["repository"] == "https://example.org/cpython"
    assert ts.source["bytecodes"] == "Python/bytecodes.c"
    assert ts.instructions == [{"name": "X", "tier2": True}]
    assert yaml.safe_load(text)["counts"]["status"] == {"open": 1, "done": 1}


def test_load_errors(tmp_path):
    p = tmp_path / "s.yaml"
    with pytest.raises(DataError, match="no such snapshot"):
        snapshot.load(p)
    p.write_text("format: jit-tracker-snapshot\nversion: 1\ntasks: [\n")
    with pytest.raises(DataError, match=rf"{p}:4:1: broken snapshot"):
        snapshot.load(p)
    p.write_text("tasks: []\n")
    with pytest.raises(DataError, match="not a jit-tracker snapshot"):
        snapshot.load(p)
    p.write_text("format: jit-tracker-snapshot\nversion: 7\ntasks: []\n")
    with pytest.raises(DataError, match="upgrade"):
        snapshot.load(p)
    p.write_text("format: jit-tracker-snapshot\nversion: 1\ntasks: [{id: 'a:b'}]\n")
    with pytest.raises(DataError, match="task #1 needs"):
        snapshot.load(p)


def test_bundled_snapshot_is_real_and_factual():
    ts = snapshot.load_bundled()
    src = ts.source
    # CPython main of 2026-08-21 (3.16.0a0), with CPython's own commit
    assert src["date"].startswith("2026-08-21") and src["python_version"] == "3.16.0a0"
    assert src["revision"] == "999a046b24cff4ba0e72b574196721f66bd08237"
    assert "repository_revision" not in src
    assert src["repository"] == "https://github.com/python/cpython" and src["ref"] == "main"
    assert src["bytecodes"] == "Python/bytecodes.c"
    kinds = {t.kind for t in ts.tasks}
    assert {"refcount", "optimizer"} <= kinds
    assert all(t.excerpt is None for t in ts.tasks)
    assert all(t.id.split(":", 1)[0] == t.kind for t in ts.tasks)
    assert len({t.id for t in ts.tasks}) == len(ts.tasks)
    assert ts.instructions  # instruction facts for tier-2 views
    text = snapshot.BUNDLED.read_text()
    assert "/root/" not in text and "/home/" not in text


def test_bundled_notice_is_one_line():
    ts = snapshot.load_bundled()
    notice = snapshot.bundled_notice(ts)
    assert "\n" not in notice and "bundled snapshot" in notice
    assert "CPython main 999a046, 2026-08-21, " in notice and " days old " in notice


def test_bundled_counts():
    """The figures the README quotes (CPython main of 2026-08-21)."""
    ts = snapshot.load_bundled()
    counts = ts.counts()
    assert counts["kind"] == {"refcount": 104, "helper": 5, "split": 19, "optimizer": 186, "tier2": 8}
    assert counts["status"] == {"open": 139, "done": 182, "blocked": 1}
    assert counts["difficulty"] == {"easy": 64, "medium": 58, "hard": 17}
    # the tree's uops are listed, so what later trees no longer have is told removed
    assert ts.uops and "_CALL_BUILTIN_CLASS" in ts.uops
    assert "_POP_TOP_LOAD_CONST_INLINE_BORROW" not in ts.uops  # decomposed (gh-148211)


def test_bundled_source_reads_only_the_head():
    assert snapshot.bundled_source() == {**snapshot.load_bundled().source, "snapshot": "bundled"}


def test_missing_bundled_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "BUNDLED", tmp_path / "none.yaml")
    with pytest.raises(DataError, match="bundled snapshot .* is missing"):
        snapshot.load_bundled()


def test_cli_snapshot_matches_live_scan(tmp_path, capsys):
    out = tmp_path / "toy.yaml"
    assert main(["snapshot", "--bytecodes", str(EXAMPLES / "bytecodes.c"),
                 "--optimizer", str(EXAMPLES / "optimizer_bytecodes.c"), "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    live = rules.scan(sources.from_files(str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")))
    saved = snapshot.load(out)
    assert [(t.id, t.status, t.line) for t in saved.tasks] == [(t.id, t.status, t.line) for t in live.tasks]
    assert all(t.excerpt is None for t in saved.tasks)


def test_cli_snapshot_needs_sources(tmp_path, capsys):
    assert main(["snapshot", "--out", str(tmp_path / "x.yaml")]) == 2
    assert "no CPython sources given" in capsys.readouterr().err


def test_cli_snapshot_records_the_revision_of_an_exported_tree(tmp_path, capsys):
    out = tmp_path / "toy.yaml"
    sha = "0123456789abcdef0123456789abcdef01234567"
    toy = ["--bytecodes", str(EXAMPLES / "bytecodes.c"), "--optimizer", str(EXAMPLES / "optimizer_bytecodes.c")]
    assert main(["snapshot", *toy, "--revision", sha, "--date", "2026-08-21T10:00:00Z",
                 "--out", str(out)]) == 0
    saved = snapshot.load(out)
    assert saved.source["revision"] == sha and saved.source["date"] == "2026-08-21T10:00:00Z"
    # every uop of the tree is listed, so a later comparison tells done from removed
    assert saved.uops and all(name.startswith("_") or name.isupper() for name in saved.uops)
    assert main(["snapshot", *toy, "--revision", "999a046", "--out", str(out)]) == 2
    assert "expected a full commit id" in capsys.readouterr().err
