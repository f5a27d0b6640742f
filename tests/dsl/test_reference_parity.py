"""Parity with CPython's own parsers, when the reference copies are on this machine.

benchmarks/parity.py does the comparison (see its docstring); this runs it so that a
change to the parser that breaks parity fails the suite, and skips without references.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
REF_GEN = Path("~/ref/gen-2025-05").expanduser()
REF_SRC = Path("~/ref/cpython-2025-05/Python/bytecodes.c").expanduser()


@pytest.mark.skipif(not (REF_GEN / "parser.py").is_file() or not REF_SRC.is_file(),
                    reason="CPython reference parser or sources not present")
def test_definitions_equal_the_reference_parsers():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "parity.py")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "parity: all identical" in proc.stdout
    assert "FAIL" not in proc.stdout


def test_history_parity_skips_cleanly_without_a_mirror(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "history_parity.py")],
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "JIT_TRACKER_CPYTHON_MIRROR": str(tmp_path / "none")})
    assert proc.returncode == 0 and proc.stdout.startswith("skip: no CPython mirror at "), proc.stderr


def test_history_parity_compares_what_each_side_keeps():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import history_parity as hp

    ref = {"ok": True, "instructions": {"A": "inst", "M": "macro"}, "parts": {"A": ["cache/1", "_A"], "M": ["_X"]},
           "uops": {"_A": {"caches": [], "inputs": ["x"], "outputs": []}, "_X": {}, "_X_0": {}},
           "families": {"A": ["A1", "A1"]}, "pseudos": {}}
    mine = {"ok": True, "instructions": {"A": "inst", "M": "macro"}, "parts": {"A": ["_A"], "M": ["_X"]},
            "uops": {"_A": {"caches": [], "inputs": ["x"], "outputs": []}, "_X": {}},
            "families": {"A": ["A1"]}, "pseudos": {}}
    assert hp.compare(ref, mine) == []  # inst cache words, replicas, repeated members
    assert hp.compare(ref, {**mine, "parts": {"A": ["_A"], "M": ["_Y"]}}) == [
        "parts M: ours=['_Y'] generator=['_X']"]
    assert hp.compare({"ok": False, "error": "bad"}, mine)[0].startswith("generator: refuses: bad")
    assert hp.compare({"ok": False, "error": "bad"}, {"ok": False, "error": "also"}) == []
