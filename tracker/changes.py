"""What changed between two task sets: tasks done, removed, opened, reopened, re-rated.

Pure: two :class:`~tracker.tasks.TaskSet` in, a list of :class:`Change` out, joined on
task ids (stable across rescans). A task never vanishes: open work (``open`` or
``blocked``) that is no longer found is

- ``done`` when its subject (the uop or instruction it is about) still exists: the
  problem is gone (converted in a shape the rules report as done, or no longer there
  to find);
- ``removed`` when the subject no longer exists (deleted, or decomposed into other uops).

``history``, ``update``'s "what changed", the TUI's update notice and ``check`` all use
:func:`compare`; whoever knows the revision between the two sets credits the changes to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from .tasks import Task, TaskSet

WHATS = ("done", "removed", "opened", "reopened", "difficulty")
REMOVED = "removed"  # the status a removed task is shown with across revisions
_NOT_DONE = ("open", "blocked")


@dataclass(frozen=True)
class Change:
    """One task that moved. ``before``/``after`` are the task on each side; for a task no
    longer found, ``after`` is the old task with status ``done`` or ``removed``."""

    task_id: str
    what: str  # one of WHATS
    before: Task | None
    after: Task | None
    # why, when it is not plain: "no longer found", "_X no longer exists", ...
    note: str = ""
    revision: str | None = field(default=None, compare=False)  # set by whoever credits it


def subjects(taskset: TaskSet) -> set[str]:
    """Names of the uops and instructions that exist in ``taskset``'s tree.

    A task set that lists its definitions (``uops``) answers exactly; an older one (a
    snapshot or cache entry written before) answers from its instruction facts (every
    instruction and the uops it is made of) and its tasks' subjects.
    """
    names: set[str] = set()
    for fact in taskset.instructions:
        names.add(fact["name"])
        names.update(fact.get("uops") or ())
    names.update(getattr(taskset, "uops", None) or ())
    for t in taskset.tasks:
        if t.uop:
            names.add(t.uop)
        if t.kind in ("tier2", "split"):
            names.add(t.subject)
    return names


def subject_exists(task: Task, names: set[str], after: dict[str, Task]) -> bool:
    """Whether what ``task`` is about is still in the tree whose definitions are ``names``."""
    if task.kind == "helper":
        # a C helper is no definition: it stays while any conversion waiting for it does
        users = task.recipe.get("users") or []
        return any(u in after or u.split(":", 1)[1] in names for u in users) or not users
    if task.uop:
        return task.uop in names
    return task.subject in names


def compare(before: TaskSet, after: TaskSet, *, exists: Iterable[str] | None = None,
            revision: str | None = None) -> list[Change]:
    """What moved from ``before`` to ``after``, sorted by task id.

    ``exists``: the names of every uop and instruction of ``after``'s tree, when the
    caller knows them better than ``after`` does (see :func:`subjects`). ``revision``
    is recorded on every change (the revision that did it).
    """
    old, new = before.by_id(), after.by_id()
    names = set(exists) if exists is not None else subjects(after)
    out: list[Change] = []
    for task_id, task in new.items():
        was = old.get(task_id)
        if was is None:
            if task.status != "done":  # a uop that arrives converted is no new work
                out.append(Change(task_id, "opened", None, task, revision=revision))
        elif was.status in _NOT_DONE and task.status == "done":
            out.append(Change(task_id, "done", was, task, revision=revision))
        elif was.status == "done" and task.status in _NOT_DONE:
            out.append(Change(task_id, "reopened", was, task, revision=revision))
        elif was.status == task.status == "open" and was.difficulty != task.difficulty:
            out.append(Change(task_id, "difficulty", was, task,
                              note=f"{was.difficulty} -> {task.difficulty}", revision=revision))
    for task_id, was in old.items():
        if task_id in new or was.status not in _NOT_DONE:
            continue  # a done task no longer found is no news
        if subject_exists(was, names, new):
            out.append(Change(task_id, "done", was, replace(was, status="done"),
                              note="no longer found", revision=revision))
        else:
            gone = was.uop or was.subject
            out.append(Change(task_id, "removed", was, replace(was, status=REMOVED),
                              note=f"{gone} no longer exists", revision=revision))
    out.sort(key=lambda c: c.task_id)
    return out


def by_what(changes: Iterable[Change]) -> dict[str, list[str]]:
    """Task ids by what happened to them (every key of :data:`WHATS`, maybe empty)."""
    out: dict[str, list[str]] = {w: [] for w in WHATS}
    for c in changes:
        out[c.what].append(c.task_id)
    return out


def describe(changes: Iterable[Change], since: str | None = None) -> str:
    """"12 tasks done since 2025-05-30, 3 removed, 2 opened" (or "no task changed ...")."""
    groups = by_what(changes)
    when = f" since {since[:10]}" if since else ""
    parts = []
    done = groups["done"]
    if done:
        parts.append(f"{len(done)} task{'s' if len(done) != 1 else ''} done{when}")
    for what in ("removed", "opened", "reopened"):
        if groups[what]:
            parts.append(f"{len(groups[what])} {what}")
    if groups["difficulty"]:
        n = len(groups["difficulty"])
        parts.append(f"{n} changed difficulty")
    if not parts:
        return f"no task changed{when}"
    if not done and when:
        parts[0] += when
    return ", ".join(parts)
