"""Carry a plan out on GitHub, and record what GitHub said in the local state.

Every write is either idempotent or checked for before it is repeated, so a run stopped
halfway and run again ends in the same state as one run that never stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..tasks import Task, TaskSet
from ..tickets import Links, Renderer, filed_kinds, is_tracking_id, ready_ids, tracking_id
from .client import GitHub, RemoteIssue, SyncStopped
from .planning import Action, Plan, claimers, links_for, ours

CLOSE_MARKER = "<!-- jit-tracker: closed id={id} -->"


@dataclass
class Result:
    done: list[Action] = field(default_factory=list)  # writes carried out
    writes: int = 0
    stopped: str | None = None
    claims: list[tuple[str, str, str]] = field(default_factory=list)


class Executor:
    """Carries out a plan: labels, umbrella, creates, updates, closes, umbrella again.

    Bodies are rendered again with the issue numbers that exist at the time of each
    write, so links point at real issues; an update whose body turns out unchanged
    is skipped.
    """

    def __init__(self, client: GitHub, renderer: Renderer, store: Any = None,
                 progress: Callable[[str], None] | None = None, known: Links | None = None):
        self.client, self.renderer, self.store = client, renderer, store
        self.known = known  # what the campaign reader found (see planning.links_for)
        self.progress = progress or (lambda _msg: None)

    def run(self, taskset: TaskSet, plan_: Plan, issues: list[RemoteIssue]) -> Result:
        result = Result()
        kept, _ = ours(issues)
        ready = ready_ids(taskset)
        tasks = taskset.by_id()
        links = links_for(kept, self.known)
        try:
            self._run(taskset, plan_, kept, links, ready, tasks, result)
        except SyncStopped as exc:
            result.stopped = str(exc)
        finally:
            self._record(kept, result)
        return result

    def _note(self, result: Result, action: Action, number: int | None) -> None:
        action.number = number
        result.done.append(action)
        result.writes += 1
        self.progress(f"{action.op} #{number} {action.id}")

    def _run(self, taskset: TaskSet, plan_: Plan, kept: dict[str, RemoteIssue], links: Links,
             ready: set[str], tasks: dict[str, Task], result: Result) -> None:
        writes = plan_.writes()
        if not writes:
            return
        if any(a.op in ("create", "update") for a in writes):
            have = {n.lower() for n in self.client.labels()}
            for d in self.renderer.labels.define:
                if d.name.lower() not in have:
                    self.client.create_label(d.name, d.color, d.description)
                    result.writes += 1

        for action in writes:  # tracking issues first, so task issues can link them
            if action.op == "create" and is_tracking_id(action.id) and action.id not in kept:
                kind = action.id.partition(":")[2]
                u = self.renderer.umbrella(taskset, links, ready, kind)
                created = self.client.create_issue(u)
                kept[action.id] = created
                links.numbers[action.id] = created.number
                self._note(result, Action("create", action.id, u.title), created.number)

        for action in writes:
            if is_tracking_id(action.id):
                continue
            task = tasks.get(action.id)
            if action.op == "create" and task is not None:
                ticket = self.renderer.task(task, taskset, links, ready)
                created = self.client.create_issue(ticket)
                kept[task.id] = created
                links.numbers[task.id] = created.number
                self._note(result, Action("create", task.id, ticket.title, labels=ticket.labels), created.number)
            elif action.op == "update" and task is not None:
                issue = kept[action.id]
                ticket = self.renderer.task(task, taskset, links, ready)
                if issue.marker and issue.marker[1] == ticket.hash:
                    continue
                kept[task.id] = self.client.edit_issue(
                    issue, "updating", title=ticket.title, body=ticket.body,
                    labels=self._labels(issue, ticket.labels))
                self._note(result, Action("update", task.id, ticket.title), issue.number)
            elif action.op == "close":
                issue = kept[action.id]
                marker = CLOSE_MARKER.format(id=action.id)
                if not self.client.has_comment(issue, marker):
                    self.client.comment(issue, self._close_comment(action, taskset), marker)
                    result.writes += 1
                kept[action.id] = self.client.edit_issue(
                    issue, "closing", state="closed",
                    state_reason="completed" if task is not None or action.pull else "not_planned")
                self._note(result, Action("close", action.id, issue.title), issue.number)

        links.claimers = links_for(kept, self.known).claimers  # closes above may have ended some
        for kind in filed_kinds(taskset, links):
            tid = tracking_id(kind)
            tracker = kept.get(tid)
            if tracker is None or tracker.state != "open":
                continue
            u = self.renderer.umbrella(taskset, links, ready, kind)
            if not (tracker.marker and tracker.marker == (tid, u.hash)):
                kept[tid] = self.client.edit_issue(
                    tracker, "updating the tracking issue", title=u.title, body=u.body,
                    labels=self._labels(tracker, u.labels))
                self._note(result, Action("update", tid, u.title), tracker.number)

    def _labels(self, issue: RemoteIssue, ours_: list[str]) -> list[str]:
        """Our labels plus any a person added that we do not manage."""
        managed = {n.lower() for n in self.renderer.labels.managed()}
        return ours_ + [n for n in issue.labels if n.lower() not in managed and n not in ours_]

    @staticmethod
    def _close_comment(action: Action, taskset: TaskSet) -> str:
        rev = taskset.source.get("revision")
        at = f"CPython revision {rev[:12]}" if rev else "the scanned CPython sources"
        if action.pull:
            text = (f"Done in {action.pull}: jit-tracker's check of that merged pull request finds "
                    f"this task completed. Thank you!")
        elif action.reason.startswith("no longer"):
            text = f"jit-tracker no longer finds this task in {at}, so this issue is closed."
        else:
            text = f"Done: jit-tracker finds this task completed in {at}. Thank you!"
        return f"{text}\n\n{CLOSE_MARKER.format(id=action.id)}\n"

    def _record(self, kept: dict[str, RemoteIssue], result: Result) -> None:
        """Issue numbers and assignees into the local state, so claims show in the tool."""
        result.claims = sorted((tid, i.assignees[0], i.url) for tid, i in kept.items()
                               if not is_tracking_id(tid) and i.state == "open" and i.assignees)
        if self.store is None:
            return
        known = self.store.issues()
        for tid, issue in sorted(kept.items()):
            now = {"number": issue.number, "url": issue.url, "state": issue.state}
            if known.get(tid) != now:  # each set_issue is a locked write of the state file
                self.store.set_issue(tid, issue.number, issue.url, issue.state)
        self.store.merge_github_claims(result.claims)
