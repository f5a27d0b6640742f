"""``jit-tracker scan``: counts of what a checkout or explicit files define."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tracker import model, sources
from tracker.cli.main import main
from tracker.scancache import definition_counts

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "data" / "examples"
TOY_COUNTS = {"instructions": 17, "uops": 25, "families": 1, "pseudos": 2, "labels": 2,
              "optimizer_cases": 7}


def toy_checkout(root: Path) -> Path:
    (root / "Python").mkdir(parents=True)
    shutil.copy(EXAMPLES / "bytecodes.c", root / "Python" / "bytecodes.c")
    shutil.copy(EXAMPLES / "optimizer_bytecodes.c", root / "Python" / "optimizer_bytecodes.c")
    return root


def test_summary_counts_the_model():
    m = model.load(sources.from_files(str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")))
    assert definition_counts(m) == TOY_COUNTS


def test_scan_explicit_files_as_json(capsys):
    b, o = str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")
    assert main(["scan", "--bytecodes", b, "--optimizer", o, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == TOY_COUNTS
    assert data["source"] == {"origin": "files", "bytecodes": b, "optimizer": o, "revision": None}
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0


def test_scan_without_optimizer_counts_no_cases(capsys):
    assert main(["scan", "--bytecodes", str(EXAMPLES / "bytecodes.c"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {**TOY_COUNTS, "optimizer_cases": 0}


def test_scan_a_checkout_directory(tmp_path, capsys):
    root = toy_checkout(tmp_path / "cpython")
    assert main(["scan", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == TOY_COUNTS
    assert data["source"]["origin"] == str(root)
    assert data["source"]["bytecodes"] == str(root / "Python" / "bytecodes.c")


def test_scan_table_says_how_long_it_took(tmp_path, capsys):
    assert main(["scan", str(toy_checkout(tmp_path / "c"))]) == 0
    out = capsys.readouterr().out
    assert "instructions" in out and "optimizer_cases" in out
    assert "scanned in" in out and " ms" in out


def test_directory_that_is_not_a_checkout_is_a_clear_error(tmp_path, capsys):
    assert main(["scan", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"jit-tracker: error: {tmp_path}: not a CPython checkout")
    assert "hint:" in captured.err and "Traceback" not in captured.err


def test_a_broken_definition_in_a_checkout_costs_it_alone_with_a_located_warning(tmp_path, capsys):
    root = toy_checkout(tmp_path / "c")
    path = root / "Python" / "bytecodes.c"
    text = path.read_text()
    path.write_text(text.replace("inst(NOP, (--))", "inst(NOP, (-))"))
    assert main(["scan", str(root), "--json"]) == 0
    captured = capsys.readouterr()
    warning = [line for line in captured.err.splitlines() if ": warning: " in line]
    assert warning[0].startswith(f"{path}:15:")
    assert "; skipped inst NOP (line" in warning[0]
    # what named NOP loses only that name
    assert "skipped target NOP of pseudo JUMP_ANY" in warning[1]
    data = json.loads(captured.out)
    assert data["warnings"][0]["line"] == 15
    # a rerun from the scan cache says it again
    assert main(["scan", str(root), "--json"]) == 0
    again = capsys.readouterr()
    assert json.loads(again.out)["cached"] and warning[0] in again.err
    assert json.loads(again.out)["warnings"] == data["warnings"]


def test_syntax_error_that_leaves_the_file_unreadable_is_located(tmp_path, capsys):
    root = toy_checkout(tmp_path / "c")
    path = root / "Python" / "bytecodes.c"
    path.write_text(path.read_text().replace("inst(NOP, (--))", 'inst(NOP, (-- "))'))
    assert main(["scan", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:15:") and "literal is never closed" in err.splitlines()[0]
    assert "^" in err.splitlines()[2]


def test_source_options_are_checked(tmp_path, capsys):
    assert main(["scan", "--optimizer", str(EXAMPLES / "optimizer_bytecodes.c")]) == 2
    assert "--optimizer needs --bytecodes" in capsys.readouterr().err
    assert main(["scan", str(tmp_path), "--bytecodes", str(EXAMPLES / "bytecodes.c")]) == 2
    assert "either CPYTHON_DIR or --bytecodes" in capsys.readouterr().err


def test_a_rescan_prints_the_stored_tally_and_an_old_entry_still_serves(tmp_path, capsys, monkeypatch):
    from tracker import scancache

    tree = toy_checkout(tmp_path / "cpython")

    def scan_json(*extra: str) -> dict:
        assert main(["scan", str(tree), "--json", *extra]) == 0
        data = json.loads(capsys.readouterr().out)
        del data["seconds"]
        return data

    fresh = scan_json("--no-cache")
    first = scan_json()  # scans and stores the tally with the tasks
    srcs = sources.from_checkout(tree)
    entry = scancache.load(*srcs.blob_ids())
    assert entry["summary"] == fresh["tasks"] and first["cached"] is False
    with monkeypatch.context() as patched:  # undoes only its own patch, not the private cache
        patched.setattr(scancache, "scan", lambda *a, **k: pytest.fail("tasks rebuilt"))
        assert scan_json() == {**fresh, "cached": True}  # from the tally: no task rebuilt

    del entry["summary"]  # an entry of a version that kept no tally
    scancache.store(*srcs.blob_ids(), entry)
    assert scan_json() == {**fresh, "cached": True}
