"""Read a campaign from GitHub: tracking issues, task issues, their comments, pull requests.

Only REST listings are used (the search API's rate limit is too low for a weekly job),
every page, through :meth:`GitHub.call` (retries, rate limits). What the texts mean is
decided by the pure functions of :mod:`tracker.campaign`; nothing here writes to GitHub.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..campaign import thread as th
from ..campaign.names import NameIndex
from ..tasks import TaskSet
from ..tickets import is_tracking_id, tracking_id
from ..errors import TrackerError
from .client import GitHub, RemoteIssue, SyncStopped
from .planning import ours


@dataclass
class Campaign:
    """What GitHub says about the campaign, per task."""

    claims: dict[str, th.RemoteClaim] = field(default_factory=dict)  # the newest per task
    pulls: dict[str, th.PullLink] = field(default_factory=dict)
    checklist: dict[str, dict[str, Any]] = field(default_factory=dict)  # task -> {status, issue, url}
    tracking: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> {number, url, adopted}
    comments: int = 0  # comments read
    pull_requests: int = 0  # pull requests looked at
    warnings: list[str] = field(default_factory=list)  # what could not be read (the rest still was)

    def to_json(self) -> dict[str, Any]:
        return {"tracking": self.tracking, "comments_read": self.comments, "warnings": self.warnings,
                "pull_requests_read": self.pull_requests,
                "claims": {t: c.to_json() for t, c in sorted(self.claims.items())},
                "pull_requests": {t: p.to_json() for t, p in sorted(self.pulls.items())},
                "checklist": dict(sorted(self.checklist.items()))}


def read_campaign(client: GitHub, taskset: TaskSet, issues: list[RemoteIssue], adopted: dict[str, int],
                  prs: GitHub | None = None) -> Campaign:
    """Claims (assignees, comments, pull requests), pull requests per task and the adopted
    tracking issues' checklists. ``adopted``: kind -> issue number in ``client``'s repository."""
    index = NameIndex.of(taskset.tasks)
    kept, _ = ours(issues)
    out = Campaign()
    threads: list[th.Thread] = []
    repo = client.repo_name
    refs: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    starts: list[str] = []

    for kind, number in sorted(adopted.items()):
        issue = client.issue(number)
        out.tracking[kind] = {"number": issue.number, "url": issue.url, "adopted": True, "title": issue.title}
        refs[(repo, issue.number)] = (kind, None)
        starts.append(issue.created)
        for tid, status in th.checklist(issue.body, index, kind).items():
            out.checklist[tid] = {"status": status, "issue": issue.number, "url": issue.url}
        threads.append(th.Thread(_comments(client, issue, out), kind, None))
    for kind in sorted({t.kind for t in taskset.tasks} - set(adopted)):
        tracker = kept.get(tracking_id(kind))  # the one jit-tracker filed for the kind
        if tracker is None:
            continue
        out.tracking[kind] = {"number": tracker.number, "url": tracker.url, "adopted": False,
                              "title": tracker.title}
        refs[(repo, tracker.number)] = (kind, None)
        starts.append(tracker.created)
        threads.append(th.Thread(_comments(client, tracker, out), kind, None))

    tasks = taskset.by_id()
    assignees: list[th.RemoteClaim] = []
    for tid, issue in sorted(kept.items()):
        task = tasks.get(tid)
        if is_tracking_id(tid) or task is None:
            continue
        refs[(repo, issue.number)] = (task.kind, tid)
        starts.append(issue.created)
        if issue.state != "open":
            continue
        if issue.assignees:
            assignees.append(th.RemoteClaim(tid, issue.assignees[0], issue.created or "", "assignee", issue.url))
        threads.append(th.Thread(_comments(client, issue, out), task.kind, tid))

    from_comments = th.claims_from_threads(threads, index)
    prs = prs or client
    since = min((s for s in starts if s), default=None)
    pulls: list[dict[str, Any]] = []
    if refs:
        try:
            pulls = prs.pulls(since)
        except SyncStopped:
            raise
        except TrackerError as exc:  # e.g. --prs-repo absent on a GitHub Enterprise host
            out.warnings.append(f"pull requests of {prs.repo_name} not read: {exc.message}")
    out.pull_requests = len(pulls)
    out.pulls = th.pull_links(pulls, index, prs.repo_name, refs)
    from_pulls = [th.RemoteClaim(t, p.author, p.since, "pull", p.url) for t, p in out.pulls.items()]
    for c in [*assignees, *from_comments.values(), *from_pulls]:
        if c.task_id in tasks and (c.task_id not in out.claims or c.since > out.claims[c.task_id].since):
            out.claims[c.task_id] = c
    return out


def _comments(client: GitHub, issue: RemoteIssue, out: Campaign) -> list[th.Comment]:
    if issue.comments == 0 and issue.created:  # the listing said it has none: save a request
        return []
    found = [th.Comment(c["author"], c["body"], c["created"], c["url"]) for c in client.issue_comments(issue.number)]
    out.comments += len(found)
    return found
