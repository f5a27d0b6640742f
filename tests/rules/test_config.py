"""Rules data: loaded from data/, broken files give errors naming file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.errors import DataError
from tracker.rules import load_rules
from tracker.rules.config import DATA_DIR


def copy_data(tmp_path: Path) -> Path:
    for name in ("rules.yaml", "curated.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_shipped_data_loads():
    rules = load_rules()
    assert "DECREF_INPUTS" in rules.refcount.release_all_calls
    assert rules.refcount.guards["_GUARD_TOS_INT"].pop == "_POP_TOP_INT"
    assert rules.tier2.max_cache_entries == 2


def test_invalid_yaml_names_line_and_column(tmp_path):
    d = copy_data(tmp_path)
    (d / "rules.yaml").write_text("version: 1\nrefcount: [unclosed\n")
    with pytest.raises(DataError) as err:
        load_rules(d)
    assert "rules.yaml:3:1" in str(err.value) or "rules.yaml:2:" in str(err.value)


def test_missing_key_is_named(tmp_path):
    d = copy_data(tmp_path)
    text = (d / "rules.yaml").read_text().replace("  default_pop: POP_TOP\n", "")
    (d / "rules.yaml").write_text(text)
    with pytest.raises(DataError, match=r"refcount\.default_pop is missing"):
        load_rules(d)


def test_bad_guard_position(tmp_path):
    d = copy_data(tmp_path)
    text = (d / "rules.yaml").read_text().replace("_GUARD_TOS_INT: {positions: [tos]", "_GUARD_TOS_INT: {positions: [top]")
    (d / "rules.yaml").write_text(text)
    with pytest.raises(DataError, match="'top' is not tos, nos or third"):
        load_rules(d)


def test_bad_regex_is_reported(tmp_path):
    d = copy_data(tmp_path)
    text = (d / "rules.yaml").read_text().replace('consuming_pattern: "Steal|', 'consuming_pattern: "Steal|(|')
    (d / "rules.yaml").write_text(text)
    with pytest.raises(DataError, match="bad regular expression"):
        load_rules(d)


def test_blocked_and_extra_edges_apply(tmp_path, scan):
    from tracker.dsl import parse_text
    from tracker.model import build
    from tracker.rules import find_tasks
    from tests.rules.conftest import wrap

    d = copy_data(tmp_path)
    import yaml

    data = yaml.safe_load((d / "curated.yaml").read_text())
    data["blocked"] = {"refcount:_A": {"reason": "slows the interpreter",
                                       "link": "https://github.com/python/cpython/pull/1"}}
    data["extra_edges"] = {"refcount:_B": ["refcount:_A"]}
    (d / "curated.yaml").write_text(yaml.safe_dump(data))
    rules = load_rules(d)
    src = wrap("""
op(_A, (x -- y)) { y = F(x); PyStackRef_CLOSE(x); }
op(_B, (x -- y)) { y = F(x); PyStackRef_CLOSE(x); }
macro(A) = _A;
macro(B) = _B;
""")
    ts = find_tasks(build(parse_text(src, "b.c")), rules)
    a, b = ts.get("refcount:_A"), ts.get("refcount:_B")
    assert a.status == "blocked" and a.blocked_reason == "slows the interpreter"
    assert a.links == ["https://github.com/python/cpython/pull/1"]
    assert b.prerequisites == ["refcount:_A"]


def test_a_bad_pattern_in_a_list_is_named(tmp_path):
    import yaml

    d = copy_data(tmp_path)
    data = yaml.safe_load((d / "rules.yaml").read_text())
    data["refcount"]["non_escaping_patterns"].append("Py[Ss")
    (d / "rules.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(DataError, match=r"non_escaping_patterns: bad regular expression 'Py\[Ss'"):
        load_rules(d)


def test_a_pattern_valid_only_when_joined_to_its_neighbours_is_refused(tmp_path):
    import yaml

    d = copy_data(tmp_path)
    data = yaml.safe_load((d / "rules.yaml").read_text())
    data["refcount"]["non_escaping_patterns"].append("^Py_X)|(?:^Py_Y")
    (d / "rules.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(DataError, match="non_escaping_patterns: bad regular expression"):
        load_rules(d)
