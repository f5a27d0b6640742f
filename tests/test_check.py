"""check's core: what a change completes and breaks, on fixture pairs of our own DSL
(tests/fixtures/check: base.c and, per case, the tree after one change)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import sources
from tracker.check import Side, review
from tracker.dsl import parse_text
from tracker.model import build, load
from tracker.rules import find_tasks

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def side(name: str) -> Side:
    found = sources.from_files(str(FIXTURES / f"{name}.c"), str(FIXTURES / f"{name}_opt.c"))
    model = load(found)
    return Side(model, find_tasks(model))


@pytest.fixture(scope="module")
def base() -> Side:
    return side("base")


def run(base: Side, case: str, **kwargs):
    return review(base, side(case), **kwargs)


def test_clean_conversion_completes_its_task_with_no_remark(base):
    r = run(base, "clean", tracking={"refcount": ("#134584", True)}, issues={"refcount:_TOY_MUL_INT": "#7"})
    assert [(c.task, c.how, c.tracking, c.issue, c.adopted) for c in r.completed] == [
        ("refcount:_TOY_MUL_INT", "done", "#134584", "#7", True)]
    assert r.completed[0].pops == {"TOY_MUL_INT": ["_POP_TOP_INT", "_POP_TOP_INT"]}
    assert r.checks == [] and r.problems == [] and r.moved == []
    assert r.summary() == "Completes 1 task: _TOY_MUL_INT (#134584), no new problem."


def test_plain_pop_where_the_int_guard_allows_the_int_pop(base):
    r = run(base, "wrong_pop")
    assert [c.task for c in r.completed] == ["refcount:_TOY_MUL_INT"]
    [note] = r.checks
    assert note.what == "wrong_pop"
    assert note.message == ("TOY_MUL_INT appends POP_TOP + POP_TOP where the int guard allows "
                            "_POP_TOP_INT + _POP_TOP_INT")
    assert note.where == f"{FIXTURES / 'wrong_pop.c'}:43"
    assert "macro(TOY_MUL_INT)" in (FIXTURES / "wrong_pop.c").read_text().splitlines()[42]


def test_an_input_returned_and_never_popped(base):
    r = run(base, "missing_pop")
    [note] = r.checks
    assert note.what == "missing_pop"
    assert note.message.startswith("TOY_MUL_INT: l is returned by _TOY_MUL_INT but never popped")
    assert note.line == 43


def test_optimizer_case_left_with_the_old_outputs(base):
    r = run(base, "optimizer_left")
    [note] = r.checks
    assert note.what == "optimizer_mismatch"
    assert note.task == "refcount:_TOY_MUL_INT"
    assert "still has the outputs (res) while _TOY_MUL_INT now has (res, l, r)" in note.message
    assert note.file.endswith("optimizer_left_opt.c") and note.line == 7
    assert r.problems == []


def test_a_new_refcount_branch_in_another_uop_is_a_new_problem(base):
    r = run(base, "refcount_branch")
    assert r.completed == []
    [problem] = r.problems
    assert (problem.what, problem.task, problem.line) == ("releases", "refcount:_TOY_IS_SMALL", 48)
    assert problem.message == "_TOY_IS_SMALL now releases its input value itself (PyStackRef_CLOSE)"
    assert [(m.task, m.what) for m in r.opened] == [("refcount:_TOY_IS_SMALL", "opened")]
    assert r.summary() == "Completes no task, 1 new problem, opens 1 task."


def test_a_decomposition_removes_the_task(base):
    r = run(base, "decomposition")
    assert [(c.task, c.how) for c in r.completed] == [("refcount:_TOY_NEGATE_CHECKED", "removed")]
    assert r.problems == [] and r.opened == []


def test_nothing_changed(base):
    r = review(base, base)
    assert (r.completed, r.problems, r.moved) == ([], [], [])
    assert r.summary() == "Completes no task, no new problem."


def _side_of(bytecodes: str, optimizer: str) -> Side:
    wrap = lambda text: "// BEGIN BYTECODES //\n" + text + "\n// END BYTECODES //\n"  # noqa: E731
    model = build(parse_text(wrap(bytecodes), "bytecodes.c"), parse_text(wrap(optimizer), "optimizer_bytecodes.c"))
    return Side(model, find_tasks(model))


def test_a_new_uop_without_optimizer_case_and_an_instruction_lost_to_tier_2():
    before = _side_of("""
        op(_TOY_A, (value -- res)) { res = value; }
        macro(TOY_A) = _TOY_A;
        op(_TOY_B, (--)) { }
        macro(TOY_B) = _TOY_B;
    """, "op(_TOY_A, (value -- res)) { res = value; }")
    after = _side_of("""
        op(_TOY_A, (value -- res)) { res = value; }
        op(_TOY_NEW, (-- out)) { out = PyStackRef_None; }
        macro(TOY_A) = _TOY_A + _TOY_NEW;
        inst(TOY_B, (--)) { toy_peek(this_instr); }
        tier2 op(_TOY_EMITTED, (value -- res)) { res = value; PyStackRef_CLOSE(value); }
        tier2 op(_TOY_TRANSLATED, (-- res)) { res = PyStackRef_None; }
    """, "op(_TOY_A, (value -- res)) { REPLACE_OP(this_instr, _TOY_EMITTED, 0, 0); res = value; }")
    r = review(before, after)
    # a uop no instruction runs that an optimizer case emits is written after the analysis:
    # no problem; one no case emits (the trace translator's) is
    assert {"optimizer:_TOY_EMITTED", "refcount:_TOY_EMITTED"} <= {m.task for m in r.opened}
    assert not any("_TOY_EMITTED" in p.message for p in r.problems)
    assert any(p.task == "optimizer:_TOY_TRANSLATED" for p in r.problems)
    got = {(p.what, p.task): p.message for p in r.problems}
    assert got[("no_optimizer_case", "optimizer:_TOY_NEW")] == "new uop _TOY_NEW has results but no optimizer case"
    lost = got[("tier2_lost", "tier2:TOY_B")]
    assert lost.startswith("tier 2 could run TOY_B before and cannot now: it ")
    assert "this_instr" in lost


def test_to_json_has_every_section(base):
    data = run(base, "wrong_pop").to_json()
    assert set(data) == {"base", "head", "summary", "completed", "recipe_checks", "problems",
                         "opened", "difficulty", "left_tier2"}
    assert data["recipe_checks"][0]["what"] == "wrong_pop"


def test_a_definition_the_parser_had_to_skip_is_a_new_problem(base, tmp_path):
    text = (FIXTURES / "clean.c").read_text()
    twice = text.replace("// END BYTECODES //", "        op(_TOY_MUL_INT, (left, right -- res)) {\n"
                         "            res = left;\n        }\n\n// END BYTECODES //")
    (tmp_path / "twice.c").write_text(twice)
    (tmp_path / "twice_opt.c").write_text((FIXTURES / "clean_opt.c").read_text())
    found = sources.from_files(str(tmp_path / "twice.c"), str(tmp_path / "twice_opt.c"))
    model = load(found)
    assert model.warnings  # the second op of the same name is skipped, not the file
    r = review(base, Side(model, find_tasks(model)))
    [note] = [p for p in r.problems if p.what == "skipped"]
    assert note.message.startswith("the parser skipped the later op _TOY_MUL_INT (lines ")
    assert "defined twice" in note.message
    assert note.line == twice.splitlines().index("        op(_TOY_MUL_INT, (left, right -- res)) {") + 1
    # skipped in the base as well (at other lines): no news of this change
    assert not [p for p in review(Side(model, find_tasks(model)), Side(model, find_tasks(model))).problems
                if p.what == "skipped"]


def test_a_task_gone_because_tier_2_no_longer_runs_its_uop_is_not_completed():
    release = "op(_TOY_REL, (value -- res)) { res = toy_of(value); PyStackRef_CLOSE(value); }"
    before = _side_of(f"{release}\nmacro(TOY_REL) = _TOY_REL;",
                      "op(_TOY_REL, (value -- res)) { res = sym_new_not_null(ctx); }")
    after = _side_of(f"op(_TOY_PEEK, (--)) {{ toy_peek(this_instr); }}\n{release}\n"
                     "macro(TOY_REL) = _TOY_PEEK + _TOY_REL;",
                     "op(_TOY_REL, (value -- res)) { res = sym_new_not_null(ctx); }")
    assert before.tasks.get("refcount:_TOY_REL") is not None and after.tasks.get("refcount:_TOY_REL") is None
    r = review(before, after)
    assert r.completed == []
    assert [m.task for m in r.left_tier2] == ["refcount:_TOY_REL"]
    assert [p.what for p in r.problems] == ["tier2_lost"]


def test_a_uop_the_optimizer_emits_no_more_is_decomposed():
    bytecodes = """
        op(_TOY_LOAD, (-- value)) { value = PyStackRef_None; }
        macro(TOY_LOAD) = _TOY_LOAD;
        tier2 op(_TOY_POP_LOAD, (pop -- value)) { PyStackRef_CLOSE(pop); value = PyStackRef_None; }
    """
    emits = "op(_TOY_LOAD, (-- value)) { REPLACE_OP(this_instr, _TOY_POP_LOAD, 0, 0); value = sym_new_not_null(ctx); }\n"
    case = "op(_TOY_POP_LOAD, (pop -- value)) { value = sym_new_not_null(ctx); }\n"
    before = _side_of(bytecodes, emits + case)
    after = _side_of(bytecodes, "op(_TOY_LOAD, (-- value)) { value = sym_new_not_null(ctx); }\n")
    r = review(before, after)
    assert [(c.task, c.how) for c in r.completed] == [("refcount:_TOY_POP_LOAD", "removed")]
    assert r.problems == []  # its case went with it: no new problem either
    assert [m.task for m in r.opened] == ["optimizer:_TOY_POP_LOAD"]


def test_a_uop_the_optimizers_c_code_emits_is_no_new_problem():
    bytecodes = """
        op(_TOY_ADD, (left, right -- res)) { res = left; DEAD(right); }
        macro(TOY_ADD) = _TOY_ADD;
    """
    variant = "tier2 op(_TOY_ADD__NO_DECREF, (left, right -- res)) { res = left; DEAD(right); }\n"
    case = "op(_TOY_ADD, (left, right -- res)) { res = sym_new_not_null(ctx); }"
    before = _side_of(bytecodes, case)
    wrap = lambda text: "// BEGIN BYTECODES //\n" + text + "\n// END BYTECODES //\n"  # noqa: E731
    model = build(parse_text(wrap(bytecodes + variant), "bytecodes.c"), parse_text(wrap(case), "optimizer_bytecodes.c"))
    tasks = find_tasks(model)
    plain = review(before, Side(model, tasks))
    assert [p.task for p in plain.problems] == ["optimizer:_TOY_ADD__NO_DECREF"]
    with_c = review(before, Side(model, tasks, frozenset({"_TOY_ADD__NO_DECREF"})))
    assert with_c.problems == []
    assert Side.scan(sources.from_files(str(FIXTURES / "base.c"), str(FIXTURES / "base_opt.c")),
                     analysis="inst->opcode = _TOY_PACK; y = _NOT_A_UOP;").emitted == {"_TOY_PACK"}
