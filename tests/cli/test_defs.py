"""``jit-tracker defs FILE...``: every definition, in file order, as JSON, YAML or a table."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tracker.cli.main import main

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dsl"
EXAMPLES = ROOT / "data" / "examples"


def defs_json(capsys, *args: str) -> list[dict]:
    assert main(["defs", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["definitions"]


def by_name(defs: list[dict]) -> dict[str, dict]:
    return {d["name"]: d for d in defs}


def test_json_has_one_object_per_definition_in_file_order(capsys):
    f = str(FIXTURES / "syntax_3_14.c")
    defs = defs_json(capsys, f)
    assert [(d["kind"], d["name"]) for d in defs][:4] == [
        ("inst", "TOY_NOP"), ("inst", "TOY_CONST"), ("op", "_TOY_CHECK"), ("op", "_TOY_LOAD")]
    assert {d["file"] for d in defs} == {f}
    assert all({"kind", "name", "file", "line", "annotations"} <= set(d) for d in defs)
    lines = [d["line"] for d in defs]
    assert lines == sorted(lines)


def test_json_stack_effects_caches_types_and_arrays(capsys):
    d = by_name(defs_json(capsys, str(FIXTURES / "syntax_3_14.c")))
    assert d["_TOY_LOAD"]["inputs"] == [{"name": "version", "cache": 2}, {"name": "owner", "size": None}]
    assert d["_TOY_LOAD"]["outputs"] == [{"name": "res", "size": None}, {"name": "maybe_self", "size": "oparg & 1"}]
    assert d["_TOY_CHECK"]["inputs"] == [{"name": "owner", "size": None, "type": "PyObject *"}]
    assert d["TOY_UNPACK"]["outputs"] == [{"name": "values", "size": "oparg*2"},
                                         {"name": "rest", "size": "1 + (oparg & 1)"}]
    assert d["TOY_CONST"]["annotations"] == ["no_save_ip"]
    assert (d["TOY_CONST"]["line"], d["TOY_CONST"]["end_line"]) == (20, 22)


def test_json_conditions_parts_members_targets_and_labels(capsys):
    d = by_name(defs_json(capsys, str(FIXTURES / "syntax_3_13.c")))
    assert d["TOY_MOVE"]["outputs"][1] == {"name": "extra", "size": None, "cond": "oparg & 1"}
    assert d["TOY_ADD_INT"]["parts"] == ["_TOY_GUARD_INT", "unused/1", "version/2", "_TOY_ADD_INT"]
    assert d["TOY_ADD_INT"]["kind"] == "macro" and d["TOY_ADD_INT"]["annotations"] == []
    fam = [x for x in defs_json(capsys, str(FIXTURES / "syntax_3_13.c")) if x["kind"] == "family"][0]
    assert fam["members"] == ["TOY_ADD_INT"] and fam["name"] == "TOY_ADD"
    assert d["TOY_LOAD_CLOSURE"]["targets"] == ["TOY_CONST"]
    assert d["TOY_LOAD_CLOSURE"]["flags"] == ["HAS_ARG", "HAS_LOCAL"]
    labels = by_name(defs_json(capsys, str(FIXTURES / "syntax_3_14.c")))
    assert labels["toy_resume"]["kind"] == "label"
    assert labels["toy_resume"]["annotations"] == ["spilled"]
    assert labels["TOY_PAIR"]["as_sequence"] is True


def test_several_files_are_listed_in_the_order_given(capsys):
    b, o = str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")
    defs = defs_json(capsys, o, b)
    files = [d["file"] for d in defs]
    assert files[0] == o and files[-1] == b
    assert files.index(b) == files.count(o)  # all of the first file, then the second


def test_yaml_and_table(capsys):
    f = str(FIXTURES / "syntax_3_15.c")
    assert main(["defs", f, "--format", "yaml"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["definitions"][0]["annotations"] == ["replicate(4)"]
    assert data["definitions"][1]["annotations"] == ["replicate(1:4)", "pure"]
    assert main(["defs", f]) == 0
    out = capsys.readouterr().out
    for text in ("_TOY_SWAP", "TOY_LOAD_AND_GUARD", "toy_exit", "syntax_3_15.c:8"):
        assert text in out


def test_missing_file_is_a_usage_error(capsys, tmp_path):
    assert main(["defs", str(tmp_path / "nope.c")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jit-tracker: error: ") and "no such file" in err
