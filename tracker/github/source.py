"""CPython's definitions straight from GitHub, at a branch, tag or commit.

Reads ``Python/bytecodes.c`` and ``Python/optimizer_bytecodes.c`` through the REST API
(PyGithub, via tracker.github.client): the ref's commit (one request), the blob ids of
``Python/`` at that commit, and the blobs not yet in the user cache directory. Blobs are
kept by id and a commit's blob ids by commit sha (both are immutable), so a rerun at an
unchanged commit asks GitHub for the ref only. Anything that keeps GitHub from answering
becomes :class:`Unavailable`, so commands can say so and show older data instead.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable

from .. import cache
from ..errors import TrackerError, UsageError
from ..sources import BYTECODES, OPTIMIZER, SourceSet, SourceText, blob_id, decode

DEFAULT_REPO = "python/cpython"
DEFAULT_REF = "main"
TOKEN_ENV = "GITHUB_TOKEN"
# A command that cannot reach GitHub falls back within seconds: one retry, 1 s apart.
RETRIES = 1
BACKOFF = 1.0
_OID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}")

Report = Callable[[str, "float | None"], None]


class Unavailable(TrackerError):
    """GitHub did not give the sources (offline, rate limit, unknown repository or ref).

    ``what`` is one short clause for the fallback line: "GitHub is unreachable", ...
    """

    def __init__(self, what: str, hint: str | None = None):
        super().__init__(what, hint)
        self.what = what


@dataclass(frozen=True)
class Spec:
    """``OWNER/NAME@REF`` as given to --github."""

    repo: str
    ref: str

    @classmethod
    def parse(cls, text: str | None) -> "Spec":
        text = (text or "").strip() or DEFAULT_REPO
        repo, _, ref = text.partition("@")
        repo = repo.strip().strip("/")
        if not _NAME.fullmatch(repo) or repo.endswith(".git") or (_ and not ref.strip()):
            raise UsageError(f"--github {text}: expected OWNER/NAME or OWNER/NAME@REF",
                             hint="for example --github python/cpython@main")
        return cls(repo, ref.strip() or DEFAULT_REF)

    def __str__(self) -> str:
        return f"{self.repo}@{self.ref}"


class BlobCache:
    """Blobs by id and each commit's blob ids, in the ``github-blobs`` and
    ``github-commits`` kinds of :mod:`tracker.cache`."""

    def blob(self, sha: str) -> bytes | None:
        data = cache.read_raw("github-blobs", sha)
        return data if data is not None and blob_id(data) == sha else None  # damaged: fetched again

    def put_blob(self, sha: str, data: bytes) -> None:
        cache.write_raw("github-blobs", sha, data)  # a cache that cannot be written costs a download

    def commit(self, repo: str, sha: str) -> dict[str, str | None] | None:
        data = cache.read("github-commits", _commit_key(repo, sha))
        return data if isinstance(data, dict) and data.get("bytecodes") else None

    def put_commit(self, repo: str, sha: str, blobs: dict[str, str | None]) -> None:
        cache.write("github-commits", _commit_key(repo, sha), blobs)


def _commit_key(repo: str, sha: str) -> str:
    return repo.replace("/", "+") + "+" + sha


def token_from_env() -> str | None:
    return os.environ.get(TOKEN_ENV) or None


def fetch(spec: Spec, *, base_url: str | None = None, token: str | None = None,
          report: Report | None = None,
          client: Any = None, retries: int | None = None, backoff: float | None = None,
          sleep: Callable[[float], None] | None = None) -> SourceSet:
    """Both DSL files of ``spec`` from GitHub, downloading only blobs not cached yet.

    ``token`` defaults to ``$GITHUB_TOKEN``; without one, public repositories are read
    within GitHub's 60 requests an hour. Retries are few and short (``retries``,
    ``backoff``): a command that cannot reach GitHub should fall back in seconds.
    """
    say = report or (lambda message, fraction: None)
    blob_cache = BlobCache()
    if client is None:
        client = _client(spec, base_url, token if token is not None else token_from_env(),
                         RETRIES if retries is None else retries,
                         BACKOFF if backoff is None else backoff, sleep)
    say(f"Asking GitHub for {spec}…", 0.05)
    sha, date = _read(spec, lambda: client.commit(spec.ref))
    _check_id(sha, spec)
    blobs = blob_cache.commit(spec.repo, sha)
    if blobs is None:
        say(f"Listing Python/ at {sha[:7]}…", 0.15)
        listing = _read(spec, lambda: client.listing("Python", sha))
        name_bc, name_opt = BYTECODES.split("/", 1)[1], OPTIMIZER.split("/", 1)[1]
        if name_bc not in listing:
            raise Unavailable(f"{spec.repo} has no {BYTECODES} at {sha[:7]}",
                              hint="is this a CPython repository (3.12 or newer)?")
        blobs = {"bytecodes": listing[name_bc], "optimizer": listing.get(name_opt)}
        for oid in blobs.values():
            if oid is not None:
                _check_id(oid, spec)  # ids become file names in the cache
        blob_cache.put_commit(spec.repo, sha, blobs)
    texts: dict[str, SourceText | None] = {}
    for i, (key, path) in enumerate((("bytecodes", BYTECODES), ("optimizer", OPTIMIZER))):
        oid = blobs.get(key)
        if not oid:
            texts[key] = None
            continue
        data = blob_cache.blob(oid)
        if data is None:
            say(f"Downloading {path}…", 0.3 + 0.3 * i)
            data = _read(spec, lambda: client.blob(oid))
            blob_cache.put_blob(oid, data)
        texts[key] = SourceText(path, decode(data, f"{path}@{sha[:7]}"))
    assert texts["bytecodes"] is not None
    return SourceSet(texts["bytecodes"], texts["optimizer"], f"github:{spec}", sha, date,
                     repository=spec.repo, ref=spec.ref,
                     blobs=(blobs["bytecodes"], blobs.get("optimizer")))


def _check_id(oid: Any, spec: Spec) -> None:
    if not isinstance(oid, str) or not _OID.fullmatch(oid):
        raise Unavailable(f"GitHub answered with a malformed object id for {spec}")


def _client(spec: Spec, base_url: str | None, token: str | None, retries: int, backoff: float,
            sleep: Callable[[float], None] | None) -> Any:
    from .client import GitHub

    kwargs: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    try:
        return GitHub(spec.repo, token, base_url=base_url, timeout=15, max_retries=retries,
                      backoff=backoff, max_wait=0.0, write_interval=None, **kwargs)
    except TrackerError as exc:  # a token that cannot be sent, say (never shown)
        raise Unavailable(exc.message, hint=exc.hint) from None
    except Exception as exc:  # noqa: BLE001 - a malformed --base-url, say
        raise Unavailable(f"cannot use GitHub at {base_url or 'api.github.com'} "
                          f"({type(exc).__name__})") from None


def _read(spec: Spec, fn: Callable[[], Any]) -> Any:
    """One read; GitHub's refusals and silences become one-clause :class:`Unavailable`."""
    from .client import SyncStopped

    try:
        return fn()
    except SyncStopped as exc:
        if exc.reason == "ratelimit":
            raise Unavailable("GitHub's rate limit is used up",
                              hint=f"set ${TOKEN_ENV} for 5,000 requests an hour, or wait an hour") from None
        if exc.reason == "server":
            raise Unavailable("GitHub is not answering (server errors)") from None
        raise Unavailable("GitHub is unreachable (offline?)") from None
    except TrackerError as exc:
        status = getattr(exc, "status", None)
        if status in (404, 422):
            raise Unavailable(f"{spec.repo}@{spec.ref}: no such repository or ref on GitHub",
                              hint="check --github OWNER/NAME@REF (and --base-url)") from None
        if status == 401:
            raise Unavailable(f"GitHub rejected the token in ${TOKEN_ENV}",
                              hint=f"unset ${TOKEN_ENV} to read a public repository without one") from None
        raise Unavailable(f"GitHub refused to read {spec} (HTTP {status})") from None
