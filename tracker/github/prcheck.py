"""A pull request for ``check``: its base and head through the API, and its one comment.

``read_pull`` asks for the pull request and the merge-base of its head with its base
branch (two requests); ``fetch_sides`` reads both trees' definitions by commit through
:func:`tracker.github.source.fetch` (blobs cached by id, so a rerun downloads only what
changed). The head is read from the base repository, which serves a pull request's
commits even when they come from a fork. ``upsert_comment`` keeps one comment up to date:
found again by its hidden marker, edited when its text changed, never posted twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import TrackerError, UsageError

MAX_COMMENT = 65000  # GitHub refuses comments above 65,536 characters
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}")


@dataclass
class Pull:
    repo: str
    number: int
    base_sha: str  # the merge-base of head with the base branch (what the PR's diff is against)
    head_sha: str
    head_repo: str
    merged: bool
    url: str


def client(repo: str, token: str | None, base_url: str | None) -> Any:
    from .client import GitHub

    if not _REPO.fullmatch(repo or "") or repo.endswith(".git"):
        raise UsageError(f"--github {repo}: expected OWNER/NAME", hint="for example --github python/cpython")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}",
                         hint="for GitHub Enterprise: https://HOST/api/v3")
    return GitHub(repo, token, base_url=base_url, timeout=15, max_retries=1, backoff=1.0,
                  max_wait=0.0, write_interval=None)


def _get(gh: Any, what: str, path: str) -> Any:
    from urllib.parse import quote

    url = f"{gh.repo.url}/{quote(path, safe='/.')}"
    return gh.call(what, lambda: gh.gh.requester.requestJsonAndCheck("GET", url)[1])


def read_pull(repo: str, number: int, *, base_url: str | None = None, token: str | None = None,
              gh: Any = None) -> Pull:
    """Pull request ``number`` of ``repo``: where its diff starts and ends."""
    if number < 1:
        raise UsageError(f"--pr {number}: expected a pull request number")
    gh = gh or client(repo, token, base_url)
    try:
        data = _get(gh, f"reading pull request #{number} of {repo}", f"pulls/{int(number)}")
    except TrackerError as exc:
        if getattr(exc, "status", None) == 404:
            raise UsageError(f"{repo}: no pull request #{number}",
                             hint="check --github OWNER/NAME and --pr N (and --base-url)") from None
        raise
    base, head = data.get("base") or {}, data.get("head") or {}
    base_sha, head_sha = base.get("sha"), head.get("sha")
    if not (isinstance(base_sha, str) and _SHA.fullmatch(base_sha) and isinstance(head_sha, str)
            and _SHA.fullmatch(head_sha)):
        raise TrackerError(f"GitHub answered pull request #{number} without its commits")
    try:  # the diff GitHub shows starts at the merge-base, not at the base branch's tip
        compare = _get(gh, f"finding the merge-base of #{number}", f"compare/{base_sha}...{head_sha}")
        merge_base = (compare.get("merge_base_commit") or {}).get("sha")
        if isinstance(merge_base, str) and _SHA.fullmatch(merge_base):
            base_sha = merge_base
    except TrackerError:
        pass  # the base branch's tip then: close enough for a pull request kept up to date
    head_repo = ((head.get("repo") or {}).get("full_name")) or repo
    return Pull(repo, int(number), base_sha, head_sha, head_repo, bool(data.get("merged_at")),
                data.get("html_url") or "")


def fetch_sides(pull: Pull, *, base_url: str | None = None, token: str | None = None) -> tuple[Any, Any]:
    """The definitions at the pull request's base and head (SourceSets)."""
    from .source import Spec, Unavailable, fetch

    out = []
    for sha in (pull.base_sha, pull.head_sha):
        try:
            out.append(fetch(Spec(pull.repo, sha), base_url=base_url, token=token))
        except Unavailable as exc:
            raise TrackerError(f"cannot read #{pull.number} at {sha[:10]}: {exc.what}", exc.hint) from None
    return out[0], out[1]


def analysis_text(gh: Any, sha: str) -> str | None:
    """Python/optimizer_analysis.c at commit ``sha`` (the uops the optimizer's C code emits),
    from the blob cache or two requests; None when it cannot be had (the review goes on)."""
    from .source import BlobCache

    try:
        oid = gh.listing("Python", sha).get("optimizer_analysis.c")
        if not oid or not _SHA.fullmatch(oid):
            return None
        cache = BlobCache()
        data = cache.blob(oid)
        if data is None:
            data = gh.blob(oid)
            cache.put_blob(oid, data)
        return data.decode("utf-8", errors="replace")
    except TrackerError:
        return None


def upsert_comment(gh: Any, number: int, body: str, marker: str) -> tuple[str, str]:
    """Keep one comment holding ``marker`` on pull request ``number``: post it, or edit it
    when its text changed. Returns (what was done: created | edited | unchanged, its URL)."""
    if marker not in body:
        raise TrackerError("the comment lacks its marker: it could not be found again, refusing to post it")
    if len(body) > MAX_COMMENT:
        cut = body[:MAX_COMMENT - 200].rsplit("\n", 1)[0]
        body = cut + "\n\n… (cut: the report is too long for one comment; run `jit-tracker check` for all of it)\n"
    repo_url = gh.repo.url

    def comments() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = gh.gh.requester.requestJsonAndCheck(
                "GET", f"{repo_url}/issues/{int(number)}/comments", parameters={"per_page": 100, "page": page})[1]
            out.extend(batch)
            if len(batch) < 100:
                return out
            page += 1
    found = [c for c in gh.call(f"reading the comments of #{number}", comments) if marker in (c.get("body") or "")]
    # the oldest comment with the marker that the token may edit (anyone can paste the marker
    # into a comment of their own: GitHub refuses to let us edit that one, so try the next)
    for mine in found:
        url = mine.get("html_url") or ""
        if (mine.get("body") or "") == body:
            return "unchanged", url
        try:
            gh.call(f"editing the check comment of #{number}", lambda: gh.gh.requester.requestJsonAndCheck(
                "PATCH", f"{repo_url}/issues/comments/{int(mine['id'])}", input={"body": body}))
        except TrackerError as exc:
            if getattr(exc, "status", None) in (403, 404):
                continue
            raise
        return "edited", url

    def post() -> dict[str, Any]:
        return gh.gh.requester.requestJsonAndCheck("POST", f"{repo_url}/issues/{int(number)}/comments",
                                                   input={"body": body})[1]

    def recover() -> dict[str, Any] | None:  # a retry looks first whether the post went through
        return next((c for c in comments() if marker in (c.get("body") or "")), None)
    made = gh.call(f"commenting on #{number}", post, recover)
    return "created", made.get("html_url") or ""


def review_pull(pull: Pull, *, base_url: str | None = None, token: str | None = None) -> Any:
    """``check``'s review of a pull request."""
    from ..check import Side, review

    base, head = fetch_sides(pull, base_url=base_url, token=token)
    gh = client(pull.repo, token, base_url)
    return review(Side.scan(base, analysis=analysis_text(gh, pull.base_sha)),
                  Side.scan(head, analysis=analysis_text(gh, pull.head_sha)))


def completed_by(repo: str, merged: dict[int, str], *, base_url: str | None = None,
                 token: str | None = None, limit: int = 10,
                 warn: Any = None) -> dict[str, dict[str, Any]]:
    """Task id -> the merged pull request (``number``, ``url``) that ``check`` says
    completes it, for the pull requests ``merged`` (number -> URL), at most ``limit`` of
    them (the newest numbers first). A pull request that cannot be read is skipped with
    a warning: closing an issue can wait for the next sync."""
    out: dict[str, dict[str, Any]] = {}
    if not merged:
        return out
    gh = client(repo, token, base_url)
    for number in sorted(merged, reverse=True)[:max(0, limit)]:
        try:
            pull = read_pull(repo, number, gh=gh)
            if not pull.merged:
                continue
            found = review_pull(pull, base_url=base_url, token=token)
        except TrackerError as exc:
            if warn is not None:
                warn(f"cannot check #{number} of {repo}: {str(exc).splitlines()[0]}")
            continue
        for c in found.completed:
            out.setdefault(c.task, {"number": number, "url": merged[number] or pull.url})
    return out
