"""Constructs met in CPython's history (2022-11 to 2026), each in DSL of our own, with the
verdict CPython's generator of that time gives it; and constructs no CPython has, which
cost their own definition only.

Each case is (DSL, the instructions the model keeps with their parts, the warnings'
"skipped" texts). ``benchmarks/history_parity.py`` checks the same verdicts on every
real revision.
"""

from __future__ import annotations

import textwrap

import pytest

from tracker import model
from tracker.dsl import parse_text

HEADER = "// constructs\n// BEGIN BYTECODES //\n"  # definitions start on line 3
FOOTER = "// END BYTECODES //\n"


def read(dsl: str) -> model.Model:
    return model.build(parse_text(HEADER + textwrap.dedent(dsl) + FOOTER, "c.c"))


def verdict(m: model.Model) -> tuple[dict[str, list[str]], list[str]]:
    return ({i.name: [p.name for p in i.parts] for i in m.instructions.values()},
            [w.skipped for w in m.warnings])


CASES = {
    # 2026-05 (gh-143732): a second macro of one name; the analyzer keeps the later
    "repeated macro": ("""\
        op(_STEP, (it -- it, next)) { next = step(it); }
        op(_STEP_FAST, (it -- it, next)) { next = step_fast(it); }
        macro(WALK) = _STEP;
        macro(WALK) = unused/1 + _STEP_FAST;
        """, {"WALK": ["unused/1", "_STEP_FAST"]}, []),
    # a later inst replaces an earlier one; a macro replaces an inst wherever it stands
    "repeated inst": ("""\
        inst(TWICE, (a -- b)) { b = first(a); }
        op(_OTHER, (a -- b)) { b = other(a); }
        macro(ONCE) = _OTHER;
        inst(TWICE, (a -- b, c)) { b = second(a); c = a; }
        inst(ONCE, (--)) { }
        """, {"TWICE": ["_TWICE"], "ONCE": ["_OTHER"]}, []),
    # an op repeated must say override; without it the generator refuses the file
    "override op": ("""\
        op(_PIECE, (x -- x)) { old(); }
        override op(_PIECE, (x -- x)) { new(); }
        macro(PIECE) = _PIECE;
        """, {"PIECE": ["_PIECE"]}, []),
    "repeated op without override": ("""\
        op(_PIECE, (x -- x)) { old(); }
        op(_PIECE, (x -- x, y)) { new(); }
        macro(PIECE) = _PIECE;
        """, {"PIECE": ["_PIECE"]}, ["the later op _PIECE (line 4)"]),
    # 2024-01..02: typed outputs with a type property for the optimizer of then
    "typed items with a type property": ("""\
        op(_CHECK_PAIR, (l, r -- l: &TOY_INT_TYPE, r:  &TOY_INT_TYPE)) { }
        pure op(_ADD_PAIR, (l, r -- sum: &(TOY_INT_TYPE + exact))) { }
        op(_MAKE, (-- obj: PyObject * &(TOY_OBJ_TYPE))) { }
        macro(ADD_PAIR) = _CHECK_PAIR + _ADD_PAIR;
        macro(MAKE) = _MAKE;
        """, {"ADD_PAIR": ["_CHECK_PAIR", "_ADD_PAIR"], "MAKE": ["_MAKE"]}, []),
    # 2022-12..2023: typed items, conditional items, cache entries; super-instructions
    "3.12 forms": ("""\
        inst(LOAD_TWO, (left: PyObject *, right -- res, extra if (oparg & 1))) { }
        inst(LEGACY) { }
        op(_FIRST, (-- a)) { }
        op(_SECOND, (a --)) { }
        super(FIRST_SECOND) = _FIRST + _SECOND;
        family(load_two) = { LOAD_TWO, LEGACY };
        """, {"LOAD_TWO": ["_LOAD_TWO"], "LEGACY": ["_LEGACY"],
              "FIRST_SECOND": ["_FIRST", "_SECOND"]}, []),
    # 3.12: two families of one written name; the generator keeps the later only
    "repeated family name": ("""\
        inst(SEND, (--)) { }
        inst(SEND_GEN, (--)) { }
        inst(FOR_ITER, (--)) { }
        inst(FOR_ITER_LIST, (--)) { }
        family(for_iter, 1) = { SEND, SEND_GEN };
        family(for_iter, 1) = { FOR_ITER, FOR_ITER_LIST };
        """, {"SEND": ["_SEND"], "SEND_GEN": ["_SEND_GEN"], "FOR_ITER": ["_FOR_ITER"],
              "FOR_ITER_LIST": ["_FOR_ITER_LIST"]}, []),
}

NOT_CPYTHON = {
    # a keyword of tomorrow, with a stack effect in a syntax of its own
    "unknown kind of definition": ("""\
        inst(BEFORE, (--)) { }
        gadget(_TOOL, [value => res]) { res = value; }
        inst(AFTER, (--)) { }
        """, {"BEFORE": ["_BEFORE"], "AFTER": ["_AFTER"]}, ["gadget _TOOL (line 4)"]),
    "unknown annotation": ("""\
        inst(BEFORE, (--)) { }
        speculative op(_TRY, (x -- x)) { }
        inst(AFTER, (--)) { }
        """, {"BEFORE": ["_BEFORE"], "AFTER": ["_AFTER"]}, ["op _TRY (line 4)"]),
    "a new item syntax": ("""\
        op(_NEW_ITEM, (x ~> y -- y)) {
            y = x;
        }
        macro(NEW_ITEM) = _NEW_ITEM;
        inst(AFTER, (--)) { }
        """, {"AFTER": ["_AFTER"]},
        ["op _NEW_ITEM (lines 3-5)", "macro NEW_ITEM (line 6)"]),
    "a header without a body": ("""\
        op(_HEADLESS, (x -- x))
        inst(AFTER, (--)) { }
        """, {"AFTER": ["_AFTER"]}, ["op _HEADLESS (line 3)"]),
    "a family of tomorrow": ("""\
        inst(HEAD, (--)) { }
        inst(HEAD_ONE, (--)) { }
        family(HEAD, 1, weight=3) = { HEAD_ONE };
        inst(AFTER, (--)) { }
        """, {"HEAD": ["_HEAD"], "HEAD_ONE": ["_HEAD_ONE"], "AFTER": ["_AFTER"]},
        ["family HEAD (line 5)"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cpython_construct_is_read_as_its_generator_read_it(name):
    dsl, instructions, skipped = CASES[name]
    assert verdict(read(dsl)) == (instructions, skipped)


@pytest.mark.parametrize("name", list(NOT_CPYTHON))
def test_construct_no_cpython_has_costs_its_definition_only(name):
    dsl, instructions, skipped = NOT_CPYTHON[name]
    m = read(dsl)
    assert verdict(m) == (instructions, skipped)
    for w in m.warnings:
        assert w.file == "c.c" and w.line >= 3 and w.col >= 1
        assert str(w).startswith(f"c.c:{w.line}:{w.col}: warning: ")


def test_a_later_family_of_the_same_name_replaces_the_earlier():
    m = read(CASES["repeated family name"][0])
    assert list(m.families) == ["FOR_ITER"]
    assert m.instructions["SEND_GEN"].family is None and not m.instructions["SEND_GEN"].specialized
    assert m.instructions["FOR_ITER_LIST"].specialized


def test_typed_items_keep_their_c_type_and_drop_the_type_property():
    m = read(CASES["typed items with a type property"][0])
    assert [str(o) for o in m.uops["_CHECK_PAIR"].outputs] == ["l", "r"]
    assert [str(o) for o in m.uops["_MAKE"].outputs] == ["obj: PyObject *"]
