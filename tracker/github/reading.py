"""Read a campaign from GitHub: its issues, their timelines, the pull requests they link.

A busy repository's pull requests are never listed: the reader follows each campaign
issue's ``### Linked PRs`` and its timeline (which carries the comments and every pull
request or issue that cross-references it, with their state), reads the comment threads
of the pull requests still moving, and sends every request conditionally
(:mod:`tracker.github.rest`), keeping what can no longer change. A first read of
python/cpython's campaign fits GitHub's unauthenticated hour; a rerun with nothing new
costs next to nothing. What the texts mean is decided by :mod:`tracker.campaign.summary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..campaign import summary as sm, thread as th
from ..campaign.tracking import Tracked
from ..errors import TrackerError
from ..tasks import TaskSet
from .client import DEFAULT_BASE_URL
from .rest import RateLimited, Reader

Report = Callable[[str, "float | None"], None]


@dataclass
class Campaign:
    """What GitHub says about the campaign, per task."""

    claims: dict[str, th.RemoteClaim] = field(default_factory=dict)  # the newest per task
    pulls: dict[str, th.PullLink] = field(default_factory=dict)
    checklist: dict[str, dict[str, Any]] = field(default_factory=dict)  # task -> {status, issue, url}
    tracking: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> {number, url, adopted}
    issues: list[dict[str, Any]] = field(default_factory=list)  # every campaign issue read: number, kind, role
    followups: list[dict[str, Any]] = field(default_factory=list)  # found, not adopted yet
    extra_tasks: dict[str, Any] = field(default_factory=dict)  # tasks of kinds beyond the rules'
    comments: int = 0  # comments read
    pull_requests: int = 0  # pull requests looked at
    requests: dict[str, int] = field(default_factory=dict)  # counted, not_modified, kept
    stopped: str | None = None  # the rate limit ran out half-way: what was read is kept
    warnings: list[str] = field(default_factory=list)  # what could not be read (the rest still was)

    def to_json(self) -> dict[str, Any]:
        return {"tracking": self.tracking, "issues": self.issues, "comments_read": self.comments,
                "warnings": self.warnings, "pull_requests_read": self.pull_requests,
                "requests": self.requests, "stopped": self.stopped, "followups": self.followups,
                "claims": {t: c.to_json() for t, c in sorted(self.claims.items())},
                "pull_requests": {t: p.to_json() for t, p in sorted(self.pulls.items())},
                "checklist": dict(sorted(self.checklist.items())),
                "extra_tasks": {t: {"kind": k.kind, "title": k.title} for t, k in sorted(self.extra_tasks.items())}}


def read_campaign(reader: Reader, taskset: TaskSet, tracked: list[Tracked], *,
                  task_issues: dict[str, int] | None = None, filed: dict[str, int] | None = None,
                  kinds: dict[str, str] | None = None, report: Report | None = None) -> Campaign:
    """Read the campaign's issues (``tracked``: adopted; ``filed``: kind -> the tracking
    issue jit-tracker filed; ``task_issues``: task id -> its issue number, read when open)
    through ``reader`` and say what they mean per task. A rate limit met half-way stops the
    reading, not the answer: what was read is summarized and ``stopped`` says when to go on."""
    out = Campaign()
    fetched: list[sm.Fetched] = []
    pulls: dict[int, dict[str, Any]] = {}
    pull_comments: dict[int, list[dict]] = {}
    jobs: list[tuple[Tracked | None, str | None, int]] = [(t, None, t.number) for t in tracked]
    jobs += [(Tracked(kind, n, "tracking"), None, n) for kind, n in sorted((filed or {}).items())
             if n not in {t.number for t in tracked}]
    jobs += [(None, tid, n) for tid, n in sorted((task_issues or {}).items())]
    say = report or (lambda message, fraction: None)
    try:
        for i, (t, tid, number) in enumerate(jobs):
            say(f"Reading the campaign: #{number} ({i + 1} of {len(jobs)})", 0.1 + 0.6 * i / max(1, len(jobs)))
            try:
                issue = reader.get(f"issues/{number}")
            except RateLimited:
                raise
            except TrackerError as exc:  # a deleted or transferred issue: the rest is still read
                out.warnings.append(f"#{number} not read: {exc.message}")
                continue
            if tid is not None and issue.get("state") != "open" and not issue.get("comments"):
                continue
            events = reader.pages(f"issues/{number}/timeline")
            if issue.get("state") == "closed":  # a closed issue's thread is kept as it is
                reader.finalize(f"issues/{number}")
                reader.finalize(f"issues/{number}/timeline", {"per_page": 100}, pages=True)
            fetched.append(sm.Fetched(issue, events, t, tid))
            if t is not None:
                out.issues.append({"number": number, "kind": t.kind, "role": t.role, "state": issue.get("state"),
                                   "title": issue.get("title") or "", "url": issue.get("html_url") or ""})
            for src in sm.referencing(events):
                if sm.is_pull(src) and _here(src, reader.repo):  # not a fork's or another project's
                    pulls[int(src["number"])] = src
            for num in th.linked_prs(issue.get("body") or ""):
                if num not in pulls:  # the bot listed it, the timeline did not show it
                    try:
                        pulls[num] = reader.get(f"issues/{num}")
                    except RateLimited:
                        raise
                    except TrackerError as exc:
                        out.warnings.append(f"pull request #{num} (linked from #{number}) not read: {exc.message}")
                        continue
                    if pulls[num].get("state") == "closed":
                        reader.finalize(f"issues/{num}")
        moving = [n for n, pr in sorted(pulls.items())
                  if int(pr.get("comments") or 0) > 0 and _follow_thread(pr, fetched)]
        for i, num in enumerate(moving):
            say(f"Reading pull request threads ({i + 1} of {len(moving)})", 0.7 + 0.25 * i / max(1, len(moving)))
            pull_comments[num] = _thread(reader, num, pulls[num])
    except RateLimited as exc:
        out.stopped = f"{exc.message}; {exc.hint}" if exc.hint else exc.message
    reader.save()
    result = sm.summarize(fetched, pulls, pull_comments, taskset.tasks, reader.repo, kinds)
    out.claims, out.pulls, out.checklist = result.claims, result.pulls, result.checklist
    out.followups, out.extra_tasks = result.followups, result.extra_tasks
    out.comments, out.pull_requests = result.comments, result.pull_requests
    out.requests = {"counted": reader.counted, "not_modified": reader.not_modified, "kept": reader.kept,
                    "sent": reader.counted + reader.not_modified}
    for f in fetched:
        t = f.tracked
        if t is not None and t.primary and t.kind not in out.tracking:
            out.tracking[t.kind] = {"number": f.issue.get("number"), "url": f.issue.get("html_url") or "",
                                    "title": f.issue.get("title") or "",
                                    "adopted": t.number not in (filed or {}).values()}
    return out


def _thread(reader: Reader, number: int, pr: dict[str, Any]) -> list[dict[str, Any]]:
    """A pull request's comments. The first read lists them all; later reads of a pull
    request still open ask only for those updated since the newest one kept (``since=``,
    itself conditional), so a long thread costs one short page; a closed one is kept."""
    url = pr.get("comments_url") or f"issues/{number}/comments"
    threads = reader.state.setdefault("pull_threads", {})
    kept = threads.get(str(number))
    if kept and sm.pull_state(pr) == "open":
        newer = reader.pages(url, {"since": kept["since"]})
        by_id = {c.get("id"): c for c in kept["items"]}
        by_id.update({c.get("id"): c for c in newer})
        items = sorted(by_id.values(), key=lambda c: c.get("created_at") or "")
    else:
        items = reader.pages(url)
        if sm.pull_state(pr) != "open":
            reader.finalize(url, {"per_page": 100}, pages=True)
    since = (kept or {}).get("since")
    if since is None or len(items) - len((kept or {}).get("items", [])) >= 100:
        # the first read, or the since= listing grew to a page: move it on (a new URL costs
        # one counted request once; an unchanged since= listing is answered 304 after that)
        stamps = [c.get("updated_at") or c.get("created_at") or "" for c in items]
        since = max(stamps, default="1970-01-01T00:00:00Z")
    threads[str(number)] = {"since": since, "items": items}
    return items


def _here(issue: dict[str, Any], repo: str) -> bool:
    """Is this issue or pull request one of ``repo``'s (timelines also show other projects')?"""
    where = (issue.get("repository_url") or issue.get("html_url") or "").lower()
    return not where or f"/{repo.lower()}/" in where + "/"


def _follow_thread(pr: dict[str, Any], fetched: list[sm.Fetched]) -> bool:
    """Read a pull request's thread when it is still moving or was merged for an open
    campaign issue (where the next item is claimed: "next PR would be ..."); the threads
    of pull requests of closed campaigns cannot change what is left to do."""
    if sm.pull_state(pr) == "open":
        return True
    if sm.pull_state(pr) == "closed":
        return True  # "superseded by #N" is said there
    number = pr.get("number")
    for f in fetched:
        if f.issue.get("state") == "open" and any(p.get("number") == number for p in sm.referencing(f.events)):
            return True
    return False


def record(store: Any, campaign: Campaign, github: dict[str, Any], issues: dict[str, Any] | None = None) -> None:
    """Keep what was read in the state: claims, pull requests per task, checklist marks and
    where they came from. ``issues``: task id -> the URL of its issue (jit-tracker's own).
    A read stopped half-way adds to what the state had instead of replacing it."""
    from ..store import Claim

    issues = issues or {}
    claims = [Claim(c.task_id, c.by, c.since, None, c.source, issues.get(c.task_id), c.url)
              for c in campaign.claims.values()]
    pulls = {t: p.to_json() for t, p in campaign.pulls.items()}
    checklist = dict(campaign.checklist)
    if campaign.stopped:
        store.merge_remote_claims(claims, sources=())
        pulls = {**store.pulls(), **pulls}
        checklist = {**store.checklist(), **checklist}
        store.record_campaign([], pulls, checklist, github)
        return
    store.record_campaign(claims, pulls, checklist, github)


def describe(campaign: Campaign, where: str) -> str:
    """One line on what was read and what it cost."""
    by_source: dict[str, int] = {}
    for c in campaign.claims.values():
        by_source[c.source] = by_source.get(c.source, 0) + 1
    r = campaign.requests
    tracked = ", ".join(f"{k} #{v['number']}" + (" (adopted)" if v.get("adopted") else "")
                        for k, v in sorted(campaign.tracking.items())) or "none"
    return (f"campaign of {where}: tracking issues {tracked}; {len(campaign.issues)} issue(s), "
            f"{campaign.comments} comment(s), {campaign.pull_requests} pull request(s) read; "
            f"{len(campaign.claims)} claim(s)"
            + (" (" + ", ".join(f"{n} {s}" for s, n in sorted(by_source.items())) + ")" if by_source else "")
            + f", {len(campaign.pulls)} task(s) with a pull request; "
            f"{r.get('counted', 0)} request(s) counted, {r.get('not_modified', 0)} unchanged (304), "
            f"{r.get('kept', 0)} kept without asking")


def follow(store: Any, taskset: TaskSet, repo: str, *, base_url: str | None = None, token: str | None = None,
           report: Report | None = None, adopt_followups: bool = False) -> Campaign | None:
    """Read ``repo``'s campaign (the issues of ``data/tracking.yaml`` and those adopted in the
    state) and keep it in ``store``: what ``update`` and the TUI's ``u`` do after the
    definitions. None when the repository has no campaign issues to read."""
    from ..campaign import tracking

    table = tracking.load()
    saved = dict(store.get_setting("tracking") or {})
    remembered = saved.get(repo.lower()) or {}
    tracked = tracking.campaign(repo, remembered, None, table)
    if not tracked:
        return None
    reader = Reader(repo, token, base_url=base_url)
    campaign = read_campaign(reader, taskset, tracked, kinds=table.kinds, report=report)
    if adopt_followups and campaign.followups:
        saved[repo.lower()] = tracking.with_found(remembered, campaign.followups)
        store.set_setting("tracking", saved)
    github = store.get_setting("github") or {}
    if not github.get("repo") or github.get("repo", "").lower() == repo.lower():
        adopted = {k: v["number"] for k, v in campaign.tracking.items() if v.get("adopted")}
        github = {"repo": repo, "base_url": base_url or DEFAULT_BASE_URL, "prs_repo": repo, "tracking": adopted}
    record(store, campaign, github, {tid: i.get("url") for tid, i in store.issues().items()})
    return campaign
