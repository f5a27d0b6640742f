"""A claim made with jit-tracker, posted where every jit-tracker reads it.

The comment goes on the task's issue, or on its kind's tracking issue when the task has
none, in the repository and API the last ``sync`` recorded (``--repo``/``--base-url``
override). It holds a sentence people read and a hidden marker the campaign reader
recognises, so others see the claim after their next sync. Without a token, or when
GitHub cannot be reached, the claim stays local and the message says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..campaign.thread import claim_comment, release_comment
from ..errors import TrackerError
from ..tasks import Task
from ..tickets import UMBRELLA_ID, tracking_id


@dataclass
class Target:
    repo: str
    base_url: str | None
    number: int
    what: str  # "#12 (the task's issue)", "#134584 (the tracking issue)"


@dataclass
class Posted:
    ok: bool
    message: str
    url: str | None = None


def target(store: Any, task: Task, repo: str | None = None, base_url: str | None = None) -> Target | None:
    """Where a claim on ``task`` is posted, from what the last sync recorded; None if unknown."""
    gh = store.get_setting("github") or {}
    repo = repo or gh.get("repo")
    if not repo:
        return None
    base_url = base_url or gh.get("base_url")
    same_repo = str(gh.get("repo") or "").lower() == repo.lower()
    issue = store.issues().get(task.id) if same_repo else None
    if issue and issue.get("state", "open") == "open" and issue.get("number"):
        return Target(repo, base_url, int(issue["number"]), f"#{issue['number']} (the task's issue)")
    tracking = (gh.get("tracking") or {}) if same_repo else {}
    number = tracking.get(task.kind)
    if number is None and same_repo:
        issues = store.issues()
        umbrella = issues.get(tracking_id(task.kind)) or issues.get(UMBRELLA_ID)
        number = umbrella.get("number") if umbrella else None
    if number is None:
        return None
    return Target(repo, base_url, int(number), f"#{number} (the tracking issue)")


def text(action: str, task: Task, by: str) -> str:
    return claim_comment(task, by) if action == "claim" else release_comment(task, by)


def post(store: Any, task: Task, by: str, action: str, *, repo: str | None = None,
         base_url: str | None = None, token_env: str = "GITHUB_TOKEN", client_options: dict | None = None) -> Posted:
    """Post a claim or release as a comment; never raises for a missing token or network."""
    where = target(store, task, repo, base_url)
    if where is None:
        if repo:  # it was given: say what is missing there, not to give it
            return Posted(False, f"kept locally: no issue of {task.id} (nor a tracking issue) is known on "
                                 f"{repo}; run 'jit-tracker sync --repo {repo}' once to file or find them")
        return Posted(False, f"kept locally: no GitHub issue known for {task.id} "
                             "(run 'jit-tracker sync --repo OWNER/NAME' once, or pass --repo)")
    token = os.environ.get(token_env) or None
    if not token:
        return Posted(False, f"kept locally: no GitHub token in ${token_env}, so nothing was posted "
                             f"to {where.repo} ({where.what})")
    from .client import GitHub

    body = text(action, task, by)
    marker = body.strip().splitlines()[-1]
    try:
        client = GitHub(where.repo, token, base_url=where.base_url, **(client_options or {}))
        made = client.post_comment(where.number, body, marker)
    except TrackerError as exc:
        return Posted(False, f"kept locally: GitHub could not be reached or refused the comment ({exc.message})")
    return Posted(True, f"posted on {where.repo} {where.what}: {made['url']}", made["url"])
