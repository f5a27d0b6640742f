"""The one way jit-tracker talks to GitHub: PyGithub with retries, backoff and rate limits.

PyGithub's own retry is switched off so that waits go through ``sleep`` (tests pass a
fake) and a non-idempotent create is never repeated blindly. This module imports nothing
from the layers above it, so the sources layer can read CPython through it too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

from ..errors import TrackerError

if TYPE_CHECKING:
    from ..tickets import Ticket

DEFAULT_BASE_URL = "https://api.github.com"
# Seconds between two writes: GitHub asks integrations for one, against secondary rate limits.
WRITE_INTERVAL: float | None = 1.0
# Seconds to wait for a connection (answers may take longer), and how many tries are left to
# a host that does not answer at all (refused, unknown, no route): retrying those for half a
# minute only made a mistyped --base-url look like a hang.
CONNECT_TIMEOUT = 5.0
UNREACHABLE_RETRIES = 1
QUIET_WAIT = 1.0  # waits up to this many seconds are not worth a line


class SyncStopped(TrackerError):
    """The run stopped between two items (rate limit, GitHub not answering).

    ``reason`` says which ("ratelimit" or "unreachable") for callers that fall back to
    something else instead of stopping, such as reading CPython's sources.
    """

    def __init__(self, message: str, hint: str | None = None, *, reason: str = "unreachable"):
        super().__init__(message, hint)
        self.reason = reason


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
    comments: int = 0  # how many comments it has (the campaign reader skips issues without)
    created: str = ""

    @property
    def marker(self) -> tuple[str, str] | None:
        from ..marker import parse_marker

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
            comments=int(data.get("comments") or 0),
            created=data.get("created_at") or "",
        )


def _say(line: str) -> None:
    """What a wait is for, on stderr (in the TUI, Textual keeps stderr off the screen)."""
    import sys

    if sys.stderr is not None:
        print(line, file=sys.stderr, flush=True)


def _header(headers: Any, name: str) -> str | None:
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return str(v)
    return None


def usable_token(token: str | None) -> str | None:
    """``token`` without the whitespace a paste leaves around it (``\\r``, ``\\n``, spaces);
    a TrackerError, which never shows the token, when what is left cannot be a token."""
    token = (token or "").strip()
    if not token:
        return None
    if not token.isascii() or not token.isprintable() or any(ch.isspace() for ch in token):
        raise TrackerError("the GitHub token holds spaces or control characters inside (not shown)",
                           hint="set it again from a fresh copy: one line, nothing around it")
    return token


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
        interval = WRITE_INTERVAL if isinstance(write_interval, str) else write_interval  # "default"
        self.sleep, self.clock = sleep, clock
        self.max_retries, self.backoff, self.max_wait = max_retries, backoff, max_wait
        self.requests = 0
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        token = usable_token(token)
        self.gh = github.Github(
            auth=github.Auth.Token(token) if token else None,
            base_url=self.base_url,
            per_page=per_page, timeout=timeout, retry=None,
            seconds_between_requests=None, seconds_between_writes=interval, lazy=True,
        )
        # (connect, read) for requests, which takes both: a host that does not answer costs
        # seconds, not `timeout`. PyGithub only accepts one int, so it is set on its requester.
        requester = self.gh.requester
        if isinstance(getattr(requester, "_Requester__timeout", None), int):
            setattr(requester, "_Requester__timeout", (min(CONNECT_TIMEOUT, timeout), timeout))
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
            silent = False
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
                            hint="nothing is half done: run sync again after the reset to finish",
                            reason="ratelimit") from None
                    attempt += 1
                    if attempt > self.max_retries:
                        raise SyncStopped(f"still rate-limited after {self.max_retries} waits; stopped before {what}",
                                          hint="run sync again later", reason="ratelimit") from None
                    self.sleep(wait)
                    self._after_reset()
                    continue
                if status is not None and status >= 500:
                    reason = f"GitHub answered {status}"
                else:
                    raise self._fatal(what, exc) from None
            except requests.exceptions.InvalidHeader:
                # its message quotes the header, the token with it: never shown
                raise TrackerError(f"{what}: a request header was refused before it was sent",
                                   hint="check the GitHub token: it must be one line without spaces") from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"connection failed ({type(exc).__name__})"
                silent = not isinstance(exc, requests.ReadTimeout)  # it never answered at all
            attempt += 1
            tries = min(self.max_retries, UNREACHABLE_RETRIES) if silent else self.max_retries
            if attempt > tries:
                raise SyncStopped(f"{what}: {reason} at {self.base_url}, {attempt} tries",
                                  hint="check --base-url and the network; nothing is half done: "
                                  "run it again to finish" if silent else
                                  "nothing is half done: run sync again to finish",
                                  reason="server" if reason.startswith("GitHub answered") else "unreachable") from None
            wait = self.backoff * 2 ** (attempt - 1)
            if wait > QUIET_WAIT:  # a noticeable wait is said (a source read's short one is not)
                _say(f"jit-tracker: {what}: {reason} at {self.base_url}; "
                     f"trying again in {wait:.0f} s (try {attempt + 1} of {tries + 1})")
            self.sleep(wait)
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
                hint="nothing is half done: run sync again after the reset to finish", reason="ratelimit")
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
        error = self._fatal_error(what, exc)
        error.status = exc.status  # type: ignore[attr-defined]  # for readers that fall back
        return error

    def _fatal_error(self, what: str, exc: Any) -> TrackerError:
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
    def issues(self, label: str | None = None) -> list[RemoteIssue]:
        """Every issue (open and closed, all pages), or only those carrying ``label``;
        pull requests left out."""
        def fetch() -> list[RemoteIssue]:
            out = []
            found = self.repo.get_issues(state="all", labels=[label]) if label else self.repo.get_issues(state="all")
            for issue in found:
                raw = _raw(issue)
                if raw.get("pull_request"):
                    continue
                out.append(RemoteIssue.from_raw(raw, issue))
            return out
        which = f"the issues labelled {label!r}" if label else "the issues"
        return self.call(f"listing {which} of {self.repo_name}", fetch)

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

    # --- reading a repository's files (the sources layer reads CPython through these)
    def _get(self, what: str, path: str, **params: Any) -> Any:
        from urllib.parse import quote

        url = f"{self.repo.url}/{quote(path, safe='/')}"
        return self.call(what, lambda: self.gh.requester.requestJsonAndCheck(
            "GET", url, parameters=params or None)[1])

    def commit(self, ref: str) -> tuple[str, str | None]:
        """The sha and committer date of ``ref`` (a branch, tag or sha): one request."""
        data = self._get(f"resolving {self.repo_name}@{ref}", f"commits/{ref}")
        info = data.get("commit") or {}
        date = (info.get("committer") or {}).get("date") or (info.get("author") or {}).get("date")
        return str(data["sha"]), date

    def listing(self, directory: str, sha: str) -> dict[str, str]:
        """Blob sha per file name in ``directory`` at commit ``sha`` (no file content)."""
        data = self._get(f"listing {directory} at {sha[:10]}", f"contents/{directory}", ref=sha)
        if not isinstance(data, list):
            return {}
        return {e["name"]: e["sha"] for e in data if e.get("type") == "file"}

    def blob(self, sha: str) -> bytes:
        """The content of one blob, by its sha."""
        import base64

        data = self._get(f"downloading blob {sha[:10]}", f"git/blobs/{sha}")
        if data.get("encoding") == "base64":
            return base64.b64decode(data.get("content") or "")
        return (data.get("content") or "").encode("utf-8")

    # --- reading a campaign (issue 9): one issue, its comments, the pull requests; all pages
    def issue(self, number: int) -> RemoteIssue:
        """One issue by number (an adopted tracking issue), read and never written."""
        def fetch() -> RemoteIssue:
            _, data = self.gh.requester.requestJsonAndCheck("GET", f"{self.repo.url}/issues/{int(number)}")
            return RemoteIssue.from_raw(data)
        return self.call(f"reading issue #{number} of {self.repo_name}", fetch)

    def issue_comments(self, number: int) -> list[dict[str, Any]]:
        """Every comment of an issue, oldest first: {author, body, created, url}."""
        def fetch() -> list[dict[str, Any]]:
            return [{"author": (raw.get("user") or {}).get("login") or "", "body": raw.get("body") or "",
                     "created": raw.get("created_at") or "", "url": raw.get("html_url") or ""}
                    for raw in map(_raw, self.repo.get_issue(int(number)).get_comments())]
        return self.call(f"reading the comments of #{number} in {self.repo_name}", fetch)

    def pulls(self, since: str | None = None) -> list[dict[str, Any]]:
        """Pull requests (open, closed, merged), newest first, down to those created at ``since``."""
        def fetch() -> list[dict[str, Any]]:
            out = []
            for pr in self.repo.get_pulls(state="all", sort="created", direction="desc"):
                raw = _raw(pr)
                if since and (raw.get("created_at") or "") < since:
                    break  # pages come newest first: the rest is older still
                out.append(raw)
            return out
        return self.call(f"listing the pull requests of {self.repo_name}", fetch)

    def post_comment(self, number: int, body: str, marker: str) -> dict[str, Any]:
        """Comment on issue ``number``; a retry first looks for the comment (by ``marker``)."""
        issue = self.repo.get_issue(int(number))  # lazy: no request until the comment is made

        def recover() -> dict[str, Any] | None:
            return next((c for c in self.issue_comments(number) if marker in c["body"]), None)
        raw = self.call(f"commenting on #{number} of {self.repo_name}",
                        lambda: _raw(issue.create_comment(body)), recover)
        return {"url": raw.get("html_url") or raw.get("url") or "", **raw}


def _raw(obj: Any) -> dict[str, Any]:
    """The JSON GitHub sent, without PyGithub fetching the object again to 'complete' it."""
    from github.GithubObject import GithubObject

    return GithubObject.raw_data.fget(obj)  # type: ignore[attr-defined]


