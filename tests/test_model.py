"""The resolved model: instructions, uops, families, pseudos, labels, optimizer cases."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tracker import model, sources
from tracker.dsl import parse_text
from tracker.errors import DSLError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "dsl"


def build(dsl: str, optimizer: str | None = None) -> model.Model:
    wrap = lambda t: "// BEGIN BYTECODES //\n" + textwrap.dedent(t) + "// END BYTECODES //\n"  # noqa: E731
    opt = parse_text(wrap(optimizer), "opt.c") if optimizer is not None else None
    return model.build(parse_text(wrap(dsl), "b.c"), opt)


def build_error(dsl: str):
    """The first warning of ``dsl``'s model: a definition left out, the rest kept."""
    m = build(dsl)
    assert m.warnings, "no definition was skipped"
    return m.warnings[0]


def test_inst_is_an_instruction_with_one_implicit_uop():
    m = build("inst(NOP, (--)) { }\n")
    inst = m.instructions["NOP"]
    assert (inst.kind, [p.name for p in inst.parts]) == ("inst", ["_NOP"])
    uop = m.uops["_NOP"]
    assert uop.implicit and uop.definition is inst.definition
    assert uop.instructions == ["NOP"]
    assert inst.loc.line == 2


def test_unused_caches_of_an_inst_become_parts_around_its_uop():
    m = build("inst(SKIP, (unused/1, unused/2, counter/1, x -- y)) { }\n"
              "inst(ONLY_CACHE, (unused/3 --)) { }\n")
    assert [p.text for p in m.instructions["SKIP"].parts] == ["unused/1", "unused/2", "SKIP"]
    assert m.instructions["SKIP"].uops == [m.uops["_SKIP"]]
    # the uop keeps its named cache entry
    assert [c.name for c in m.uops["_SKIP"].caches] == ["unused", "unused", "counter"]
    assert [p.text for p in m.instructions["ONLY_CACHE"].parts] == ["unused/3", "ONLY_CACHE"]


def test_macro_is_made_of_ops_inst_uops_and_cache_parts():
    m = build("""\
        inst(POP, (v --)) { }
        op(_CHECK, (v -- v)) { }
        op(_WORK, (v -- r)) { }
        macro(DO) = _CHECK + unused/1 + counter/2 + _WORK + POP + flush;
        """)
    inst = m.instructions["DO"]
    assert inst.kind == "macro"
    assert [p.name for p in inst.parts] == ["_CHECK", "unused/1", "counter/2", "_WORK", "_POP", "flush"]
    assert [u.name for u in inst.uops] == ["_CHECK", "_WORK", "_POP"]
    assert inst.parts[2].cache.size == 2 and inst.parts[2].uop is None
    assert m.uops["_POP"].instructions == ["POP", "DO"]
    assert m.uops["_WORK"].instructions == ["DO"]


def test_uop_exposes_its_definition():
    m = build("pure op(_A, (c/1, a, b[oparg] -- r)) { use(a); }\nmacro(A) = _A;\n")
    u = m.uop("_A")
    assert u.annotations == ("pure",)
    assert [i.name for i in u.inputs] == ["a", "b"]
    assert [o.name for o in u.outputs] == ["r"]
    assert [c.name for c in u.caches] == ["c"]
    assert u.body.uses("use") and u.loc.line == 2
    assert m.uop("_MISSING") is None


def test_unknown_uop_in_macro_is_an_error_at_its_name():
    e = build_error("op(_A, (--)) { }\nmacro(M) = _A +\n    _NOPE;\n")
    assert (e.file, e.line, e.col) == ("b.c", 4, 5)
    assert e.message == "unknown uop '_NOPE' in macro M"
    assert e.skipped == "macro M (lines 3-4)"
    m = build("op(_A, (--)) { }\nmacro(M) = _A + _NOPE;\nmacro(N) = _A;\n")
    assert set(m.instructions) == {"N"}  # only M is lost


def test_families_mark_head_and_specialised_members():
    m = build("""\
        inst(LOAD, (--)) { }
        inst(LOAD_FAST_PATH, (--)) { }
        op(_SLOW, (--)) { }
        macro(LOAD_SLOW_PATH) = _SLOW;
        family(LOAD, 2) = { LOAD_FAST_PATH, LOAD_SLOW_PATH, };
        """)
    fam = m.families["LOAD"]
    assert (fam.head, fam.size, fam.members) == ("LOAD", "2", ("LOAD_FAST_PATH", "LOAD_SLOW_PATH"))
    assert fam.loc.line == 6
    head = m.instructions["LOAD"]
    assert head.family == "LOAD" and not head.specialized
    for name in fam.members:
        assert m.instructions[name].family == "LOAD" and m.instructions[name].specialized


def test_family_written_the_312_way_with_the_head_among_members():
    m = build("inst(CALL, (--)) { }\ninst(CALL_FAST, (--)) { }\n"
              "family(call, 1) = { CALL, CALL_FAST };\n")
    assert m.families["CALL"].members == ("CALL_FAST",)
    assert m.instructions["CALL_FAST"].specialized


def test_unknown_family_member_or_head_is_an_error():
    e = build_error("inst(H, (--)) { }\nfamily(H) = {\n    H_ONE };\n")
    assert (e.line, e.col, e.message) == (4, 5, "unknown instruction 'H_ONE' in family H")
    e = build_error("inst(H, (--)) { }\nfamily(NOT_THERE) = { H_TWO };\n")
    assert (e.line, e.col) == (3, 1)
    assert "family head 'NOT_THERE' is not an instruction" in e.message
    assert e.skipped == "family NOT_THERE (line 3)"
    m = build("inst(H, (--)) { }\ninst(H_TWO, (--)) { }\nfamily(H) = { H_ONE, H_TWO };\n")
    assert m.families["H"].members == ("H_TWO",)  # only the unknown member is lost
    assert m.warnings[0].skipped == "member H_ONE of family H"


def test_pseudos_and_unknown_targets():
    m = build("inst(A, (--)) { }\ninst(B, (--)) { }\n"
              "pseudo(P, (--), (HAS_ARG | HAS_JUMP)) = { A, B };\n")
    p = m.pseudos["P"]
    assert (p.targets, p.flags, p.loc.line) == (("A", "B"), ("HAS_ARG", "HAS_JUMP"), 4)
    e = build_error("inst(A, (--)) { }\npseudo(P, (--)) = { A, C };\n")
    assert (e.line, e.col, e.message) == (3, 24, "unknown instruction 'C' in pseudo P")
    assert e.skipped == "target C of pseudo P"
    assert build("inst(A, (--)) { }\npseudo(P, (--)) = { A, C };\n").pseudos["P"].targets == ("A",)
    assert "Q" not in build("inst(A, (--)) { }\npseudo(Q, (--)) = { C };\n").pseudos


def test_labels():
    m = build("label(a) { x(); }\nspilled label(b) { }\n")
    assert [(lb.name, lb.spilled, lb.loc.line) for lb in m.labels.values()] == [("a", False, 2), ("b", True, 3)]
    assert m.labels["a"].body.uses("x")


def test_an_op_defined_twice_is_an_error_unless_overridden():
    e = build_error("op(_A, (--)) { }\nop(_A, (x --)) { }\n")
    assert (e.line, e.message) == (3, "op '_A' is defined twice (first at line 2) and not "
                                      "marked 'override'")
    assert e.skipped == "the later op _A (line 3)"
    assert build("op(_A, (--)) { }\nop(_A, (x --)) { }\n").uops["_A"].inputs == ()  # the first kept
    m = build("op(_A, (--)) { first(); }\noverride op(_A, (--)) { second(); }\nmacro(A) = _A;\n")
    assert m.uops["_A"].body.uses("second")
    m = build("inst(A, (--)) { first(); }\noverride inst(A, (--)) { second(); }\n")
    assert m.uops["_A"].body.uses("second") and m.instructions["A"].uops[0].body.uses("second")


def test_a_later_instruction_replaces_an_earlier_one_as_in_cpythons_analyzer():
    # gh-143732 (2026-05-05) defined macro(FOR_ITER) a second time; the analyzer
    # keeps the later one, and so must we.
    m = build("op(_X, (--)) { }\nop(_Y, (--)) { }\nmacro(A) = _X;\nmacro(A) = _Y;\n")
    assert [p.name for p in m.instructions["A"].parts] == ["_Y"]
    assert m.instructions["A"].loc.line == 5
    m = build("inst(A, (--)) { first(); }\ninst(A, (x --)) { second(); }\n")
    assert m.instructions["A"].uops[0].body.uses("second")
    # a macro replaces an inst of the same name, wherever it stands
    m = build("op(_B, (--)) { }\nmacro(A) = _B;\ninst(A, (--)) { }\n")
    assert m.instructions["A"].kind == "macro"
    assert [u.name for u in m.instructions["A"].uops] == ["_B"]


def test_2022_family_may_name_an_op_but_not_an_unknown_name():
    text = ("inst(CMP, (left, right -- res)) { }\nop(_CMP_F, (left, right -- j)) { }\n"
            "op(_JUMP, (j --)) { }\nsuper(CMP_F_JUMP) = _CMP_F + _JUMP;\n")
    m = build(text + "family(cmp) = { CMP, _CMP_F };\n")
    assert m.families["CMP"].members == ("_CMP_F",)
    assert m.instructions["CMP"].family == "CMP" and m.instructions["CMP_F_JUMP"].family is None
    e = build_error(text + "family(cmp) = { CMP, _CMP_G };\n")
    assert "unknown instruction '_CMP_G' in family cmp" in e.message


def test_optimizer_cases_are_keyed_by_uop_name():
    m = build("op(_A, (x -- y)) { }\nmacro(A) = _A;\ninst(B, (--)) { }\n",
              optimizer="op(_A, (x -- y)) { y = sym_new(); }\nop(_B, (--)) { }\nop(_ORPHAN, (--)) { }\n")
    assert set(m.optimizer_cases) == {"_A", "_B", "_ORPHAN"}
    assert m.uops["_A"].optimizer_case is m.optimizer_cases["_A"]
    assert m.uops["_B"].optimizer_case is m.optimizer_cases["_B"]
    assert [f.filename for f in m.files] == ["b.c", "opt.c"]


def test_definitions_of_both_files_in_order():
    m = build("inst(A, (--)) { }\nmacro(M) = A;\n", optimizer="op(_A, (--)) { }\n")
    assert [(d.kind, d.name) for d in m.definitions] == [("inst", "A"), ("macro", "M"), ("op", "_A")]


def test_toy_example_set():
    m = model.load(sources.from_files(str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")))
    assert len(m.instructions) == 17
    assert m.instructions["ADD_INT"].kind == "macro"
    assert [p.name for p in m.instructions["ADD_INT"].parts] == [
        "_GUARD_TOS_INT", "_GUARD_NOS_INT", "unused/1", "_ADD_INT", "_POP_TOP_INT", "_POP_TOP_INT"]
    assert m.families["ADD"].members == ("ADD_INT", "ADD_FLOAT", "ADD_STR")
    assert m.instructions["ADD"].family == "ADD" and not m.instructions["ADD"].specialized
    assert set(m.pseudos) == {"JUMP_ANY", "POP_MAYBE"}
    assert m.pseudos["POP_MAYBE"].flags == ("HAS_ARG", "HAS_JUMP")
    assert {n: lb.spilled for n, lb in m.labels.items()} == {"pop_1_error": False, "error": True}
    assert m.uops["_LOAD_SMALL"].annotations == ("replicate(4)", "pure")
    assert m.uops["_ADD_INT"].optimizer_case is not None
    assert m.uops["_ADD_STR"].optimizer_case is None
    assert len(m.optimizer_cases) == 7
    assert m.sources is not None and m.sources.origin == "files"


@pytest.mark.parametrize("release", ["3_12", "3_13", "3_14", "3_15"])
def test_release_syntax_fixtures_resolve(release):
    text = (FIXTURES / f"syntax_{release}.c").read_text()
    m = model.build(parse_text(text, f"syntax_{release}.c"))
    assert m.instructions and m.families and m.pseudos
    for fam in m.families.values():
        assert all(m.instructions[name].specialized for name in fam.members)


def test_inplace_add_unicode_joins_binary_op_family_like_cpython():
    m = build("""\
        inst(BINARY_OP, (--)) { }
        inst(BINARY_OP_ADD_INT, (--)) { }
        inst(BINARY_OP_INPLACE_ADD_UNICODE, (--)) { }
        family(BINARY_OP, 5) = { BINARY_OP_ADD_INT };
        """)
    assert m.families["BINARY_OP"].members == ("BINARY_OP_ADD_INT", "BINARY_OP_INPLACE_ADD_UNICODE")
    assert m.instructions["BINARY_OP_INPLACE_ADD_UNICODE"].specialized
    # without the family the instruction stays on its own
    m = build("inst(BINARY_OP_INPLACE_ADD_UNICODE, (--)) { }\n")
    assert m.instructions["BINARY_OP_INPLACE_ADD_UNICODE"].family is None


def test_312_fixture_resolves_supers_families_and_pseudos():
    m = model.build(parse_text((FIXTURES / "syntax_3_12.c").read_text(), "syntax_3_12.c"))
    sup = m.instructions["TOY_STORE__TOY_LOAD"]
    assert sup.kind == "macro" and sup.definition.kind == "super"
    assert [u.name for u in sup.uops] == ["_TOY_STORE", "_TOY_LOAD"]
    assert m.families["TOY_ADD"].members == ("TOY_ADD_INT",)
    assert m.instructions["TOY_ADD_INT"].specialized and not m.instructions["TOY_ADD"].specialized
    assert [p.text for p in m.instructions["TOY_ADD"].parts] == ["unused/1", "TOY_ADD"]
    assert m.pseudos["TOY_JUMP"].targets == ("TOY_OLD",)
    assert m.instructions["TOY_OLD"].uops[0].inputs == ()
