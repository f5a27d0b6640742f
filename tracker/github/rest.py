"""Reading GitHub's REST API with conditional requests, for the campaign reader.

PyGithub sends no ``If-None-Match`` of its own, so the reads of a campaign go through this
small layer on ``requests``: every answer's ETag is kept (in one entry of the user cache
per repository, the ``github-http`` kind of :mod:`tracker.cache`), the next request for the
same URL sends it, and an answer 304 reuses the kept JSON (GitHub does not count a 304
against the rate limit when the request carries a token; without one, count it: a rerun
still sends few requests, since what cannot change is not asked at all).
What cannot change any more (a closed issue's timeline, a merged pull request) is marked
final and never asked again. ``counted`` says how many answers counted against the limit.

When the limit is used up the reader raises :class:`RateLimited` (a ``SyncStopped``) with
the reset time; what was read stays in the cache, so the next run goes on from there.
The token is sent only in the ``Authorization`` header and never kept or printed.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlencode

from .. import cache
from ..errors import TrackerError
from .client import DEFAULT_BASE_URL, SyncStopped

CACHE_FORMAT = 1
USER_AGENT = "jit-tracker (campaign reader)"


class RateLimited(SyncStopped):
    """The rate limit ran out half-way; ``reset`` is when it comes back (epoch seconds)."""

    def __init__(self, message: str, hint: str | None = None, *, reset: float | None = None):
        super().__init__(message, hint, reason="ratelimit")
        self.reset = reset


def _cache_name(base_url: str, repo: str) -> str:
    from hashlib import sha256

    return "github-http-" + sha256(f"{base_url}|{repo.lower()}".encode()).hexdigest()[:16]


class Reader:
    """GET requests to one repository's API, each conditional on what was read before."""

    def __init__(self, repo: str, token: str | None = None, *, base_url: str | None = None,
                 timeout: float = 30, max_retries: int = 3, backoff: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time,
                 use_cache: bool = True, report: Callable[[str], None] | None = None):
        import requests

        self.repo = repo
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/vnd.github+json", "User-Agent": USER_AGENT,
                                     "X-GitHub-Api-Version": "2022-11-28"})
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout, self.max_retries, self.backoff = timeout, max_retries, backoff
        self.sleep, self.clock, self.report = sleep, clock, report
        self.counted = 0  # answers that counted against the rate limit (not 304)
        self.not_modified = 0  # answers 304: the kept copy was still right
        self.kept = 0  # final entries reused without asking
        self.remaining: int | None = None
        self.reset: float | None = None
        self.use_cache = use_cache
        self._name = _cache_name(self.base_url, repo)
        entry = cache.read("github-http", self._name) if use_cache else None
        if not (isinstance(entry, dict) and entry.get("format") == CACHE_FORMAT):
            entry = {}
        self.entries: dict[str, list] = entry.get("entries", {})  # url -> [etag, data, next, final]
        self.state: dict[str, Any] = entry.get("state", {})  # what the reader notes

    # --- the cache
    def save(self) -> None:
        if self.use_cache:
            cache.write("github-http", self._name, {"format": CACHE_FORMAT, "entries": self.entries,
                                                    "state": self.state})

    def is_final(self, path: str, params: dict | None = None) -> bool:
        entry = self.entries.get(self._url(path, params))
        return bool(entry and entry[3])

    def finalize(self, path: str, params: dict | None = None, *, pages: bool = False) -> None:
        """Mark what ``path`` answered (every page with ``pages``) as unable to change."""
        url: str | None = self._url(path, params)
        while url and url in self.entries:
            self.entries[url][3] = True
            url = self.entries[url][2] if pages else None

    # --- requests
    def _url(self, path: str, params: dict | None = None) -> str:
        url = path if path.startswith("http") else f"{self.base_url}/repos/{self.repo}/{path.lstrip('/')}"
        return url + ("?" + urlencode(sorted(params.items())) if params else "")

    def get(self, path: str, params: dict | None = None) -> Any:
        """The JSON at ``path`` (relative to the repository), conditional on the kept copy."""
        return self._get(self._url(path, params))[0]

    def pages(self, path: str, params: dict | None = None) -> list:
        """Every item of a paged listing, page after page (each page conditional)."""
        params = {"per_page": 100, **(params or {})}
        url: str | None = self._url(path, params)
        out: list = []
        while url:
            data, url = self._get(url)
            out += data if isinstance(data, list) else []
        return out

    def _get(self, url: str) -> tuple[Any, str | None]:
        import requests

        entry = self.entries.get(url)
        if entry and entry[3]:
            self.kept += 1
            return entry[1], entry[2]
        headers = {"If-None-Match": entry[0]} if entry and entry[0] else {}
        attempt = 0
        while True:
            self._check_budget(url)
            try:
                r = self.session.get(url, headers=headers, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                self._note_limits(r.headers)
                if r.status_code == 304 and entry:
                    self.not_modified += 1
                    return entry[1], entry[2]
                self.counted += 1
                if r.status_code == 200:
                    data = r.json()
                    nxt = r.links.get("next", {}).get("url")
                    self.entries[url] = [r.headers.get("ETag") or "", data, nxt, False]
                    return data, nxt
                if r.status_code in (403, 429) and self._limited(r):
                    raise self._stopped()
                if r.status_code < 500:
                    message = _message(r)
                    error = TrackerError(f"GitHub answered {r.status_code} for {self._short(url)}"
                                         + (f" ({message})" if message else ""))
                    error.status = r.status_code  # type: ignore[attr-defined]
                    raise error
                reason = f"GitHub answered {r.status_code}"
            attempt += 1
            if attempt > self.max_retries:
                raise SyncStopped(f"reading {self._short(url)}: {reason}, {attempt} tries",
                                  hint="what was read is kept: run again to go on")
            self.sleep(self.backoff * 2 ** (attempt - 1))

    def _short(self, url: str) -> str:
        return url.replace(self.base_url, "").split("?")[0]

    def _note_limits(self, headers: Any) -> None:
        remaining, reset = headers.get("X-RateLimit-Remaining"), headers.get("X-RateLimit-Reset")
        if remaining and remaining.isdigit():
            self.remaining = int(remaining)
        if reset and reset.isdigit():
            self.reset = float(reset)

    def _limited(self, r: Any) -> bool:
        if r.headers.get("Retry-After", "").isdigit():
            self.reset = self.clock() + int(r.headers["Retry-After"])
            return True
        return r.headers.get("X-RateLimit-Remaining") == "0"

    def _check_budget(self, url: str) -> None:
        if self.remaining == 0 and self.reset and self.reset > self.clock():
            raise self._stopped()

    def _stopped(self) -> RateLimited:
        self.save()
        reset = self.reset
        if reset:
            at = datetime.fromtimestamp(reset, timezone.utc).strftime("%H:%M UTC")
            minutes = max(0, round((reset - self.clock()) / 60))
            when = f"it resets at {at} (in {minutes} min)"
        else:
            when = "try again in an hour"
        return RateLimited(f"GitHub's rate limit is used up after {self.counted} request(s); {when}",
                           hint="what was read is kept: run the same command again then to go on "
                           "(or set $GITHUB_TOKEN for 5,000 requests an hour)", reset=reset)


def _message(r: Any) -> str | None:
    try:
        data = r.json()
    except ValueError:
        return None
    return data.get("message") if isinstance(data, dict) else None
