"""tracker.changes: what moved between two task sets; a task never vanishes."""

from __future__ import annotations

from tracker.changes import REMOVED, by_what, compare, describe, subjects
from tracker.tasks import Task, TaskSet


def task(task_id: str, status: str = "open", difficulty: str = "easy", **kw) -> Task:
    kind, subject = task_id.split(":", 1)
    uop = subject if kind in ("refcount", "optimizer") else None
    return Task(id=task_id, kind=kind, title=f"about {subject}", uop=kw.pop("uop", uop),
                instructions=kw.pop("instructions", []), status=status,
                difficulty=difficulty, **kw)


def tset(*tasks: Task, uops: list[str] | None = None, insts: dict[str, list[str]] | None = None) -> TaskSet:
    facts = [{"name": n, "uops": u} for n, u in (insts or {}).items()]
    return TaskSet({"date": "2026-02-08"}, list(tasks), facts, uops=uops)


def whats(changes) -> dict[str, str]:
    return {c.task_id: c.what for c in changes}


def test_open_then_done_is_done():
    before = tset(task("refcount:_TWIDDLE"))
    after = tset(task("refcount:_TWIDDLE", "done"), uops=["_TWIDDLE"])
    (c,) = compare(before, after)
    assert (c.what, c.before.status, c.after.status, c.note) == ("done", "open", "done", "")


def test_blocked_then_done_is_done_and_done_then_open_is_reopened():
    before = tset(task("refcount:_A", "blocked"), task("refcount:_B", "done"))
    after = tset(task("refcount:_A", "done"), task("refcount:_B", "open"), uops=["_A", "_B"])
    assert whats(compare(before, after)) == {"refcount:_A": "done", "refcount:_B": "reopened"}


def test_a_task_no_longer_found_whose_uop_is_still_defined_is_done():
    before = tset(task("refcount:_KEEPS_ARGS"))
    after = tset(uops=["_KEEPS_ARGS", "_OTHER"])
    (c,) = compare(before, after)
    assert c.what == "done" and c.note == "no longer found"
    assert c.after.status == "done" and c.before.status == "open"  # the old task is untouched


def test_a_task_whose_uop_was_deleted_is_removed():
    before = tset(task("refcount:_POP_AND_PUSH"), task("optimizer:_POP_AND_PUSH"))
    after = tset(uops=["_POP", "_PUSH"])  # decomposed into two others
    changes = compare(before, after, revision="abc123")
    assert whats(changes) == {"optimizer:_POP_AND_PUSH": "removed", "refcount:_POP_AND_PUSH": "removed"}
    assert all(c.after.status == REMOVED and c.revision == "abc123" for c in changes)
    assert changes[0].note == "_POP_AND_PUSH no longer exists"


def test_instruction_tasks_are_judged_by_the_instruction():
    before = tset(task("tier2:SLOW_THING"), task("split:GLUED"), task("tier2:ERASED"))
    after = tset(insts={"SLOW_THING": ["_SLOW_THING"], "GLUED": ["_GLUED", "_POP_TOP"]})
    assert whats(compare(before, after)) == {
        "split:GLUED": "done", "tier2:SLOW_THING": "done", "tier2:ERASED": "removed"}


def test_without_a_list_of_uops_the_instruction_facts_and_tasks_answer():
    before = tset(task("refcount:_IN_AN_INST"), task("refcount:_OPT_ONLY"), task("refcount:_GONE"))
    after = tset(task("optimizer:_OPT_ONLY", "done"), insts={"IN_AN_INST": ["_IN_AN_INST"]})
    assert after.uops is None and {"_IN_AN_INST", "_OPT_ONLY"} <= subjects(after)
    assert whats(compare(before, after)) == {
        "refcount:_GONE": "removed", "refcount:_IN_AN_INST": "done", "refcount:_OPT_ONLY": "done"}


def test_exists_overrides_what_the_task_set_says():
    before = tset(task("refcount:_X"))
    assert whats(compare(before, tset(uops=["_X"]), exists=[])) == {"refcount:_X": "removed"}


def test_a_helper_is_done_while_a_conversion_that_waited_for_it_is_still_there():
    helper = task("helper:_Steal", recipe={"users": ["refcount:_USER"]})
    orphan = task("helper:_Lonely", recipe={"users": ["refcount:_DELETED"]})
    after = tset(task("refcount:_USER", "done"), uops=["_USER"])
    assert whats(compare(tset(helper, orphan), after)) == {
        "helper:_Lonely": "removed", "helper:_Steal": "done"}


def test_opened_and_difficulty_and_what_is_no_news():
    before = tset(task("refcount:_HARDER"), task("refcount:_FINISHED", "done"))
    after = tset(task("refcount:_HARDER", difficulty="hard"), task("refcount:_NEW"),
                 task("refcount:_ARRIVES_DONE", "done"), uops=["_HARDER", "_NEW", "_ARRIVES_DONE"])
    changes = compare(before, after)
    # a done task no longer found and a new task that arrives done are no news
    assert whats(changes) == {"refcount:_HARDER": "difficulty", "refcount:_NEW": "opened"}
    assert changes[0].note == "easy -> hard"


def test_no_open_task_vanishes():
    before = tset(*[task(f"refcount:_U{i}") for i in range(5)], task("tier2:I"), task("split:S"))
    after = tset(task("refcount:_U0", "done"), uops=["_U1"], insts={"S": []})
    changes = compare(before, after)
    assert sorted(c.task_id for c in changes) == sorted(t.id for t in before.tasks)
    assert by_what(changes)["done"] == ["refcount:_U0", "refcount:_U1", "split:S"]


def test_describe():
    before = tset(task("refcount:_A"), task("refcount:_B"), task("refcount:_C"))
    after = tset(task("refcount:_A", "done"), task("refcount:_D"), uops=["_A", "_B", "_D"])
    changes = compare(before, after)
    assert describe(changes, "2026-02-08T01:00:00Z") == "2 tasks done since 2026-02-08, 1 removed, 1 opened"
    assert describe([], "2026-02-08") == "no task changed since 2026-02-08"
    assert describe(compare(tset(), tset(task("refcount:_N"))), "2026-02-08") == "1 opened since 2026-02-08"


def test_task_sets_keep_their_uops_through_json():
    ts = tset(task("refcount:_A"), uops=["_A", "_B"])
    assert TaskSet.from_json(ts.to_json()).uops == ["_A", "_B"]
    assert TaskSet.from_json(tset().to_json()).uops is None
