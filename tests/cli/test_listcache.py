"""The listing cache: a warm `tasks --json|yaml` prints what a fresh one would, and any
change to what a listing is made of makes it again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tracker.cli import listcache, main
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
PIPE = Path(__file__).parent.parent / "fixtures" / "pystats" / "toy-pipe.md"


def checkout(tmp_path: Path) -> Path:
    """A CPython-like tree holding the toy definitions (a copy: the test edits it)."""
    tree = tmp_path / "cpython"
    (tree / "Python").mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "bytecodes.c", tree / "Python" / "bytecodes.c")
    shutil.copyfile(EXAMPLES / "optimizer_bytecodes.c", tree / "Python" / "optimizer_bytecodes.c")
    return tree


def listing(capsys, *args: str) -> tuple[str, str]:
    assert main(["tasks", *args]) == 0
    got = capsys.readouterr()
    return got.out, got.err


def entries() -> list[Path]:
    return sorted(Path(os.environ["JIT_TRACKER_CACHE_DIR"]).glob("listing-*"))


def test_a_warm_listing_prints_what_a_fresh_one_does(capsys, tmp_path):
    tree, state = checkout(tmp_path), tmp_path / "state.yaml"
    for fmt in (["--json"], ["--format", "yaml"]):
        args = [str(tree), "--state", str(state), *fmt]
        first = listing(capsys, *args)
        made = entries()
        again = listing(capsys, *args)
        assert again == first and entries() == made  # the same text and notices, from the entry
        assert listing(capsys, *args, "--no-cache") == first  # and what a scan prints
    assert len(entries()) == 2
    out, err = first
    assert "tasks:" in out and err.startswith("jit-tracker: CPython") and "execution counts" in err


def test_a_changed_state_source_report_or_option_makes_the_listing_again(capsys, tmp_path):
    tree, state = checkout(tmp_path), tmp_path / "state.yaml"
    args = [str(tree), "--state", str(state), "--json"]
    plain = json.loads(listing(capsys, *args)[0])
    assert all(t["claim"] is None for t in plain["tasks"])

    Store(state).claim("refcount:_ADD", "ada")
    claimed = json.loads(listing(capsys, *args)[0])
    assert next(t for t in claimed["tasks"] if t["id"] == "refcount:_ADD")["claim"]["by"] == "ada"

    report = tmp_path / "report.md"
    shutil.copyfile(PIPE, report)
    weighed = json.loads(listing(capsys, *args, "--stats", str(report))[0])
    assert weighed["stats"]["origin"] == str(report)
    report.write_text(PIPE.read_text().replace("2024-03-01", "2024-03-02"))
    assert json.loads(listing(capsys, *args, "--stats", str(report))[0])["stats"]["label"] == "pystats of 2024-03-02"
    assert json.loads(listing(capsys, *args, "--no-stats")[0]).get("stats") is None
    only = json.loads(listing(capsys, *args, "--kind", "split")[0])
    assert [t["id"] for t in only["tasks"]] == ["split:IS"]

    bytecodes = tree / "Python" / "bytecodes.c"
    bytecodes.write_text(bytecodes.read_text() + "\n// edited\n")
    edited = json.loads(listing(capsys, *args)[0])
    lines = {t["id"]: t["line"] for t in edited["tasks"]}
    assert lines == {t["id"]: t["line"] for t in claimed["tasks"]}  # same tasks ...
    assert len({e.name for e in entries()}) == 7  # ... but a listing of the new contents


def test_a_broken_state_is_reported_every_time(capsys, tmp_path):
    tree, state = checkout(tmp_path), tmp_path / "state.yaml"
    state.write_text("claims: [unclosed\n")
    for _ in range(2):
        out, err = listing(capsys, str(tree), "--state", str(state), "--json")
        assert "warning: claims not shown" in err and json.loads(out)["tasks"]
    assert entries() == []


def test_no_entry_for_tables_nor_without_cache(capsys, tmp_path):
    tree = checkout(tmp_path)
    listing(capsys, str(tree), "--state", str(tmp_path / "s.yaml"))
    listing(capsys, str(tree), "--state", str(tmp_path / "s.yaml"), "--json", "--no-cache")
    assert entries() == []


def test_the_code_signature_follows_the_data_files(tmp_path, monkeypatch):
    import tracker.paths

    (tmp_path / "rules.yaml").write_text("a: 1\n")
    monkeypatch.setattr(tracker.paths, "DATA_DIR", tmp_path)
    before = listcache.code_signature()
    assert [str(tmp_path / "rules.yaml"), listcache._stat(str(tmp_path / "rules.yaml"))] in before
    (tmp_path / "rules.yaml").write_text("a: 22\n")
    assert listcache.code_signature() != before
    assert any(p.endswith(os.path.join("tracker", "tasks.py")) for p, _ in before)


PROBE = """
import sys
from tracker.cli.main import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def test_a_warm_listing_loads_no_task_model_counts_nor_state(tmp_path):
    tree = checkout(tmp_path)
    env = {**os.environ, "JIT_TRACKER_STATE": str(tmp_path / "state.yaml")}
    argv = [sys.executable, "-c", PROBE, "tasks", str(tree), "--json"]
    cold = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    warm = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert warm.stdout == cold.stdout
    mods = set(warm.stderr.splitlines()[-1].split())
    assert "tracker.stats" in set(cold.stderr.splitlines()[-1].split())
    assert not mods & {"tracker.tasks", "tracker.stats", "tracker.store", "tracker.graph", "yaml",
                       "dataclasses", "shutil"}


def test_help_still_wraps_to_the_terminal(capsys, monkeypatch):
    import pytest

    shown = {}
    for width in (50, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        with pytest.raises(SystemExit):
            main(["tasks", "--help"])
        shown[width] = capsys.readouterr().out.splitlines()
        assert len(shown[width][0]) <= width
    assert len(shown[50]) > len(shown[120]) and max(map(len, shown[120])) > 60


def test_only_the_newest_listings_are_kept(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(listcache, "MAX_LISTINGS", 2)
    tree = checkout(tmp_path)
    args = [str(tree), "--state", str(tmp_path / "state.yaml"), "--json"]
    for kind in ("refcount", "split", "tier2"):
        listing(capsys, *args, "--kind", kind)
    assert len(entries()) == 2
    assert len(list(Path(os.environ["JIT_TRACKER_CACHE_DIR"]).glob("scan-*"))) == 1  # the scan stays
