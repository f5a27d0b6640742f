"""`tasks`, `instructions` and `graph` commands on the toy instruction set."""

from __future__ import annotations

import json

import yaml

from tracker.cli import main

EX = ["--bytecodes", "data/examples/bytecodes.c", "--optimizer", "data/examples/optimizer_bytecodes.c"]


def run_json(capsys, *args):
    assert main([*args, *EX, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tasks_json_shape_and_filters(capsys):
    data = run_json(capsys, "tasks")
    assert data["source"]["origin"] == "files"
    ids = {t["id"] for t in data["tasks"]}
    assert {"refcount:_ADD", "refcount:_ADD_INT", "helper:_Toy_Float_FromDouble_ConsumeInputs",
            "split:IS", "tier2:TRACE_HERE", "optimizer:_LOAD_LEN"} <= ids
    t = next(t for t in data["tasks"] if t["id"] == "refcount:_ADD_STR")
    for key in ("id", "kind", "title", "uop", "instructions", "status", "difficulty", "reasons",
                "released_inputs", "recipe", "prerequisites", "file", "line"):
        assert key in t
    assert t["recipe"]["macros"][0]["pops"] == ["_POP_TOP_UNICODE", "_POP_TOP_UNICODE"]
    assert "excerpt" not in t

    only = run_json(capsys, "tasks", "--kind", "refcount", "--status", "open", "--ready")
    assert {t["id"] for t in only["tasks"]} == {
        "refcount:_ADD", "refcount:_ADD_STR", "refcount:_CALL_TYPE_1", "refcount:_STORE_ATTR_SLOT"}
    assert all(t["ready"] for t in only["tasks"])
    hard = run_json(capsys, "tasks", "--difficulty", "hard")
    assert [t["id"] for t in hard["tasks"]] == ["refcount:_BUILD_PAIRS"]


def test_tasks_yaml_and_table(capsys):
    assert main(["tasks", *EX, "--format", "yaml", "--kind", "split"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert [t["id"] for t in data["tasks"]] == ["split:IS"]
    assert main(["tasks", *EX, "--kind", "tier2"]) == 0
    out = capsys.readouterr().out
    assert "tier2:TRACE_HERE" in out and "1 of 22 tasks" in out


def test_instructions(capsys):
    data = run_json(capsys, "instructions")
    facts = {f["name"]: f for f in data["instructions"]}
    assert facts["ADD_INT"]["uops"] == ["_GUARD_TOS_INT", "_GUARD_NOS_INT", "_ADD_INT", "_POP_TOP_INT", "_POP_TOP_INT"]
    assert facts["ADD_INT"]["family"] == "ADD" and facts["ADD_INT"]["tier2"] is True
    assert facts["TRACE_HERE"]["tier2"] is False and facts["TRACE_HERE"]["by_design"] is None
    assert facts["INSTRUMENTED_NOP"]["by_design"]


def test_graph_formats(capsys, tmp_path):
    assert main(["graph", *EX]) == 0
    dot = capsys.readouterr().out
    assert '"split:IS" -> "refcount:_IS";' in dot
    out = tmp_path / "g.json"
    assert main(["graph", *EX, "--json", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert {"source": "helper:_Toy_Float_FromDouble_ConsumeInputs", "target": "refcount:_ADD_FLOAT"} in [
        {"source": e["source"], "target": e["target"]} for e in data["edges"]]


def test_scan_reports_task_counts(capsys):
    assert main(["scan", *EX, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tasks"]["kind"]["refcount"] == 8
    assert data["tasks"]["ready"] > 0


def test_bad_source_arguments(capsys):
    assert main(["tasks", "--optimizer", "x.c"]) == 2
    assert "--optimizer needs --bytecodes" in capsys.readouterr().err
    assert main(["tasks", "/nonexistent/dir"]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_checkout_paths_are_relative(capsys, tmp_path):
    import shutil

    (tmp_path / "Python").mkdir()
    shutil.copy("data/examples/bytecodes.c", tmp_path / "Python" / "bytecodes.c")
    shutil.copy("data/examples/optimizer_bytecodes.c", tmp_path / "Python" / "optimizer_bytecodes.c")
    assert main(["tasks", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    tasks = {t["id"]: t for t in data["tasks"]}
    assert tasks["refcount:_ADD_STR"]["file"] == "Python/bytecodes.c"
    assert tasks["optimizer:_ADD_INT"]["recipe"]["case_at"].startswith("Python/optimizer_bytecodes.c:")
    # no local path anywhere in the tasks (the source block names the checkout on purpose)
    assert str(tmp_path) not in json.dumps(data["tasks"])


def test_json_is_one_record_per_line(capsys):
    assert main(["tasks", *EX, "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    lines = out.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    records = [line.strip().rstrip(",") for line in lines if line.startswith("    ")]
    assert [json.loads(r) for r in records] == data["tasks"]
    # the other lines: the braces, a line per top-level key, the list's closing bracket
    assert len(lines) == len(data["tasks"]) + len(data) + 3


def test_piped_table_is_plain_columns(capsys):
    assert main(["tasks", *EX, "--kind", "split"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1 of ") and lines[1].split()[0] == "id"
    assert {"status", "difficulty", "instructions", "where"} <= set(lines[1].split())
    assert set(lines[2]) == {"-", " "}
    assert [line.index("status") for line in lines[1:2]] == [lines[3].index("open")]  # aligned
    assert lines[3].startswith("split:") and "│" not in "".join(lines)


def test_the_table_says_who_is_on_a_task_and_what_is_in_review(tmp_path, capsys):
    from tracker.cli.main import main
    from pathlib import Path

    from tracker.store import Claim, Store

    state = tmp_path / "s.yaml"
    st = Store(state)
    st.record_campaign([Claim("refcount:_ADD", "ana", "2026-11-22T10:00:00Z", None, "comment", None,
                              "https://github.example/c/1")],
                       {"refcount:_ADD_STR": {"number": 41, "state": "open", "author": "bo", "url": "u",
                                              "title": "t", "since": "2026-11-23T00:00:00Z"}}, {},
                       {"repo": "python/cpython"})
    root = Path(__file__).resolve().parents[2] / "data" / "examples"
    assert main(["tasks", "--bytecodes", str(root / "bytecodes.c"), "--optimizer",
                 str(root / "optimizer_bytecodes.c"), "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "claimed by" in out.splitlines()[1]
    line = next(l for l in out.splitlines() if l.startswith("refcount:_ADD "))
    assert "@ana (comment, " in line
    assert "in review #41" in next(l for l in out.splitlines() if l.startswith("refcount:_ADD_STR "))
