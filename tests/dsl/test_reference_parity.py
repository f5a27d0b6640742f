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
