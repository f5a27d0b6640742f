"""`jit-tracker tui`: argument errors before the screen opens, loaders for the app."""

from __future__ import annotations

import argparse

import pytest

from tracker.cli.main import main
from tracker.cli.tui import make_loader
from tracker.tasks import TaskSet

from .fakes import EXAMPLES


def args(**kw) -> argparse.Namespace:
    base = dict(cpython_dir=None, bytecodes=None, optimizer=None, state=None)
    base.update(kw)
    return argparse.Namespace(**base)


def test_bad_paths_are_cli_errors_not_a_screen(capsys, tmp_path):
    assert main(["tui", "--bytecodes", str(tmp_path / "missing.c")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["tui", str(tmp_path)]) == 2
    assert "not a CPython checkout" in capsys.readouterr().err


def test_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["tui", "--help"])
    out = capsys.readouterr().out
    assert "CPYTHON_DIR" in out and "--state" in out and "--bytecodes" in out


def test_live_loader_scans_in_stages():
    seen = []
    loader = make_loader(args(bytecodes=str(EXAMPLES / "bytecodes.c"),
                              optimizer=str(EXAMPLES / "optimizer_bytecodes.c")))
    ts = loader(lambda message, fraction: seen.append((message, fraction)))
    assert isinstance(ts, TaskSet) and ts.tasks
    assert any(t.excerpt for t in ts.tasks)  # a live scan carries the source text
    fractions = [f for _m, f in seen if f is not None]
    assert len(seen) >= 3 and fractions == sorted(fractions)


def test_bundled_loader_uses_the_snapshot(monkeypatch):
    from tracker import snapshot

    fixed = TaskSet({"snapshot": "bundled"}, [])
    monkeypatch.setattr(snapshot, "load_bundled", lambda use_cache=True: fixed)
    seen = []
    ts = make_loader(args())(lambda m, f: seen.append(m))
    assert ts is fixed and seen
