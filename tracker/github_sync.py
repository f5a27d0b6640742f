"""Keep GitHub issues in step with the task list, through PyGithub.

Split in two so the decisions can be tested without a network:

* :func:`plan` is pure: tasks + the repository's issues -> a list of :class:`Action`
  (create, update, close, unchanged, skip, later), in the order they would run.
* :class:`Executor` carries a plan out with a :class:`GitHub` client that retries
  5xx answers and dropped connections with backoff, waits for a rate-limit reset when
  it is near and otherwise stops before starting the next item.

Issues are ours only when their body holds our marker (see :mod:`tracker.tickets`);
anything else is never touched, and a closed issue is never reopened. Every write is
either idempotent or checked for before it is repeated, so a run stopped halfway and
run again ends in the same state as one run that never stopped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from .errors import TrackerError
from .tasks import DIFFICULTIES, KINDS, Task, TaskSet
from .tickets import UMBRELLA_ID, Links, Renderer, Ticket, parse_marker, ready_ids

DEFAULT_BASE_URL = "https://api.github.com"
# Seconds between two writes: GitHub asks integrations for one, against secondary rate limits.
WRITE_INTERVAL: float | None = 1.0
CLOSE_MARKER = "<!-- jit-tracker: closed id={id} -->"


class SyncStopped(TrackerError):
    """The run stopped between two items (rate limit, GitHub not answering)."""


# ---------------------------------------------------------------------------- data

@dataclass
class RemoteIssue:
    """The parts of a GitHub issue sync looks at."""

    number: int
    title: str
    body: str
    state: str  # open | closed
    labels: list[str]
    assignees: list[str]
    url: str
    obj: Any = field(default=None, repr=False, compare=False)  # the PyGithub Issue, for writes

    @property
    def marker(self) -> tuple[str, str] | None:
        return parse_marker(self.body)

    @classmethod
    def from_raw(cls, data: dict[str, Any], obj: Any = None) -> "RemoteIssue":
        return cls(
            number=int(data["number"]),
            title=data.get("title") or "",
            body=data.get("body") or "",
            state=data.get("state") or "open",
            labels=[(lb["name"] if isinstance(lb, dict) else str(lb)) for lb in data.get("labels") or []],
            assignees=[a["login"] for a in data.get("assignees") or [] if a and a.get("login")],
            url=data.get("html_url") or data.get("url") or "",
            obj=obj,
        )


@dataclass
class Action:
    op: str  # create | update | close | unchanged | skip | later
    id: str  # task id, or "umbrella"
    title: str
    reason: str = ""
    number: int | None = None
    labels: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "id": self.id, "number": self.number, "title": self.title,
                "reason": self.reason, "labels": self.labels}


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


# ---------------------------------------------------------------------------- planning

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


def plan(taskset: TaskSet, issues: list[RemoteIssue], renderer: Renderer, *, max_new: int = 10) -> Plan:
    """What a sync would do, in the order it would do it. Changes nothing."""
    kept, dups = ours(issues)
    ready = ready_ids(taskset)
    tasks = taskset.by_id()
    revision = taskset.source.get("revision")
    links = Links({tid: i.number for tid, i in kept.items()}, claimers(kept))
    actions: list[Action] = []

    # Numbers new issues will get are unknown until they exist; placeholders make the
    # bodies that will link them differ from today's, which is what decides "update".
    wanted_new = [t for t in taskset.tasks if t.status == "open" and t.id not in kept]
    create, later = creation_order(wanted_new, ready, max_new)
    umbrella = kept.get(UMBRELLA_ID)
    placeholder = -1
    if umbrella is None:
        links.numbers[UMBRELLA_ID] = placeholder
        placeholder -= 1
    for t in create:
        links.numbers[t.id] = placeholder
        placeholder -= 1

    if umbrella is None:
        u = renderer.umbrella(taskset, links, ready)
        actions.append(Action("create", UMBRELLA_ID, u.title, "no tracking issue yet", None, u.labels))
    for t in create:
        ticket = renderer.task(t, taskset, links, ready)
        why = ("ready, " if t.id in ready else "") + t.difficulty
        actions.append(Action("create", t.id, ticket.title, why, None, ticket.labels))

    for tid in sorted(kept):
        issue = kept[tid]
        if tid == UMBRELLA_ID:
            continue
        task = tasks.get(tid)
        if issue.state != "open":
            why = "closed" if task is None or task.status != "open" else "closed on GitHub; not reopened"
            actions.append(Action("unchanged", tid, issue.title, why, issue.number))
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

    if umbrella is not None:
        if umbrella.state != "open":
            actions.append(Action("unchanged", UMBRELLA_ID, umbrella.title, "closed on GitHub; not reopened",
                                  umbrella.number))
        else:
            u = renderer.umbrella(taskset, links, ready)
            same = umbrella.marker and umbrella.marker[1] == u.hash
            actions.append(Action("unchanged" if same else "update", UMBRELLA_ID, u.title,
                                  "" if same else "content changed", umbrella.number, u.labels))
    return Plan(actions, revision)


# ---------------------------------------------------------------------------- GitHub access

def _header(headers: Any, name: str) -> str | None:
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return str(v)
    return None


class GitHub:
    """A PyGithub repository with retries, backoff and rate-limit handling of our own.

    PyGithub's own retry is switched off so that waits go through ``sleep`` (tests pass
    a fake) and so that a non-idempotent create is never repeated blindly.
    """

    def __init__(self, repo: str, token: str | None = None, *, base_url: str | None = None,
                 per_page: int = 100, timeout: int = 30, max_retries: int = 4, backoff: float = 2.0,
                 max_wait: float = 300.0, write_interval: float | None | str = "default",
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time):
        import github

        self.repo_name = repo
        if write_interval == "default":
            write_interval = WRITE_INTERVAL
        self.sleep, self.clock = sleep, clock
        self.max_retries, self.backoff, self.max_wait = max_retries, backoff, max_wait
        self.requests = 0
        self.gh = github.Github(
            auth=github.Auth.Token(token) if token else None,
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            per_page=per_page, timeout=timeout, retry=None,
            seconds_between_requests=None, seconds_between_writes=write_interval, lazy=True,
        )
        self.repo = self.gh.get_repo(repo)

    # --- the one place errors are judged
    def call(self, what: str, fn: Callable[[], Any], recover: Callable[[], Any] | None = None) -> Any:
        """Run ``fn`` (one GitHub operation), retrying what is worth retrying.

        ``recover`` is asked, before a non-idempotent operation is repeated, whether the
        failed attempt took effect after all; a non-None answer is returned instead.
        """
        import requests
        from github import GithubException

        attempt = 0
        while True:
            self.check_budget(what)
            try:
                return fn()
            except GithubException as exc:
                status = exc.status
                wait = self._rate_limit_wait(status, exc.headers)
                if wait is not None:
                    if wait > self.max_wait:
                        raise SyncStopped(
                            f"GitHub's rate limit is used up; it resets in {wait / 60:.0f} min "
                            f"({self._at(wait)}); stopped before {what}",
                            hint="nothing is half done: run sync again after the reset to finish") from None
                    attempt += 1
                    if attempt > self.max_retries:
                        raise SyncStopped(f"still rate-limited after {self.max_retries} waits; stopped before {what}",
                                          hint="run sync again later") from None
                    self.sleep(wait)
                    self._after_reset()
                    continue
                if status is not None and status >= 500:
                    reason = f"GitHub answered {status}"
                else:
                    raise self._fatal(what, exc) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            attempt += 1
            if attempt > self.max_retries:
                raise SyncStopped(f"{what}: {reason}, {self.max_retries + 1} tries",
                                  hint="nothing is half done: run sync again to finish") from None
            self.sleep(self.backoff * 2 ** (attempt - 1))
            if recover is not None:
                found = self.call(f"checking whether {what} took effect", recover)
                if found is not None:
                    return found

    def check_budget(self, what: str, needed: int = 3) -> None:
        """Before an item: if the remaining requests are nearly used, wait for the reset or stop."""
        remaining, limit = self.gh.requester.rate_limiting
        if limit < 0 or remaining >= needed:
            return
        wait = max(0.0, self.gh.requester.rate_limiting_resettime - self.clock()) + 1
        if wait > self.max_wait:
            raise SyncStopped(
                f"only {remaining} GitHub API requests left until {self._at(wait)}; stopped before {what}",
                hint="nothing is half done: run sync again after the reset to finish")
        self.sleep(wait)
        self._after_reset()

    def _after_reset(self) -> None:
        """After waiting for a reset, forget the used-up budget the last answer reported."""
        remaining, limit = self.gh.requester.rate_limiting
        if limit > 0:
            self.gh.requester.rate_limiting = (limit, limit)

    def _rate_limit_wait(self, status: int | None, headers: Any) -> float | None:
        if status not in (403, 429):
            return None
        retry_after = _header(headers, "retry-after")
        if retry_after and retry_after.isdigit():
            return float(retry_after)
        if _header(headers, "x-ratelimit-remaining") == "0":
            reset = _header(headers, "x-ratelimit-reset")
            if reset and reset.isdigit():
                return max(0.0, int(reset) - self.clock()) + 1
            return 60.0
        return None

    def _at(self, wait: float) -> str:
        return datetime.fromtimestamp(self.clock() + wait, timezone.utc).strftime("%H:%M UTC")

    def _fatal(self, what: str, exc: Any) -> TrackerError:
        status = exc.status
        message = (exc.data or {}).get("message") if isinstance(exc.data, dict) else None
        detail = f" ({message})" if message else ""
        if status == 401:
            return TrackerError(f"GitHub rejected the token{detail}",
                                hint="check the token in $GITHUB_TOKEN (or the variable named by --token-env)")
        if status == 404:
            return TrackerError(f"{self.repo_name}: not found while {what}{detail}",
                                hint="check --repo, --base-url, and that the token can read the repository")
        if status in (403, 410):
            return TrackerError(f"GitHub refused {what} (HTTP {status}){detail}",
                                hint="the token needs 'issues: write' and the repository must have issues enabled")
        return TrackerError(f"GitHub refused {what} (HTTP {status}){detail}")

    # --- operations
    def issues(self) -> list[RemoteIssue]:
        """Every issue (open and closed, all pages), pull requests left out."""
        def fetch() -> list[RemoteIssue]:
            out = []
            for issue in self.repo.get_issues(state="all"):
                raw = _raw(issue)
                if raw.get("pull_request"):
                    continue
                out.append(RemoteIssue.from_raw(raw, issue))
            return out
        return self.call(f"listing the issues of {self.repo_name}", fetch)

    def labels(self) -> set[str]:
        return self.call("listing labels", lambda: {_raw(lb)["name"] for lb in self.repo.get_labels()})

    def create_label(self, name: str, color: str, description: str) -> None:
        from github import GithubException

        def create() -> bool:
            try:
                self.repo.create_label(name, color, description)
            except GithubException as exc:
                if exc.status != 422:  # 422: it exists already (made meanwhile)
                    raise
            return True

        def recover() -> Any:
            return True if name.lower() in {n.lower() for n in self.labels()} else None
        self.call(f"creating label {name!r}", create, recover)

    def create_issue(self, ticket: Ticket) -> RemoteIssue:
        def create() -> RemoteIssue:
            issue = self.repo.create_issue(title=ticket.title, body=ticket.body, labels=ticket.labels)
            return RemoteIssue.from_raw(_raw(issue), issue)

        def recover() -> RemoteIssue | None:
            for issue in self.issues():
                if issue.marker and issue.marker[0] == ticket.id:
                    return issue
            return None
        return self.call(f"creating the issue for {ticket.id}", create, recover)

    def edit_issue(self, issue: RemoteIssue, what: str, **fields: Any) -> RemoteIssue:
        def edit() -> RemoteIssue:
            obj = issue.obj
            obj.edit(**fields)
            # PyGithub updates the attributes (not raw_data) from GitHub's answer
            return RemoteIssue(issue.number, obj.title or "", obj.body or "", obj.state,
                               [lb.name for lb in obj.labels], [a.login for a in obj.assignees],
                               issue.url, obj)
        return self.call(f"{what} #{issue.number}", edit)

    def has_comment(self, issue: RemoteIssue, text: str) -> bool:
        return self.call(f"reading comments of #{issue.number}",
                         lambda: any(text in (_raw(c).get("body") or "") for c in issue.obj.get_comments()))

    def comment(self, issue: RemoteIssue, body: str, marker: str) -> None:
        self.call(f"commenting on #{issue.number}", lambda: issue.obj.create_comment(body),
                  lambda: True if self.has_comment(issue, marker) else None)


def _raw(obj: Any) -> dict[str, Any]:
    """The JSON GitHub sent, without PyGithub fetching the object again to 'complete' it."""
    from github.GithubObject import GithubObject

    return GithubObject.raw_data.fget(obj)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- executing

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
                 progress: Callable[[str], None] | None = None):
        self.client, self.renderer, self.store = client, renderer, store
        self.progress = progress or (lambda _msg: None)

    def run(self, taskset: TaskSet, plan_: Plan, issues: list[RemoteIssue]) -> Result:
        result = Result()
        kept, _ = ours(issues)
        ready = ready_ids(taskset)
        tasks = taskset.by_id()
        links = Links({tid: i.number for tid, i in kept.items()}, claimers(kept))
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

        if UMBRELLA_ID not in kept and any(a.id == UMBRELLA_ID and a.op == "create" for a in writes):
            u = self.renderer.umbrella(taskset, links, ready)
            created = self.client.create_issue(u)
            kept[UMBRELLA_ID] = created
            links.numbers[UMBRELLA_ID] = created.number
            self._note(result, Action("create", UMBRELLA_ID, u.title), created.number)

        for action in writes:
            if action.id == UMBRELLA_ID:
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
                    state_reason="completed" if task is not None else "not_planned")
                self._note(result, Action("close", action.id, issue.title), issue.number)

        umbrella = kept.get(UMBRELLA_ID)
        if umbrella is not None and umbrella.state == "open":
            links.claimers = claimers(kept)  # closes above may have ended some
            u = self.renderer.umbrella(taskset, links, ready)
            if not (umbrella.marker and umbrella.marker[1] == u.hash):
                kept[UMBRELLA_ID] = self.client.edit_issue(
                    umbrella, "updating the tracking issue", title=u.title, body=u.body,
                    labels=self._labels(umbrella, u.labels))
                self._note(result, Action("update", UMBRELLA_ID, u.title), umbrella.number)

    def _labels(self, issue: RemoteIssue, ours_: list[str]) -> list[str]:
        """Our labels plus any a person added that we do not manage."""
        managed = {n.lower() for n in self.renderer.labels.managed()}
        return ours_ + [n for n in issue.labels if n.lower() not in managed and n not in ours_]

    @staticmethod
    def _close_comment(action: Action, taskset: TaskSet) -> str:
        rev = taskset.source.get("revision")
        at = f"CPython revision {rev[:12]}" if rev else "the scanned CPython sources"
        if action.reason.startswith("no longer"):
            text = f"jit-tracker no longer finds this task in {at}, so this issue is closed."
        else:
            text = f"Done: jit-tracker finds this task completed in {at}. Thank you!"
        return f"{text}\n\n{CLOSE_MARKER.format(id=action.id)}\n"

    def _record(self, kept: dict[str, RemoteIssue], result: Result) -> None:
        """Issue numbers and assignees into the local state, so claims show in the tool."""
        result.claims = sorted((tid, i.assignees[0], i.url) for tid, i in kept.items()
                               if tid != UMBRELLA_ID and i.state == "open" and i.assignees)
        if self.store is None:
            return
        known = self.store.issues()
        for tid, issue in sorted(kept.items()):
            now = {"number": issue.number, "url": issue.url, "state": issue.state}
            if known.get(tid) != now:  # each set_issue is a locked write of the state file
                self.store.set_issue(tid, issue.number, issue.url, issue.state)
        self.store.merge_github_claims(result.claims)
