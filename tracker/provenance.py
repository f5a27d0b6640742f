"""Where the data on screen came from, in one line: origin, revision, date and age.

"CPython main 3f2a1c0, 2026-11-20, 5 days old (live scan of python/cpython@main)".
Every front end shows it (the CLI on stderr, the TUI's header, the tickets' footer), so
nobody mistakes an old snapshot for today's CPython. ``now`` is injectable for tests.
"""

from __future__ import annotations

from datetime import datetime, timezone

from typing import Any

STALE_DAYS = 7  # older data than this is offered an update


def parse_date(text: Any) -> datetime | None:
    """An ISO date or date-time (any offset, or ``Z``) as an aware datetime, else None."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def age_days(source: dict[str, Any], now: datetime | None = None) -> int | None:
    """Whole days between the data's commit date and ``now`` (None when undated)."""
    when = parse_date(source.get("date"))
    if when is None:
        return None
    now = now or datetime.now(timezone.utc)
    return max(0, (now - when).days)


def age_text(days: int | None) -> str:
    if days is None:
        return "undated"
    if days == 0:
        return "from today"
    return f"{days} day{'s' if days != 1 else ''} old"


def is_stale(source: dict[str, Any], now: datetime | None = None) -> bool:
    """Older than a week (undated data, such as files being edited, is not called old)."""
    days = age_days(source, now)
    return days is not None and days > STALE_DAYS


def origin_text(source: dict[str, Any], short: bool = False) -> str:
    """How the data was obtained, for the parenthesis (``short``: for an 80-column header)."""
    origin = str(source.get("origin") or "")
    remote = origin[len("github:"):] if origin.startswith("github:") else origin
    if source.get("snapshot") == "bundled":
        return "bundled snapshot"
    if source.get("snapshot") == "live-cache":
        if short:
            return f"cached: {remote}"
        fetched = str(source.get("fetched") or "")[:10]
        return f"last live scan of {remote}" + (f", fetched {fetched}" if fetched else "")
    if source.get("snapshot"):
        return f"snapshot {source['snapshot']}"
    if origin.startswith("github:"):
        return f"live: {remote}" if short else f"live scan of {remote}"
    if origin == "files":
        return f"live scan of {source.get('bytecodes') or 'files'}"
    return f"live scan of {origin}" if origin else "live scan"


def describe(source: dict[str, Any] | None, now: datetime | None = None, short: bool = False,
             age: bool = True) -> str:
    """The provenance line: what tree, which revision, when, how old, and how obtained."""
    source = source or {}
    what = ["CPython"]
    if source.get("ref"):
        what.append(str(source["ref"]))
    if source.get("revision"):
        what.append(str(source["revision"])[:7])
    elif source.get("python_version"):
        what.append(str(source["python_version"]))
    parts = [" ".join(what)]
    when = parse_date(source.get("date"))
    if when is not None:
        parts.append(when.strftime("%Y-%m-%d"))
    if age:
        parts.append(age_text(age_days(source, now)))
    return f"{', '.join(parts)} ({origin_text(source, short)})"
