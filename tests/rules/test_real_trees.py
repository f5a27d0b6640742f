"""What real CPython trees showed, in before/after pairs of fixtures written for these
tests (tests/fixtures/rules/), each in the syntax of the release it stands for:
old families and supers, super-instructions, releases on error paths only, aliases
of array elements, and recipes as CPython shipped them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.dsl import parse_text
from tracker.errors import DSLError
from tracker.model import build
from tracker.rules import find_tasks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


def model_of(name: str, text: str | None = None):
    return build(parse_text(text if text is not None else (FIXTURES / name).read_text(), name))


def tasks_of(name: str):
    return find_tasks(model_of(name)).by_id()


# -- 2022-2023: families naming the ops super-instructions are built from -----------

@pytest.mark.parametrize("name", ["families_2022_before.c", "families_2022_after.c"])
def test_2022_family_revisions_scan(name):
    m = model_of(name)
    fam = m.families["TOY_CMP"]
    assert m.instructions["TOY_CMP"].family == "TOY_CMP"
    find_tasks(m)  # the rules run on it too
    if name.endswith("before.c"):
        assert fam.members == ("_TOY_CMP_FLOAT",)
        assert [u.name for u in m.instructions["TOY_CMP_FLOAT_JUMP"].uops] == ["_TOY_CMP_FLOAT", "_TOY_JUMP_IF"]
    else:
        assert fam.members == ("TOY_CMP_FLOAT",)
        assert m.instructions["TOY_CMP_FLOAT"].specialized


def test_2022_family_member_that_is_nothing_is_a_warning_with_its_place():
    text = (FIXTURES / "families_2022_before.c").read_text().replace(
        "            _TOY_CMP_FLOAT,\n        };", "            _TOY_CMP_DOUBLE,\n        };")
    m = model_of("broken.c", text)
    [w] = [w for w in m.warnings if "_TOY_CMP_DOUBLE" in str(w)]
    assert w.line == text[: text.index("_TOY_CMP_DOUBLE")].count("\n") + 1


# -- super-instructions follow their halves ---------------------------------------

def test_super_instructions_join_their_halves_task_and_have_none_of_their_own():
    before = tasks_of("super_before.c")
    assert not [t for t in before if t.startswith("refcount:_TOY_STORE_TOY")]
    task = before["refcount:_TOY_STORE"]
    assert task.status == "open"
    assert task.instructions == ["TOY_STORE", "TOY_STORE_TOY_LOAD", "TOY_STORE_TOY_STORE"]
    pops = {m["instruction"]: m["pops"] for m in task.recipe["macros"]}
    assert pops == {"TOY_STORE": ["POP_TOP"], "TOY_STORE_TOY_LOAD": ["POP_TOP"],
                    "TOY_STORE_TOY_STORE": ["POP_TOP", "POP_TOP"]}
    sup = next(m for m in task.recipe["macros"] if m["instruction"] == "TOY_STORE_TOY_LOAD")
    assert "unchanged" in sup["after"] and "TOY_STORE" in sup["after"]
    # no optimizer task for the super-instruction's own uop: tier 2 never runs it
    assert "optimizer:_TOY_STORE_TOY_LOAD" not in before

    after = tasks_of("super_after.c")
    assert not [t for t in after if t.startswith("refcount:_TOY_STORE_TOY")]
    done = after["refcount:_TOY_SWAP_SLOT"]
    assert done.status == "done"
    assert sorted(done.instructions) == ["TOY_STORE", "TOY_STORE_TOY_LOAD", "TOY_STORE_TOY_STORE"]


# -- a release only on the way out through an error exit --------------------------

def test_release_only_before_an_error_exit_is_no_task():
    before = tasks_of("error_path_before.c")["refcount:_TOY_STORE_DICT"]
    assert before.status == "open"
    assert [r.name for r in before.released_inputs] == ["dict_st"]
    after = tasks_of("error_path_after.c")["refcount:_TOY_STORE_DICT"]
    assert after.status == "done" and after.recipe["pops"] == ["POP_TOP"]


def test_release_before_a_conditional_error_exit_still_counts():
    text = (FIXTURES / "error_path_after.c").read_text().replace("ERROR_IF(1);", "ERROR_IF(err < 0);")
    task = find_tasks(model_of("cond.c", text)).by_id()["refcount:_TOY_STORE_DICT"]
    assert task.status == "open"
    assert [(r.name, r.conditional) for r in task.released_inputs] == [("dict_st", True)]


# -- aliases of array elements -----------------------------------------------------

def test_released_element_alias_is_listed_and_popped():
    before = tasks_of("alias_before.c")["refcount:_TOY_CALL_O"]
    assert before.status == "open"
    assert [(r.name, r.what) for r in before.released_inputs] == [("arg", "element"), ("callable", "input")]
    macro = before.recipe["macros"][0]
    assert macro["pops"] == ["POP_TOP", "POP_TOP"]
    assert before.recipe["stack_effect_after"] == "(callable, self_or_null, args[oparg] -- res, callable_out, arg_out)"
    assert "array_inputs" not in before.recipe
    after = tasks_of("alias_after.c")["refcount:_TOY_CALL_O"]
    assert after.status == "done" and after.recipe["pops"] == ["POP_TOP", "POP_TOP"]


# -- recipes: array pops and type pops, from the tree when it has them -------------

def test_array_input_gets_an_array_pop_and_says_the_tree_needs_one():
    task = tasks_of("recipe_before.c")["refcount:_TOY_CALL_FAST"]
    assert [r.name for r in task.released_inputs] == ["callable", "self_or_null", "args"]
    # self_or_null is taken in by the array (the body shifts onto it): no pop of its own
    assert task.recipe["macros"][0]["pops"] == ["_POP_TOP_OPARG", "POP_TOP"]
    assert task.recipe["new_pop_uop"] == "_POP_TOP_OPARG"
    assert "self_or_null" in task.recipe["design_decision"]
    assert "does not define" in task.recipe["design_decision"]


def test_type_pop_from_the_uops_own_exit_check():
    task = tasks_of("recipe_before.c")["refcount:_TOY_TO_BOOL_INT"]
    assert task.recipe["macros"][0]["pops"] == ["_POP_TOP_INT"]


def test_pops_the_tree_defines_are_recognised_and_proposed_by_their_own_names():
    after = tasks_of("recipe_after.c")
    assert after["refcount:_TOY_CALL_FAST"].status == "done"
    assert after["refcount:_TOY_CALL_FAST"].recipe["pops"] == ["_TOY_POP_ARGS", "POP_TOP"]
    assert after["refcount:_TOY_TO_BOOL_INT"].recipe["macros"][0]["pops"] == ["_TOY_POP_INT"]
    # a pop is never a task of its own
    assert "refcount:_TOY_POP_ARGS" not in after and "refcount:_TOY_POP_INT" not in after


def test_array_pop_the_tree_defines_is_proposed_and_needs_no_new_uop():
    pop_args = ("        op(_TOY_POP_ARGS, (args[oparg] --)) {\n"
                "            for (int i = 0; i < oparg; i++) {\n"
                "                PyStackRef_CLOSE(args[i]);\n"
                "            }\n"
                "        }\n\n")
    text = (FIXTURES / "recipe_before.c").read_text().replace(
        "        op(_TOY_CALL_FAST,", pop_args + "        op(_TOY_CALL_FAST,")
    with_pop = find_tasks(model_of("with_pop.c", text)).by_id()["refcount:_TOY_CALL_FAST"]
    assert with_pop.recipe["macros"][0]["pops"] == ["_TOY_POP_ARGS", "POP_TOP"]
    assert "new_pop_uop" not in with_pop.recipe
    assert "_TOY_POP_ARGS" in with_pop.recipe["design_decision"]
    assert any("popped whole by the tree's array pop" in r for r in with_pop.reasons)
    without = tasks_of("recipe_before.c")["refcount:_TOY_CALL_FAST"]
    assert any("needs a new pop uop taking oparg (_POP_TOP_OPARG)" in r for r in without.reasons)
    order = ("easy", "medium", "hard")
    assert order.index(with_pop.difficulty) < order.index(without.difficulty)


def test_a_guard_the_rules_do_not_name_is_read_from_its_exit():
    text = (FIXTURES / "recipe_before.c").read_text().replace("// END BYTECODES //", """
        op(_TOY_GUARD_NOS_STR, (nos, unused -- nos, unused)) {
            PyObject *o = PyStackRef_AsPyObjectBorrow(nos);
            EXIT_IF(!PyUnicode_CheckExact(o));
        }

        op(_TOY_CONCAT, (left, right -- res)) {
            PyObject *res_o = toy_concat(left, right);
            PyStackRef_CLOSE(right);
            PyStackRef_CLOSE(left);
            ERROR_IF(res_o == NULL);
            res = PyStackRef_FromPyObjectSteal(res_o);
        }

        macro(TOY_CONCAT) = _TOY_GUARD_NOS_STR + _TOY_CONCAT;

// END BYTECODES //""")
    task = find_tasks(model_of("guard.c", text)).by_id()["refcount:_TOY_CONCAT"]
    assert task.recipe["macros"][0]["pops"] == ["POP_TOP", "_POP_TOP_UNICODE"]


def test_array_handed_whole_to_a_stealing_helper_through_a_pointer_alias():
    text = (FIXTURES / "recipe_before.c").read_text().replace(
        "PyObject *res_o = toy_vectorcall(callable, arguments, total);\n            DECREF_INPUTS();",
        "PyObject *res_o = toy_vectorcall_StackRefSteal(callable, arguments, total);\n"
        "            DEAD(args);\n            DEAD(self_or_null);\n            DEAD(callable);")
    task = find_tasks(model_of("steal.c", text)).by_id()["refcount:_TOY_CALL_FAST"]
    assert [r.name for r in task.released_inputs] == ["callable", "args"]
    assert task.recipe["macros"][0]["pops"] == ["_POP_TOP_OPARG", "POP_TOP"]
    assert "toy_vectorcall_StackRefSteal" in task.recipe["body_change"][0]


def test_array_sized_otherwise_than_the_array_pop_takes_needs_a_decision():
    text = (FIXTURES / "recipe_before.c").read_text().replace(
        "op(_TOY_CALL_FAST, (callable, self_or_null, args[oparg] -- res))",
        "op(_TOY_CALL_FAST, (callable, self_or_null, args[oparg*2] -- res))")
    task = find_tasks(model_of("pairs.c", text)).by_id()["refcount:_TOY_CALL_FAST"]
    assert task.recipe["array_size_mismatch"] == ["args[oparg*2]"]
    assert "not sized oparg" in task.recipe["design_decision"]
    plain = tasks_of("recipe_before.c")["refcount:_TOY_CALL_FAST"]
    assert "array_size_mismatch" not in plain.recipe


@pytest.mark.parametrize("exit_stmt", ["ERROR_IF(true, error);", "ERROR_NO_POP();", "goto error;"])
def test_each_kind_of_error_exit_marks_a_release_on_the_way_out(exit_stmt):
    text = (FIXTURES / "error_path_after.c").read_text().replace("ERROR_IF(1);", exit_stmt)
    task = find_tasks(model_of("exits.c", text)).by_id()["refcount:_TOY_STORE_DICT"]
    assert task.status == "done"


def test_history_scans_the_2022_revisions_and_records_a_rejected_one_with_its_error(tmp_path):
    from tests.gitrepo import Repo
    from tracker import history

    repo = Repo(tmp_path / "cpython")
    before = (FIXTURES / "families_2022_before.c").read_text()
    # a comment never closed spoils the whole file, not one definition
    broken = before.replace("// END BYTECODES //", "/* never closed\n// END BYTECODES //")
    after = (FIXTURES / "families_2022_after.c").read_text()
    for i, text in enumerate([before, broken, after]):
        repo.commit({"Python/bytecodes.c": text}, f"revision {i}", "Ada Lovelace",
                    f"2022-12-{10 + i}T12:00:00+00:00")
    result = history.walk(repo.path, jobs=1)
    errors = [r["error"] for r in result.revisions]
    assert errors[0] is None and errors[2] is None
    assert "comment is never closed" in errors[1] and ":37:1: error:" in errors[1]
    assert "Traceback" not in errors[1] and "internal error" not in errors[1]
