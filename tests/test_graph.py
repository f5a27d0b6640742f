"""Dependency graph: edges, ready set, cycles and exports."""

from __future__ import annotations

import json

from tracker import graph
from tracker.tasks import Task, TaskSet


def t(id_, status="open", prereqs=()):
    return Task(id=id_, kind=id_.split(":")[0], title=id_, uop=None, instructions=[],
                status=status, prerequisites=list(prereqs))


def test_ready_needs_all_prerequisites_done():
    ts = TaskSet({}, [
        t("helper:H"), t("refcount:_A", prereqs=["helper:H"]), t("refcount:_B"),
        t("split:C", status="done"), t("refcount:_C", prereqs=["split:C"]),
        t("refcount:_D", status="done"), t("refcount:_E", prereqs=["split:GONE"]),
    ])
    assert graph.ready(ts) == {"helper:H", "refcount:_B", "refcount:_C", "refcount:_E"}


def test_cycles_are_reported_not_ready():
    ts = TaskSet({}, [t("a:1", prereqs=["a:2"]), t("a:2", prereqs=["a:1"]), t("a:3")])
    g = graph.build_graph(ts.tasks)
    assert sorted(graph.cycles(g)[0]) == ["a:1", "a:2"]
    assert graph.ready(ts) == {"a:3"}


def test_exports():
    ts = TaskSet({}, [t("helper:H"), t("refcount:_A", prereqs=["helper:H"])])
    g = graph.build_graph(ts.tasks)
    dot = graph.export(g, "dot")
    assert '"helper:H" -> "refcount:_A";' in dot
    data = json.loads(graph.export(g, "json"))
    assert {(e["source"], e["target"]) for e in data["edges"]} == {("helper:H", "refcount:_A")}
    assert "<graphml" in graph.export(g, "graphml")
    assert graph.dependents(ts, "helper:H") == ["refcount:_A"]
