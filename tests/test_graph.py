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


def test_ready_and_links_agree_with_the_networkx_graph():
    """ready() and links() build no graph; on random task sets (cycles, self-loops, missing
    prerequisites, long chains) they say what the networkx graph says."""
    import random

    import networkx as nx

    for seed in range(200):
        r = random.Random(seed)
        ids = [f"t:{i}" for i in range(r.randint(1, 30))]
        tasks = [t(i, status=r.choice(["open", "open", "done", "blocked"]),
                   prereqs=r.choices(ids + ["gone:1"], k=r.randint(0, 3))) for i in ids]
        g = graph.build_graph(tasks)
        on_cycle = {n for c in nx.simple_cycles(g) for n in c}
        assert graph.in_cycles(tasks) == on_cycle, seed
        status = {x.id: x.status for x in tasks}
        assert graph.ready(tasks) == {
            x.id for x in tasks if x.status == "open" and x.id not in on_cycle
            and all(status.get(p, "done") == "done" for p in x.prerequisites)}, seed
        prereqs, dependents = graph.links(tasks)
        for x in tasks:
            assert prereqs[x.id] == sorted(g.predecessors(x.id))
            assert dependents[x.id] == sorted(g.successors(x.id))


def test_a_long_chain_is_no_recursion_problem():
    chain = [t("a:0")] + [t(f"a:{i}", prereqs=[f"a:{i - 1}"]) for i in range(1, 5000)]
    assert graph.in_cycles(chain) == set()
    chain[0].prerequisites.append("a:4999")
    assert len(graph.in_cycles(chain)) == 5000
