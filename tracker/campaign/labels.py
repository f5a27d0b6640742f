"""How a claim or a pull request is named where tasks are listed: ``@ana (comment, 3 days
ago)``, ``in review #160001``. Pure: the time is handed in."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

SOURCE_WORD = {"comment": "comment", "assignee": "assigned", "pull": "pull request", "local": "here"}


def age(since: str, now: datetime | None = None) -> str:
    """``today``, ``1 day ago``, ``3 days ago``, ``5 weeks ago``, ``2 years ago``; '' if unknown."""
    try:
        then = datetime.fromisoformat(str(since).replace("Z", "+00:00"))
    except ValueError:
        return ""
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    days = ((now or datetime.now(timezone.utc)) - then).days
    if days < 1:
        return "today"
    for least, per, unit in ((730, 365, "year"), (60, 30, "month"), (14, 7, "week")):
        if days >= least:
            return f"{days // per} {unit}s ago"
    return "1 day ago" if days == 1 else f"{days} days ago"


def claim_label(by: str, source: str | None, since: str, now: datetime | None = None) -> str:
    """``@ana (comment, 3 days ago)``; a local claim is ``ana (here, today)``."""
    word = SOURCE_WORD.get(source or "local", source or "")
    who = by if (source or "local") == "local" else f"@{by}"
    when = age(since, now)
    return f"{who} ({word}, {when})" if when else f"{who} ({word})"


def pull_label(pr: dict[str, Any] | None) -> str:
    """``in review #N`` for an open pull request, ``merged #N`` for a merged one."""
    if not pr:
        return ""
    state = "in review" if pr.get("state") == "open" else "merged"
    return f"{state} #{pr.get('number')}"
