"""2026's conversion shapes, in before/after pairs of fixtures written for these tests
(tests/fixtures/rules/): outputs written over in place (gh-148171's shape), an inst
split into an op and a macro that pops (gh-145866's), and a composite uop decomposed
into others (gh-148211's). Across the pair no open task vanishes: each is done or
removed (tracker.changes)."""

from __future__ import annotations

from pathlib import Path

from tracker.changes import compare
from tracker.dsl import parse_text
from tracker.model import build
from tracker.rules import find_tasks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


EMPTY = "// BEGIN BYTECODES //\n// END BYTECODES //\n"


def scan(name: str, optimizer: str | None = "inplace_optimizer.c"):
    """The tasks of a fixture; ``optimizer`` "" is an optimizer file without cases."""
    bc = parse_text((FIXTURES / name).read_text(), name)
    opt = (None if optimizer is None else parse_text(
        (FIXTURES / optimizer).read_text() if optimizer else EMPTY, optimizer or "o.c"))
    return find_tasks(build(bc, opt))


def whats(before, after) -> dict[str, tuple[str, str]]:
    return {c.task_id: (c.what, c.note) for c in compare(before, after)}


def test_open_before_in_place_conversion():
    ts = scan("inplace_before.c", optimizer="").by_id()
    task = ts["refcount:_TOY_CALL_BUILTIN"]
    assert task.status == "open"
    assert task.prerequisites == ["helper:_Toy_CallBuiltin_StackRefSteal"]
    assert ts["optimizer:_TOY_CALL_BUILTIN"].status == "open"  # no case for res


def test_outputs_written_over_in_place_and_popped_are_done():
    after = scan("inplace_after.c")
    task = after.by_id()["refcount:_TOY_CALL_BUILTIN"]
    assert task.status == "done"
    assert task.recipe["pops_in"] == {"TOY_CALL_BUILTIN": ["_POP_TOP_OPARG", "POP_TOP"]}
    assert task.released_inputs == []  # the callable's old value is part of the shape
    # the result written over the callable is a new value: the optimizer's case covers it
    assert after.by_id()["optimizer:_TOY_CALL_BUILTIN"].status == "done"
    # a guard leaving its inputs untouched is no optimizer task
    assert "optimizer:_TOY_GUARD_BUILTIN" not in after.by_id()


def test_in_place_outputs_without_a_case_are_an_optimizer_task():
    after = scan("inplace_after.c", optimizer=None)
    assert "optimizer:_TOY_CALL_BUILTIN" not in after.by_id()  # no optimizer file read
    task = scan("inplace_after.c", optimizer="").by_id()["optimizer:_TOY_CALL_BUILTIN"]
    assert task.status == "open" and task.reasons == ["1 output(s): callable"]
    assert "callable = sym_new_not_null(ctx);" in task.recipe["case"]


def test_an_in_place_output_never_written_is_still_released_work():
    text = (FIXTURES / "inplace_after.c").read_text().replace(
        "            _PyStackRef old = callable;\n"
        "            callable = PyStackRef_FromPyObjectSteal(res_o);\n"
        "            PyStackRef_CLOSE(old);\n",
        "            PyStackRef_CLOSE(callable);\n            DEAD(res_o);\n")
    task = find_tasks(build(parse_text(text, "b.c"))).by_id()["refcount:_TOY_CALL_BUILTIN"]
    assert task.status == "open" and [r.name for r in task.released_inputs] == ["callable"]


def test_in_place_pair_across_revisions():
    before, after = scan("inplace_before.c", optimizer=""), scan("inplace_after.c")
    assert whats(before, after) == {
        "refcount:_TOY_CALL_BUILTIN": ("done", ""),
        "optimizer:_TOY_CALL_BUILTIN": ("done", ""),
        # nobody needs a non-stealing twin of the helper any more
        "helper:_Toy_CallBuiltin_StackRefSteal": ("done", "no longer found"),
    }


def test_split_then_pops():
    before, after = scan("split_pops_before.c"), scan("split_pops_after.c")
    task = before.by_id()["refcount:_TOY_MERGE"]
    assert task.status == "open" and task.prerequisites == ["split:TOY_MERGE"]
    assert before.by_id()["split:TOY_MERGE"].status == "open"
    done = after.by_id()["refcount:_TOY_MERGE"]
    assert done.status == "done" and done.recipe["pops_in"] == {"TOY_MERGE": ["POP_TOP"]}
    assert whats(before, after) == {
        "refcount:_TOY_MERGE": ("done", ""),
        "split:TOY_MERGE": ("done", "no longer found"),  # TOY_MERGE is a macro now
        # the mapping handed on is a new output the optimizer should know is `extra`
        "optimizer:_TOY_MERGE": ("opened", ""),
    }


def test_decomposed_composite_uop_is_removed():
    before, after = scan("decompose_before.c"), scan("decompose_after.c")
    assert before.by_id()["refcount:_TOY_POP_THEN_CONST_BORROW"].status == "open"
    assert "_TOY_POP_THEN_CONST_BORROW" not in after.uops
    changes = compare(before, after, revision="f00d")
    assert {c.task_id: c.what for c in changes} == {
        "refcount:_TOY_POP_THEN_CONST_BORROW": "removed",
        "optimizer:_TOY_POP_THEN_CONST_BORROW": "removed",
    }
    assert {c.after.status for c in changes} == {"removed"}
    assert {c.revision for c in changes} == {"f00d"}
    assert changes[0].note == "_TOY_POP_THEN_CONST_BORROW no longer exists"
