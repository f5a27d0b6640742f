"""data/claims.yaml and data/tracking.yaml: loaded, validated with errors naming file and key."""

from __future__ import annotations

import pytest

from tracker.campaign import phrases, tracking
from tracker.campaign.names import NameIndex, expand
from tracker.errors import DataError, UsageError

from .corpus import TASKS


def test_the_shipped_phrases_load():
    p = phrases.load()
    assert all(p.groups[g] for g in phrases.GROUPS)


def test_a_bad_pattern_names_the_file_and_key(tmp_path):
    f = tmp_path / "claims.yaml"
    text = (phrases.DEFAULT_FILE.read_text(encoding="utf-8")
            .replace('claim:\n  - "', 'claim:\n  - "(unclosed', 1))
    f.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        phrases.load(str(f))
    assert str(f) in str(err.value) and "claim[0]" in str(err.value)


def test_a_missing_group_is_an_error(tmp_path):
    f = tmp_path / "claims.yaml"
    f.write_text("claim: ['x']\n", encoding="utf-8")
    with pytest.raises(DataError, match="offer must be a non-empty list"):
        phrases.load(str(f))


def test_tracking_data_adopts_cpython_issues_and_options_win():
    table = tracking.load()
    assert tracking.adopted("python/cpython", table=table) == {"refcount": 145866, "optimizer": 131798,
                                                              "decompose": 148211}
    assert tracking.adopted("octo/jit", table=table) == {}
    assert tracking.adopted("octo/jit", {"refcount": 5}, {"optimizer": 6}, table=table) == {"refcount": 5, "optimizer": 6}
    assert tracking.adopted("python/cpython", None, {"refcount": "file"}, table=table) == {"optimizer": 131798,
                                                                                         "decompose": 148211}


def test_the_campaign_lists_every_issue_with_its_role():
    issues = tracking.campaign("python/cpython")
    got = {(t.kind, t.number, t.role) for t in issues}
    assert {("refcount", 145866, "follow-up"), ("refcount", 134584, "predecessor"), ("refcount", 143995, "item"),
            ("refcount", 148171, "item"), ("optimizer", 131798, "tracking"), ("optimizer", 143732, "item"),
            ("decompose", 148211, "tracking")} == got
    assert next(t for t in issues if t.number == 148211).crossed == "done"
    assert tracking.load().kinds == {"decompose": "Decompose composite uops into the uops they are made of"}
    # a follow-up adopted later (remembered in the state) becomes the kind's tracking issue
    later = tracking.campaign("python/cpython", {"refcount": [[150000, "follow-up"]]})
    roles = {t.number: t.role for t in later if t.kind == "refcount"}
    assert roles[150000] == "follow-up" and roles[145866] == "predecessor"
    assert tracking.adopted("python/cpython", {"refcount": [[150000, "follow-up"]]})["refcount"] == 150000


def test_tracking_list_errors(tmp_path):
    f = tmp_path / "tracking.yaml"
    f.write_text("repositories:\n  o/r:\n    refcount: [{issue: 3, role: boss}]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"refcount\[0\]\.role"):
        tracking.load(f)
    f.write_text("kinds: {refcount: x}\n", encoding="utf-8")
    with pytest.raises(DataError, match="already a kind"):
        tracking.load(f)


def test_tracking_data_errors(tmp_path):
    f = tmp_path / "tracking.yaml"
    f.write_text("repositories:\n  o/r:\n    refcnt: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown kind 'refcnt'"):
        tracking.load(f)
    f.write_text("repositories:\n  o/r:\n    refcount: -3\n", encoding="utf-8")
    with pytest.raises(DataError, match="repositories.o/r.refcount"):
        tracking.load(f)


@pytest.mark.parametrize("text", ["refcount", "nokind=3", "refcount=abc", "refcount=0"])
def test_bad_tracking_options(text):
    with pytest.raises(UsageError):
        tracking.parse_option(text)


def test_tracking_option_forms():
    assert tracking.parse_option("refcount=#134584") == ("refcount", 134584)
    assert tracking.parse_option("optimizer=file") == ("optimizer", "file")


def test_brace_names_expand():
    assert expand("_CONTAINS_{OP|OP_SET}") == ["_CONTAINS_OP", "_CONTAINS_OP_SET"]
    assert expand("_A_{B,C}_{D|E}") == ["_A_B_D", "_A_B_E", "_A_C_D", "_A_C_E"]


def test_names_prefer_the_campaign_kind_then_a_unique_kind():
    index = NameIndex.of(TASKS)
    assert index.resolve("_CALL_LEN", "optimizer") == ["optimizer:_CALL_LEN"]
    assert index.resolve("CALL_LEN", "refcount") == ["refcount:_CALL_LEN"]
    assert index.resolve("_CALL_LEN", None) == []  # two kinds: ambiguous
    assert index.resolve("IS_OP", None) == ["refcount:_IS_OP"]  # the uop beats split:IS_OP
    assert index.resolve("IS_OP", "split") == ["split:IS_OP"]
    assert index.resolve("_ITER_CHECK_LIST", "refcount") == ["optimizer:_ITER_CHECK_LIST"]
    assert index.resolve("_ITER_CHECK_LIST", "refcount", strict=True) == []
