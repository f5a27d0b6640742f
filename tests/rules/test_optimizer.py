"""Optimizer rule: a uop with results and no abstract case is a task until it gets one."""

from __future__ import annotations

BYTECODES = """
op(_GUARD_TOS_FLOAT, (value -- value)) {
    EXIT_IF(!PyFloat_CheckExact(PyStackRef_AsPyObjectBorrow(value)));
}
pure op(_NEGATE_FLOAT, (value -- res, v)) {
    res = Negate(value);
    v = value;
    DEAD(value);
}
op(_IS_SMALL, (value -- res)) {
    res = Small(value) ? PyStackRef_True : PyStackRef_False;
    DEAD(value);
}
op(_PEEK, (value -- value)) {
    EXIT_IF(Bad(value));
}
op(_PAIR, (-- a, b)) {
    a = PyStackRef_None;
    b = PyStackRef_None;
}
macro(NEGATE_FLOAT) = _GUARD_TOS_FLOAT + _NEGATE_FLOAT;
macro(IS_SMALL) = _IS_SMALL;
macro(PEEK) = _PEEK;
macro(PAIR) = _PAIR;
"""

OPTIMIZER_AFTER = """
op(_NEGATE_FLOAT, (value -- res, v)) {
    res = sym_new_type(ctx, &PyFloat_Type);
    v = value;
}
"""


def test_open_before_with_what_is_known(scan):
    ts = scan(BYTECODES, "")
    t = ts.get("optimizer:_NEGATE_FLOAT")
    assert t.status == "open" and t.kind == "optimizer"
    assert t.difficulty == "medium"  # two outputs
    known = t.recipe["known"]
    assert any("pure" in k for k in known)
    assert any("_GUARD_TOS_FLOAT" in k and "tos" in k for k in known)
    assert t.recipe["case"].splitlines()[0] == "op(_NEGATE_FLOAT, (value -- res, v)) {"
    small = ts.get("optimizer:_IS_SMALL")
    assert small.difficulty == "easy"
    assert any("bool" in k for k in small.recipe["known"])
    assert ts.get("optimizer:_PAIR").reasons == ["2 output(s): a, b"]


def test_done_after_a_case_is_added(scan):
    ts = scan(BYTECODES, OPTIMIZER_AFTER)
    assert ts.get("optimizer:_NEGATE_FLOAT").status == "done"
    assert ts.get("optimizer:_IS_SMALL").status == "open"


def test_peeking_guards_are_not_tasks(scan):
    ts = scan(BYTECODES, "")
    assert ts.get("optimizer:_PEEK") is None
    assert ts.get("optimizer:_GUARD_TOS_FLOAT") is None


def test_no_optimizer_file_means_no_optimizer_tasks(scan):
    ts = scan(BYTECODES, None)
    assert [t for t in ts.tasks if t.kind == "optimizer"] == []
