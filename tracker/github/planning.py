"""What a sync would do: tasks + the repository's issues -> ordered actions. Pure.

Issues are ours only when their body holds our marker (see :mod:`tracker.tickets`);
anything else is never touched, and a closed issue is never reopened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..tasks import DIFFICULTIES, KINDS, Task, TaskSet
from ..tickets import UMBRELLA_ID, Links, Renderer, filed_kinds, is_tracking_id, ready_ids, tracking_id
from .client import RemoteIssue


@dataclass
class Action:
    op: str  # create | update | close | unchanged | skip | later
    id: str  # task id, or "umbrella"
    title: str
    reason: str = ""
    number: int | None = None
    labels: list[str] = field(default_factory=list)
    pull: str | None = None  # for a close: the merged pull request that completed the task

    def to_json(self) -> dict[str, Any]:
        data = {"op": self.op, "id": self.id, "number": self.number, "title": self.title,
                "reason": self.reason, "labels": self.labels}
        if self.pull:
            data["pull"] = self.pull
        return data


WRITE_OPS = ("create", "update", "close")
OPS = ("create", "update", "close", "unchanged", "skip", "later")


@dataclass
class Plan:
    actions: list[Action]
    revision: str | None = None

    def counts(self) -> dict[str, int]:
        return {op: sum(1 for a in self.actions if a.op == op) for op in OPS}

    def writes(self) -> list[Action]:
        return [a for a in self.actions if a.op in WRITE_OPS]

    def to_json(self) -> dict[str, Any]:
        return {"revision": self.revision, "counts": self.counts(),
                "actions": [a.to_json() for a in self.actions]}


def ours(issues: Iterable[RemoteIssue]) -> tuple[dict[str, RemoteIssue], list[tuple[RemoteIssue, RemoteIssue]]]:
    """Our issues by ticket id, and (duplicate, kept) pairs when an id is on several.

    The kept one is the lowest-numbered open issue (else the lowest-numbered closed one).
    """
    by_id: dict[str, list[RemoteIssue]] = {}
    for issue in issues:
        m = issue.marker
        if m:
            by_id.setdefault(m[0], []).append(issue)
    kept: dict[str, RemoteIssue] = {}
    dups: list[tuple[RemoteIssue, RemoteIssue]] = []
    for tid, found in by_id.items():
        found.sort(key=lambda i: (i.state != "open", i.number))
        kept[tid] = found[0]
        dups += [(d, found[0]) for d in found[1:]]
    if UMBRELLA_ID in kept and tracking_id("refcount") not in kept:
        # the one all-kinds tracking issue of earlier versions goes on as the refcount one
        kept[tracking_id("refcount")] = kept.pop(UMBRELLA_ID)
    return kept, dups


def claimers(kept: dict[str, RemoteIssue]) -> dict[str, str]:
    """Who is working on what, as GitHub says: the first assignee of each open issue."""
    return {tid: i.assignees[0] for tid, i in kept.items() if i.assignees and i.state == "open"}


def creation_order(tasks: list[Task], ready: set[str], max_new: int) -> tuple[list[Task], list[Task]]:
    """Pick at most ``max_new`` tasks to file (ready, then easy, then by kind), prerequisites first.

    Returns (to create now, in creation order; to create in a later run).
    """
    rank = {d: i for i, d in enumerate(DIFFICULTIES)}
    kind_rank = {k: i for i, k in enumerate(KINDS)}  # refcount work first, as in gh-134584
    ordered = sorted(tasks, key=lambda t: (t.id not in ready, rank.get(t.difficulty, 9),
                                           kind_rank.get(t.kind, 9), t.id))
    chosen, later = ordered[:max(0, max_new)], ordered[max(0, max_new):]
    chosen_ids = {t.id for t in chosen}
    placed: list[Task] = []
    seen: set[str] = set()

    def place(t: Task, path: frozenset[str]) -> None:
        if t.id in seen or t.id in path:  # already placed, or a cycle: keep the given order
            return
        for p in t.prerequisites:
            if p in chosen_ids:
                place(by_id[p], path | {t.id})
        seen.add(t.id)
        placed.append(t)

    by_id = {t.id: t for t in chosen}
    for t in chosen:
        place(t, frozenset())
    return placed, later


def links_for(kept: dict[str, RemoteIssue], known: Links | None = None) -> Links:
    """Issue numbers and assignees of our issues, over what the campaign reader knows
    (claims from comments and pull requests, adopted tracking issues, pull requests)."""
    known = known or Links()
    return Links({tid: i.number for tid, i in kept.items()}, {**known.claimers, **claimers(kept)},
                 dict(known.tracking), dict(known.pulls))


def plan(taskset: TaskSet, issues: list[RemoteIssue], renderer: Renderer, *, max_new: int = 10,
         known: Links | None = None, completed_by: dict[str, dict[str, Any]] | None = None) -> Plan:
    """What a sync would do, in the order it would do it. Changes nothing.

    ``completed_by`` maps a task to the merged pull request (``number``, ``url``) that
    ``check`` says completes it: its issue is closed with a link to it, even before a
    rescan of the tree finds the task done.
    """
    completed_by = completed_by or {}
    kept, dups = ours(issues)
    ready = ready_ids(taskset)
    tasks = taskset.by_id()
    revision = taskset.source.get("revision")
    links = links_for(kept, known)
    actions: list[Action] = []

    # Numbers new issues will get are unknown until they exist; placeholders make the
    # bodies that will link them differ from today's, which is what decides "update".
    wanted_new = [t for t in taskset.tasks if t.status == "open" and t.id not in kept]
    create, later = creation_order(wanted_new, ready, max_new)
    filed = filed_kinds(taskset, links)
    new_trackers = [k for k in filed if tracking_id(k) not in kept]
    placeholder = -1
    for k in new_trackers:
        links.numbers[tracking_id(k)] = placeholder
        placeholder -= 1
    for t in create:
        links.numbers[t.id] = placeholder
        placeholder -= 1

    for k in new_trackers:
        u = renderer.umbrella(taskset, links, ready, k)
        actions.append(Action("create", tracking_id(k), u.title, "no tracking issue yet", None, u.labels))
    for t in create:
        ticket = renderer.task(t, taskset, links, ready)
        why = ("ready, " if t.id in ready else "") + t.difficulty
        actions.append(Action("create", t.id, ticket.title, why, None, ticket.labels))

    for tid in sorted(kept):
        issue = kept[tid]
        if is_tracking_id(tid):
            continue
        task = tasks.get(tid)
        if issue.state != "open":
            why = "closed" if task is None or task.status != "open" else "closed on GitHub; not reopened"
            actions.append(Action("unchanged", tid, issue.title, why, issue.number))
            continue
        pull = completed_by.get(tid)
        if pull is not None and (task is None or task.status != "blocked"):
            actions.append(Action("close", tid, issue.title, f"completed by #{pull['number']} (merged)",
                                  issue.number, pull=pull.get("url") or f"#{pull['number']}"))
            continue
        if task is None:
            actions.append(Action("close", tid, issue.title, "no longer found by the tracker", issue.number))
            continue
        if task.status == "done":
            actions.append(Action("close", tid, issue.title, "done" + (f" at {revision[:12]}" if revision else ""),
                                  issue.number))
            continue
        ticket = renderer.task(task, taskset, links, ready)
        if issue.marker and issue.marker[1] == ticket.hash:
            actions.append(Action("unchanged", tid, issue.title, task.status, issue.number, ticket.labels))
        else:
            actions.append(Action("update", tid, ticket.title, "content changed", issue.number, ticket.labels))

    for dup, keep in dups:
        actions.append(Action("skip", dup.marker[0] if dup.marker else "?", dup.title,
                              f"duplicate of #{keep.number}; left alone", dup.number))
    for t in later:
        actions.append(Action("later", t.id, t.title, f"over --max-new {max_new}"))

    for k in KINDS:
        tid = tracking_id(k)
        tracker = kept.get(tid)
        if tracker is None:
            continue
        if k not in filed:
            why = f"#{links.tracking[k]} (adopted) tracks {k}; left alone" if k in links.tracking else f"no {k} tasks"
            actions.append(Action("unchanged", tid, tracker.title, why, tracker.number))
        elif tracker.state != "open":
            actions.append(Action("unchanged", tid, tracker.title, "closed on GitHub; not reopened", tracker.number))
        else:
            u = renderer.umbrella(taskset, links, ready, k)
            same = tracker.marker and tracker.marker == (tid, u.hash)
            actions.append(Action("unchanged" if same else "update", tid, u.title,
                                  "" if same else "content changed", tracker.number, u.labels))
    return Plan(actions, revision)
