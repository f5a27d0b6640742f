"""What commands import: only what they use (start-up time is most of a command's time).

Each case runs in a fresh interpreter and lists the modules loaded when the command
finished; the scan cache is the test's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EX = ["--bytecodes", str(ROOT / "data/examples/bytecodes.c"),
      "--optimizer", str(ROOT / "data/examples/optimizer_bytecodes.c")]
FRONT_ENDS = {"textual", "jinja2", "github"}

PROBE = """
import io, json, sys
from contextlib import redirect_stdout
from tracker.cli.main import main
out = io.StringIO()
with redirect_stdout(out):
    try:
        code = main(json.loads(sys.argv[1]))
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(),
                  "modules": sorted({m.split(".")[0] for m in sys.modules} | set(sys.modules))}))
"""


def loaded(args: list[str], cache: Path) -> tuple[set[str], str]:
    env = {**os.environ, "JIT_TRACKER_CACHE_DIR": str(cache), "JIT_TRACKER_STATE": str(cache / "state.yaml")}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=True)
    result = json.loads(done.stdout)
    assert result["code"] in (0, None), done.stderr
    return set(result["modules"]), result["out"]


def test_tasks_json_loads_no_front_end_nor_graph_library(tmp_path):
    for args in (["tasks", "--json"], ["tasks", *EX, "--json"]):
        cold, out = loaded(args, tmp_path)
        assert json.loads(out)["tasks"]
        assert not cold & FRONT_ENDS, args
        assert "networkx" not in cold and "rich" not in cold  # piped: plain output
        warm, _ = loaded(args, tmp_path)  # from the scan cache: no parser, no rules, no YAML
        assert not warm & (FRONT_ENDS | {"networkx", "rich", "yaml", "tracker.rules", "tracker.dsl"}), args


def test_a_scan_from_a_fresh_process_reads_no_yaml_once_rules_are_cached(tmp_path):
    loaded(["tasks", *EX, "--json"], tmp_path)
    for entry in [*tmp_path.glob("scan-*"), *tmp_path.glob("listing-*")]:
        entry.unlink()  # the scan (and its listing) is gone, the parsed rule data stays
    mods, out = loaded(["tasks", *EX, "--json"], tmp_path)
    assert json.loads(out)["tasks"] and "tracker.rules" in mods
    assert "yaml" not in mods
    mods, _ = loaded(["tasks", *EX, "--json", "--no-cache"], tmp_path)
    assert "yaml" in mods  # --no-cache reads nothing from the cache


def test_listing_as_a_table_and_scan_stay_light(tmp_path):
    for args in (["tasks", *EX], ["scan", *EX], ["instructions", *EX, "--json"]):
        loaded(args, tmp_path)
        mods, out = loaded(args, tmp_path)
        assert out
        assert not mods & (FRONT_ENDS | {"networkx", "rich", "yaml", "tracker.rules"}), args


def test_help_and_version_build_no_command(tmp_path):
    for args in (["--help"], ["--version"], ["tasks", "--help"]):
        mods, out = loaded(args, tmp_path)
        assert "jit-tracker" in out or "usage" in out
        assert not mods & (FRONT_ENDS | {"networkx", "rich", "yaml", "tracker.tasks", "dataclasses"}), args


def test_a_graph_is_built_where_one_is_asked_for(tmp_path):
    mods, out = loaded(["graph", *EX, "--format", "json"], tmp_path)
    assert "networkx" in mods and json.loads(out)["nodes"]
