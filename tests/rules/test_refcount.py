"""Refcount rule: before-and-after pairs of small instructions written for these tests."""

from __future__ import annotations

from tracker.dsl import parse_text
from tracker.model import build
from tracker.rules import load_rules
from tracker.rules.refcount import analyse

from tests.rules.conftest import wrap

GUARDS = """
op(_GUARD_TOS_INT, (value -- value)) {
    EXIT_IF(!PyLong_CheckExact(PyStackRef_AsPyObjectBorrow(value)));
}
op(_GUARD_NOS_INT, (left, unused -- left, unused)) {
    EXIT_IF(!PyLong_CheckExact(PyStackRef_AsPyObjectBorrow(left)));
}
op(_POP_TOP_INT, (value --)) {
    PyStackRef_CLOSE_SPECIALIZED(value, _PyLong_ExactDealloc);
}
inst(POP_TOP, (value --)) {
    PyStackRef_CLOSE(value);
}
"""

INT_ADD_BEFORE = GUARDS + """
pure op(_INT_ADD, (left, right -- res)) {
    PyObject *o = _PyLong_Add(PyStackRef_AsPyObjectBorrow(left), PyStackRef_AsPyObjectBorrow(right));
    PyStackRef_CLOSE_SPECIALIZED(right, _PyLong_ExactDealloc);
    PyStackRef_CLOSE_SPECIALIZED(left, _PyLong_ExactDealloc);
    INPUTS_DEAD();
    ERROR_IF(o == NULL);
    res = PyStackRef_FromPyObjectSteal(o);
}
macro(INT_ADD) = _GUARD_TOS_INT + _GUARD_NOS_INT + unused/1 + _INT_ADD;
"""

INT_ADD_AFTER = GUARDS + """
pure op(_INT_ADD, (left, right -- res, l, r)) {
    PyObject *o = _PyLong_Add(PyStackRef_AsPyObjectBorrow(left), PyStackRef_AsPyObjectBorrow(right));
    ERROR_IF(o == NULL);
    res = PyStackRef_FromPyObjectSteal(o);
    l = left;
    r = right;
    INPUTS_DEAD();
}
macro(INT_ADD) = _GUARD_TOS_INT + _GUARD_NOS_INT + unused/1 + _INT_ADD + _POP_TOP_INT + _POP_TOP_INT;
"""

OPT_BEFORE = """
op(_INT_ADD, (left, right -- res)) {
    res = sym_new_type(ctx, &PyLong_Type);
}
"""

IS_BEFORE = GUARDS + """
inst(SAME, (left, right -- b)) {
    int res = Py_Is(PyStackRef_AsPyObjectBorrow(left), PyStackRef_AsPyObjectBorrow(right)) ^ oparg;
    DECREF_INPUTS();
    b = res ? PyStackRef_True : PyStackRef_False;
}
"""

IS_AFTER = GUARDS + """
op(_SAME, (left, right -- b, l, r)) {
    int res = Py_Is(PyStackRef_AsPyObjectBorrow(left), PyStackRef_AsPyObjectBorrow(right)) ^ oparg;
    l = left;
    r = right;
    DEAD(left);
    DEAD(right);
    b = res ? PyStackRef_True : PyStackRef_False;
}
macro(SAME) = _SAME + POP_TOP + POP_TOP;
"""

TYPE1_BEFORE = GUARDS + """
op(_TYPE_OF, (callable, null, arg -- res)) {
    PyObject *arg_o = PyStackRef_AsPyObjectBorrow(arg);
    DEOPT_IF(!PyStackRef_IsNull(null));
    res = PyStackRef_FromPyObjectNew(Py_TYPE(arg_o));
    DEAD(null);
    DEAD(callable);
    Py_DECREF(arg_o);
}
macro(TYPE_OF) = unused/1 + unused/2 + _TYPE_OF;
"""

TYPE1_AFTER = GUARDS + """
op(_TYPE_OF, (callable, null, arg -- res, a)) {
    PyObject *arg_o = PyStackRef_AsPyObjectBorrow(arg);
    DEOPT_IF(!PyStackRef_IsNull(null));
    res = PyStackRef_FromPyObjectNew(Py_TYPE(arg_o));
    DEAD(null);
    DEAD(callable);
    a = arg;
}
macro(TYPE_OF) = unused/1 + unused/2 + _TYPE_OF + POP_TOP;
"""


def test_int_add_open_before_with_exact_recipe(scan):
    ts = scan(INT_ADD_BEFORE, OPT_BEFORE)
    t = ts.get("refcount:_INT_ADD")
    assert t is not None and t.status == "open"
    assert [(r.name, r.call, r.conditional) for r in t.released_inputs] == [
        ("right", "PyStackRef_CLOSE_SPECIALIZED", False),
        ("left", "PyStackRef_CLOSE_SPECIALIZED", False),
    ]
    lines = wrap(INT_ADD_BEFORE).splitlines()
    expected = [i + 1 for i, text in enumerate(lines) if "PyStackRef_CLOSE_SPECIALIZED(r" in text
                or "PyStackRef_CLOSE_SPECIALIZED(l" in text]
    assert [r.line for r in t.released_inputs] == expected
    assert t.instructions == ["INT_ADD"]
    r = t.recipe
    assert r["stack_effect_before"] == "(left, right -- res)"
    assert r["stack_effect_after"] == "(left, right -- res, left_out, right_out)"
    assert r["macros"] == [{
        "instruction": "INT_ADD",
        "before": "macro(INT_ADD) = _GUARD_TOS_INT + _GUARD_NOS_INT + unused/1 + _INT_ADD;",
        "after": "macro(INT_ADD) = _GUARD_TOS_INT + _GUARD_NOS_INT + unused/1 + _INT_ADD"
                 " + _POP_TOP_INT + _POP_TOP_INT;",
        "pops": ["_POP_TOP_INT", "_POP_TOP_INT"],
    }]
    assert r["optimizer_change"]["before"] == "op(_INT_ADD, (left, right -- res))"
    assert r["optimizer_change"]["after"] == "op(_INT_ADD, (left, right -- res, left_out, right_out))"
    assert r["optimizer_change"]["assign"] == ["left_out = left;", "right_out = right;"]
    assert "_POP_TOP_NOP" in r["test"]
    assert "its optimizer case must change too" in t.reasons
    assert t.difficulty == "easy"


def test_int_add_done_after(scan):
    ts = scan(INT_ADD_AFTER, OPT_BEFORE)
    t = ts.get("refcount:_INT_ADD")
    assert t is not None and t.status == "done"
    assert t.released_inputs == []
    assert t.recipe == {"converted_in": ["INT_ADD"], "pops": ["_POP_TOP_INT", "_POP_TOP_INT"],
                        "pops_in": {"INT_ADD": ["_POP_TOP_INT", "_POP_TOP_INT"]}}


def test_is_inst_needs_a_split_before(scan):
    ts = scan(IS_BEFORE)
    t = ts.get("refcount:_SAME")
    assert t.status == "open"
    assert [(r.name, r.call) for r in t.released_inputs] == [("left", "DECREF_INPUTS"), ("right", "DECREF_INPUTS")]
    assert t.prerequisites == ["split:SAME"]
    split = ts.get("split:SAME")
    assert split is not None and split.status == "open" and split.kind == "split"
    assert t.recipe["macros"][0]["before"] == "inst(SAME, ...) (no macro yet)"
    assert t.recipe["macros"][0]["after"] == "macro(SAME) = _SAME + POP_TOP + POP_TOP;"
    assert "split" in t.recipe
    assert "inst SAME must be split into an op and a macro" in t.reasons
    assert t.difficulty == "medium"


def test_is_done_after_and_no_split_left(scan):
    ts = scan(IS_AFTER)
    assert ts.get("refcount:_SAME").status == "done"
    assert ts.get("split:SAME") is None


def test_type_call_borrowed_decref_before(scan):
    ts = scan(TYPE1_BEFORE)
    t = ts.get("refcount:_TYPE_OF")
    assert t.status == "open"
    assert [(r.name, r.call) for r in t.released_inputs] == [("arg", "Py_DECREF")]
    assert t.recipe["stack_effect_after"] == "(callable, null, arg -- res, arg_out)"
    assert t.recipe["macros"][0]["after"] == "macro(TYPE_OF) = unused/1 + unused/2 + _TYPE_OF + POP_TOP;"
    assert "optimizer_change" not in t.recipe


def test_type_call_done_after(scan):
    ts = scan(TYPE1_AFTER)
    assert ts.get("refcount:_TYPE_OF").status == "done"


def test_conditional_release_and_difficulty(scan):
    ts = scan(GUARDS + """
op(_MAYBE, (value -- res)) {
    res = PyStackRef_FromPyObjectNew(Py_TYPE(PyStackRef_AsPyObjectBorrow(value)));
    if (res.bits != 0) {
        PyStackRef_CLOSE(value);
    }
}
macro(MAYBE) = _MAYBE;
""")
    t = ts.get("refcount:_MAYBE")
    assert t.released_inputs[0].conditional is True
    assert "released only on some paths" in t.reasons
    assert t.difficulty == "medium"


def test_array_input_is_flagged_hard(scan):
    ts = scan("""
op(_PACK, (items[oparg] -- tup)) {
    PyObject *t = Pack(items, oparg);
    DECREF_INPUTS();
    ERROR_IF(t == NULL);
    tup = PyStackRef_FromPyObjectSteal(t);
}
macro(PACK) = _PACK;
""")
    t = ts.get("refcount:_PACK")
    assert t.recipe["array_inputs"] == ["items"]
    assert "design_decision" in t.recipe
    assert t.difficulty == "hard"


def test_stealing_helper_gets_a_shared_prerequisite(scan):
    ts = scan("""
op(_FADD, (left, right -- res)) {
    res = _Float_FromDouble_ConsumeInputs(left, right, 1.0);
    INPUTS_DEAD();
}
op(_FSUB, (left, right -- res)) {
    res = _Float_FromDouble_ConsumeInputs(left, right, -1.0);
    INPUTS_DEAD();
}
macro(FADD) = _FADD;
macro(FSUB) = _FSUB;
""")
    helper = ts.get("helper:_Float_FromDouble_ConsumeInputs")
    assert helper is not None and helper.status == "open"
    assert sorted(helper.recipe["users"]) == ["refcount:_FADD", "refcount:_FSUB"]
    for uop in ("_FADD", "_FSUB"):
        t = ts.get(f"refcount:{uop}")
        assert t.prerequisites == ["helper:_Float_FromDouble_ConsumeInputs"]
        assert {r.call for r in t.released_inputs} == {"_Float_FromDouble_ConsumeInputs"}


def test_not_tasks(scan):
    ts = scan(GUARDS + """
op(_MOVE, (value -- res)) {
    res = value;
    DEAD(value);
}
op(_STORE_IN, (owner, value --)) {
    Store(PyStackRef_AsPyObjectBorrow(owner), PyStackRef_AsPyObjectSteal(value));
    DEAD(owner);
}
op(_IGNORE, (unused -- res)) {
    res = PyStackRef_None;
}
tier1 inst(ONLY_T1, (value --)) {
    PyStackRef_CLOSE(value);
}
inst(INSTRUMENTED_THING, (value --)) {
    PyStackRef_CLOSE(value);
}
op(_USES_THIS, (value --)) {
    Note(this_instr);
    PyStackRef_CLOSE(value);
}
macro(MOVE) = _MOVE;
macro(STORE_IN) = _STORE_IN;
macro(IGNORE) = _IGNORE;
macro(USES_THIS) = _USES_THIS;
""")
    ids = {t.id for t in ts.tasks if t.kind == "refcount"}
    # stores, moves, unused inputs, pop uops, tier-1-only and instrumented code are not tasks
    assert ids == set()


def test_comment_and_string_mentions_do_not_count(scan):
    ts = scan("""
op(_QUIET, (value -- res)) {
    // DECREF_INPUTS(); would be wrong here
    const char *s = "PyStackRef_CLOSE(value)";
    res = value;
    DEAD(value);
}
macro(QUIET) = _QUIET;
""")
    assert ts.get("refcount:_QUIET") is None


def test_analyse_reports_every_release_line():
    m = build(parse_text(wrap("""
op(_TWO, (a, b -- c)) {
    c = Combine(a, b);
    PyStackRef_CLOSE(a);
    PyStackRef_XCLOSE(b);
}
macro(TWO) = _TWO;
"""), "b.c"))
    f = analyse(m.uops["_TWO"], m, load_rules())
    assert [(r.name, r.line, r.call) for r in f.released] == [
        ("a", 5, "PyStackRef_CLOSE"), ("b", 6, "PyStackRef_XCLOSE")]
    assert f.escaping == ["Combine"]


SLOT_BEFORE = """
inst(POP_TOP, (value --)) {
    PyStackRef_CLOSE(value);
}
inst(PUT_LOCAL, (value --)) {
    _PyStackRef old = GETLOCAL(oparg);
    GETLOCAL(oparg) = value;
    DEAD(value);
    PyStackRef_XCLOSE(old);
}
"""

SLOT_AFTER = """
inst(POP_TOP, (value --)) {
    PyStackRef_CLOSE(value);
}
op(_PUT_LOCAL, (value -- prev)) {
    prev = GETLOCAL(oparg);
    GETLOCAL(oparg) = value;
    DEAD(value);
}
macro(PUT_LOCAL) = _PUT_LOCAL + POP_TOP;
"""


def test_overwritten_frame_slot_before(scan):
    t = scan(SLOT_BEFORE).get("refcount:_PUT_LOCAL")
    assert t.status == "open"
    assert [(r.name, r.call, r.what) for r in t.released_inputs] == [("old", "PyStackRef_XCLOSE", "overwritten")]
    assert t.recipe["stack_effect_before"] == "(value --)"
    assert t.recipe["stack_effect_after"] == "(value -- old_out)"
    assert t.recipe["macros"][0]["after"] == "macro(PUT_LOCAL) = _PUT_LOCAL + POP_TOP;"


def test_overwritten_frame_slot_after(scan):
    ts = scan(SLOT_AFTER)
    assert ts.get("refcount:_PUT_LOCAL").status == "done"
    assert all(t.status != "open" for t in ts.tasks if t.kind == "refcount")
