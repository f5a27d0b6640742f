"""Ctrl-C during ``history``: one line, exit code 130, no traceback from any process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ..gitrepo import Repo, bytecodes, optimizer

BC, OPT = "Python/bytecodes.c", "Python/optimizer_bytecodes.c"
ROOT = Path(__file__).resolve().parents[2]

# Runs the command line as a terminal would, with a scanner that, at its third scan,
# sends SIGINT to the whole process group (what Ctrl-C does) and then takes its time.
SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, {root!r})
    from tracker import history, scanpool
    from tests.gitrepo import standin_scan

    scanpool.POOL_THRESHOLD = 1

    def slow_scan(srcs):
        marker = {marker!r}
        with open(marker, "a") as f:
            f.write("x")
        if os.path.getsize(marker) == 3:
            os.killpg(os.getpgrp(), signal.SIGINT)
        time.sleep(0.3)
        return standin_scan(srcs)

    history.default_scanner = lambda: slow_scan
    from tracker.cli.main import main
    sys.exit(main(["history", {repo!r}, "--jobs", {jobs!r}, "--json"]))
""")


@pytest.fixture
def repo(tmp_path):
    r = Repo(tmp_path / "cpython")
    names = [f"_OP{i}" for i in range(12)]
    for k in range(len(names) + 1):
        r.commit({BC: bytecodes({n: i < k for i, n in enumerate(names)}), OPT: optimizer([])},
                 f"Convert {k}", "Ada Lovelace", f"2025-01-{k + 1:02d}T10:00:00+00:00")
    return r


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_ctrl_c_is_one_line_and_130(repo, tmp_path, jobs):
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(root=str(ROOT), marker=str(tmp_path / f"scans-{jobs}"),
                                    repo=str(repo.path), jobs=jobs))
    env = {**os.environ, "JIT_TRACKER_STATE": str(tmp_path / "state.yaml")}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                         start_new_session=True, timeout=120)  # its own process group
    assert out.returncode == 130, out.stderr
    assert out.stderr == "jit-tracker: interrupted\n"
    assert out.stdout == ""
    # what was scanned before the interrupt is kept: a rerun does not scan it again
    rerun = subprocess.run([sys.executable, "-m", "tracker", "history", str(repo.path), "--json",
                            "--jobs", "1"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert ", 0 from cache" not in rerun.stderr
