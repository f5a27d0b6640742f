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
    """Open tasks whose prerequisites are all done (or gone); tasks in a cycle never are.

    Needs no graph object: every listing asks for it, and networkx costs more start-up
    time than a whole listing from the scan cache.
    """
    tasks = taskset.tasks if isinstance(taskset, TaskSet) else list(taskset)
    status = {t.id: t.status for t in tasks}
    candidates = [t for t in tasks if t.status == "open"
                  and all(status.get(p, "done") == "done" for p in t.prerequisites)]
    if not candidates:
        return set()
    in_cycle = in_cycles(tasks)
    return {t.id for t in candidates if t.id not in in_cycle}


def in_cycles(tasks: Iterable[Task]) -> set[str]:
    """Ids of the tasks on some dependency cycle (Tarjan's strongly connected components,
    iterative: a long chain of prerequisites must not hit the recursion limit)."""
    prereqs = {t.id: t.prerequisites for t in tasks}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[str] = set()
    for root in prereqs:
        if root in index:
            continue
        work = [(root, iter(prereqs[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in prereqs:
                    continue  # gone: counts as done, on no cycle
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(prereqs[nxt])))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in prereqs[node]:
                        found.update(component)
    return found


def links(tasks: Iterable[Task]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each task's prerequisites and dependents, sorted: the graph's predecessors and
    successors, without building it."""
    tasks = list(tasks)
    prereqs = {t.id: sorted(set(t.prerequisites)) for t in tasks}
    dependents: dict[str, list[str]] = {t.id: [] for t in tasks}
    for t in tasks:
        for p in prereqs[t.id]:
            if p in dependents:
                dependents[p].append(t.id)
    for v in dependents.values():
        v.sort()
    return prereqs, dependents


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
