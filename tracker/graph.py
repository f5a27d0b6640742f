"""The dependency graph of tasks (networkx) and the set ready to start.

Edges run from a prerequisite to the task that waits for it. A prerequisite that is
not in the task set (a helper task whose helper now exists, say) counts as done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .tasks import Task, TaskSet

if TYPE_CHECKING:
    import networkx as nx

# networkx is imported where it is used: it costs more start-up time than the rest of
# the command line put together, and most commands never build a graph.


def build_graph(tasks: Iterable[Task]) -> "nx.DiGraph":
    import networkx as nx

    g = nx.DiGraph()
    tasks = list(tasks)
    for t in tasks:
        g.add_node(t.id, kind=t.kind, status=t.status, difficulty=t.difficulty, title=t.title)
    for t in tasks:
        for p in t.prerequisites:
            if p not in g:
                g.add_node(p, kind="missing", status="done", difficulty="", title=p)
            g.add_edge(p, t.id)
    return g


def cycles(graph: "nx.DiGraph", limit: int = 20) -> list[list[str]]:
    """Dependency cycles, reported rather than looped on (at most ``limit``)."""
    import networkx as nx

    out = []
    for cycle in nx.simple_cycles(graph):
        out.append(cycle)
        if len(out) >= limit:
            break
    return out


def ready(taskset: TaskSet | Iterable[Task]) -> set[str]:
    """Open tasks whose prerequisites are all done (or gone); tasks in a cycle never are."""
    tasks = taskset.tasks if isinstance(taskset, TaskSet) else list(taskset)
    status = {t.id: t.status for t in tasks}
    in_cycle = {n for c in cycles(build_graph(tasks), limit=1000) for n in c}
    return {
        t.id for t in tasks
        if t.status == "open" and t.id not in in_cycle
        and all(status.get(p, "done") == "done" for p in t.prerequisites)
    }


def dependents(taskset: TaskSet, task_id: str) -> list[str]:
    return sorted(t.id for t in taskset.tasks if task_id in t.prerequisites)


def export(graph: "nx.DiGraph", fmt: str) -> str:
    """The graph as DOT, GraphML or node-link JSON text."""
    import networkx as nx

    if fmt == "dot":
        lines = ["digraph tasks {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
        colours = {"open": "black", "done": "gray60", "blocked": "red"}
        for n, data in graph.nodes(data=True):
            label = f"{n}\\n{data.get('difficulty', '')}".replace('"', '\\"')
            lines.append(f'  "{n}" [label="{label}", color={colours.get(data.get("status"), "black")}];')
        for a, b in graph.edges():
            lines.append(f'  "{a}" -> "{b}";')
        lines.append("}")
        return "\n".join(lines) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    if fmt == "json":
        import json
        return json.dumps(nx.node_link_data(graph, edges="edges"), indent=2) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}")
