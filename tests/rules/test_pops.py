"""Pop uops are read from the tree's own definitions, not from a fixed list."""

from __future__ import annotations

from tracker.dsl import parse_text
from tracker.model import build
from tracker.rules import default_rules, find_tasks
from tracker.rules.pops import proposal, tree_pops

from tests.rules.conftest import wrap

TREE = """
op(_TOY_POP_NOP, (value --)) {
    assert(PyStackRef_IsNull(value) || _Py_IsImmortal(PyStackRef_AsPyObjectBorrow(value)));
    DEAD(value);
}
op(_TOY_POP_FLOAT, (value --)) {
    PyStackRef_CLOSE_SPECIALIZED(value, _PyFloat_ExactDealloc);
}
op(_TOY_POP_PAIR, (a, b --)) {
    PyStackRef_CLOSE(b);
    PyStackRef_CLOSE(a);
}
inst(TOY_POP, (value --)) {
    PyStackRef_XCLOSE(value);
}
op(_TOY_EXCEPT, (exc_value --)) {
    Py_XSETREF(tstate->exc_value, PyStackRef_IsNone(exc_value) ? NULL : PyStackRef_AsPyObjectSteal(exc_value));
}
op(_TOY_SINK, (value --)) {
    toy_store_somewhere(value);
    PyStackRef_CLOSE(value);
}
op(_TOY_CHECK, (value -- value)) {
    PyStackRef_CLOSE(value);
}
"""


def model():
    return build(parse_text(wrap(TREE), "bytecodes.c"))


def test_pops_are_recognised_by_what_their_body_does():
    pops = tree_pops(model(), default_rules())
    assert pops == {
        "_TOY_POP_NOP": None, "_TOY_POP_FLOAT": "_POP_TOP_FLOAT", "_TOY_POP_PAIR": None,
        "TOY_POP": "POP_TOP",
    }


def test_the_trees_own_pop_of_a_kind_is_proposed():
    m, rules = model(), default_rules()
    assert proposal("_POP_TOP_FLOAT", m, rules) == "_TOY_POP_FLOAT"
    assert proposal("_POP_TOP_INT", m, rules) == "_POP_TOP_INT"  # none here: the rules' name
    assert proposal("POP_TOP", m, rules) == "POP_TOP"


def test_pops_are_no_tasks_but_other_releasing_uops_are():
    ids = find_tasks(model()).by_id()
    assert not [i for i in ids if "POP" in i]
    assert "refcount:_TOY_SINK" in ids and "refcount:_TOY_EXCEPT" not in ids
