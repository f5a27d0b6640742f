"""Tasks to and from JSON: what snapshots, the scan cache and --json are made of."""

from __future__ import annotations

from dataclasses import asdict, replace

from tracker.tasks import ReleasedInput, Task, TaskSet


def sample() -> Task:
    return Task(
        id="refcount:_X", kind="refcount", title="Eliminate redundant refcounting in _X", uop="_X",
        instructions=["X", "X_FAST"], status="open", difficulty="medium",
        reasons=["2 released input(s): a, b"],
        released_inputs=[ReleasedInput("a", 10, "PyStackRef_CLOSE"),
                         ReleasedInput("b", 11, "DECREF_INPUTS", conditional=True)],
        recipe={"macros": [{"name": "X", "pops": ["_POP_TOP", "_POP_TOP"]}], "stack": "(a, b -- r, a, b)",
                "nested": {"deep": [[1, 2], {"k": None}]}},
        prerequisites=["split:X"], file="Python/bytecodes.c", line=10, end_line=20,
        explanation="why", links=["https://example.org/1"], excerpt="op(_X, (a, b -- r)) { }",
    )


def test_to_json_is_asdict():
    t = sample()
    t.weight, t.weight_source = 0.25, "uop _X"
    assert t.to_json(with_excerpt=True) == asdict(t)
    without = asdict(t)
    del without["excerpt"]
    assert t.to_json() == without and list(t.to_json()) == list(without)  # same keys, same order
    unweighed = sample().to_json()
    assert "weight" not in unweighed and "weight_source" not in unweighed


def test_to_json_shares_nothing_with_the_task():
    t = sample()
    data = t.to_json()
    data["instructions"].append("Y")
    data["recipe"]["macros"][0]["pops"].append("_POP_TOP_INT")
    data["recipe"]["nested"]["deep"][0].append(3)
    data["released_inputs"][0]["name"] = "z"
    assert t.instructions == ["X", "X_FAST"]
    assert t.recipe["macros"][0]["pops"] == ["_POP_TOP", "_POP_TOP"]
    assert t.recipe["nested"]["deep"][0] == [1, 2]
    assert t.released_inputs[0].name == "a"


def test_from_json_round_trip_ignores_unknown_keys():
    t = sample()
    data = dict(t.to_json(with_excerpt=True), weight=0.5, ready=True)
    back = Task.from_json(data)
    assert back == t and back.excerpt == t.excerpt
    assert isinstance(back.released_inputs[0], ReleasedInput)
    ts = TaskSet({"origin": "x"}, [t], [{"name": "X", "tier2": True}])
    again = TaskSet.from_json({**ts.to_json(with_excerpt=True), "instructions": ts.instructions})
    assert again.tasks == ts.tasks and again.instructions == ts.instructions


def test_tasks_are_plain_dataclasses_with_their_own_lists():
    a, b = Task("k:A", "refcount", "a", "A", []), Task("k:B", "refcount", "b", "B", [])
    a.reasons.append("only a's")
    assert b.reasons == [] and a.prerequisites is not b.prerequisites
    moved = replace(a, status="done")
    assert moved.status == "done" and moved.reasons == ["only a's"] and asdict(moved)["id"] == "k:A"
