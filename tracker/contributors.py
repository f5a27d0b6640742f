"""Who finished which tasks, one entry per person, per campaign: credit as CPython gives it.

Pure functions of the history's revisions (``tracker.history`` records them, with the
author's name and e-mail already mapped by the clone's ``.mailmap``):

* one person per identity: revisions whose authors share a name (letter case and spacing
  aside), an e-mail address or a GitHub login are one person; a GitHub noreply address
  (``12345+login@users.noreply.github.com``) gives the login, and a one-word name equal to
  a login is that login's person;
* a campaign is the tracking issue a commit names (``gh-134584: ... (GH-142703)``; the
  PR number in parentheses is not an issue); a person is credited in a campaign for every
  revision of theirs that names it, with the tasks those revisions finished;
* :func:`credit_line` writes What's New's sentence, "(Contributed by A, B, and C in
  :gh:`N`.)", most tasks first.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)@users\.noreply\.github\.com$",
                      re.IGNORECASE)
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
# "(GH-142703)" or "(#142703)" closing a subject names the pull request
_PR = re.compile(r"\((?:#|gh-)(\d+)\)", re.IGNORECASE)
_ISSUE = re.compile(r"\b(gh|bpo)-(\d+)\b", re.IGNORECASE)


def login_of(email: str | None) -> str | None:
    """The GitHub login of a noreply address, else None."""
    m = _NOREPLY.match((email or "").strip())
    return m.group(1) if m else None


def pr_of(message: str) -> str | None:
    """The PR (``#1234``, from ``(#1234)`` or ``(GH-1234)``) or else the issue (``gh-1234``)
    a commit message names."""
    m = _PR.search(message)
    if m:
        return f"#{m.group(1)}"
    m = _ISSUE.search(message)
    if m:
        return f"{m.group(1).lower()}-{m.group(2)}"
    return None


def issues_of(message: str) -> list[int]:
    """The GitHub issues (``gh-N``) a commit message names, in order, without its PRs."""
    prs = {int(m.group(1)) for m in _PR.finditer(message)}
    seen: dict[int, None] = {}
    for m in _ISSUE.finditer(message):
        if m.group(1).lower() == "gh" and int(m.group(2)) not in prs:
            seen[int(m.group(2))] = None
    return list(seen)


def campaign_key(number: int) -> str:
    return f"gh-{number}"


def _norm_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Groups:
    """Union-find over identity keys (``name:``, ``email:``, ``login:``)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, keys: list[str]) -> str:
        roots = [self.find(k) for k in keys]
        for r in roots[1:]:
            self.parent[r] = roots[0]
        return roots[0]


def _keys(name: str, email: str) -> list[str]:
    keys = []
    if name.strip():
        keys.append("name:" + _norm_name(name))
        if _LOGIN.match(name.strip()):  # a one-word name may be the author's login
            keys.append("login:" + name.strip().lower())
    if email.strip():
        keys.append("email:" + email.strip().lower())
    login = login_of(email)
    if login:
        keys.append("login:" + login.lower())
    return keys or ["name:?"]


def _sort_key(date: str) -> tuple[float, str]:
    """Oldest first; a date without a zone is taken as UTC, one that does not parse first."""
    try:
        value = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return (float("-inf"), date)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return (value.timestamp(), date)


def credited(revision: Mapping[str, Any]) -> list[str]:
    """The tasks a recorded revision finished (done, or removed with their subject)."""
    return list(revision.get("flipped") or []) + [t for t in revision.get("removed") or []
                                                  if t not in (revision.get("flipped") or [])]


def contributors(revisions: Iterable[Mapping[str, Any]],
                 campaigns: Mapping[int, str] | None = None) -> list[dict[str, Any]]:
    """People who finished tasks or worked on a campaign, most tasks first.

    ``campaigns`` maps tracking-issue numbers to the kind of task they track. A person
    is listed when a revision of theirs finished a task or names one of the campaigns.
    """
    campaigns = dict(campaigns or {})
    revisions = [r for r in revisions]
    relevant = []
    for r in revisions:
        issues = r.get("issues")
        if issues is None:  # recorded by an older jit-tracker: read the subject again
            issues = issues_of(r.get("subject") or "")
        named = [n for n in issues if n in campaigns]
        if credited(r) or named:
            relevant.append((r, named))

    groups = _Groups()
    for r, _ in relevant:
        groups.join(_keys(r.get("author") or "", r.get("email") or ""))

    people: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter] = {}
    emails: dict[str, Counter] = {}
    latest_name: dict[str, dict[str, str]] = {}
    for r, named in sorted(relevant, key=lambda x: _sort_key(x[0].get("date") or "")):
        author, email = r.get("author") or "", r.get("email") or ""
        root = groups.find(_keys(author, email)[0])
        p = people.setdefault(root, {"name": author, "names": [], "email": email, "emails": [],
                                     "logins": [], "tasks": [], "first": r["date"], "latest": r["date"],
                                     "campaigns": {}})
        if author:
            names.setdefault(root, Counter())[author] += 1
            latest_name.setdefault(root, {})[author] = r["date"]
        if email:
            emails.setdefault(root, Counter())[email] += 1
        login = login_of(email)
        if login and login not in p["logins"]:
            p["logins"].append(login)
        tags = [campaign_key(n) for n in named]
        tasks = credited(r)
        for task_id in tasks:
            p["tasks"].append({"id": task_id, "revision": r["revision"], "date": r["date"],
                               "pr": r.get("pr"), "campaigns": tags,
                               "change": "removed" if task_id in (r.get("removed") or []) else "done"})
        for n, tag in zip(named, tags):
            c = p["campaigns"].setdefault(tag, {"kind": campaigns[n], "tasks": 0, "commits": 0,
                                                "first": r["date"], "latest": r["date"]})
            c["tasks"] += len(tasks)
            c["commits"] += 1
            c["latest"] = r["date"]
        p["latest"] = r["date"]

    for root, p in people.items():
        counted = names.get(root, Counter())
        # the name used most; between equals a full name ("Ada Lovelace") over one word
        # (often a login), then the one used last
        p["names"] = sorted(counted, key=lambda n: (-counted[n], n))
        if counted:
            p["name"] = max(counted, key=lambda n: (counted[n], " " in n.strip(),
                                                    _sort_key(latest_name[root][n])))
        counted = emails.get(root, Counter())
        p["emails"] = sorted(counted, key=lambda e: (-counted[e], e))
        if counted:
            p["email"] = p["emails"][0]
    return sorted(people.values(), key=lambda p: (-len(p["tasks"]), _sort_key(p["first"]), p["name"] or ""))


def in_campaign(people: Iterable[Mapping[str, Any]], number: int | Iterable[int]) -> list[dict[str, Any]]:
    """The people credited in one campaign (or any of several: a kind's issues), most of
    its tasks first, then most commits, then who came first."""
    tags = [campaign_key(number)] if isinstance(number, int) else [campaign_key(n) for n in number]
    found = []
    for p in people:
        mine = [p["campaigns"][t] for t in tags if t in (p.get("campaigns") or {})]
        if not mine:
            continue
        if len(mine) == 1:
            count = mine[0]["tasks"]
        else:  # a task of a revision naming two of them counts once
            count = len({(t["id"], t["revision"]) for t in p.get("tasks") or []
                         if any(tag in (t.get("campaigns") or []) for tag in tags)})
        rank = (-count, -sum(c["commits"] for c in mine), min(_sort_key(c["first"]) for c in mine))
        found.append((rank, p.get("name") or "", dict(p)))
    return [p for _, _, p in sorted(found, key=lambda x: (x[0], x[1]))]


def join_names(names: list[str]) -> str:
    """"A", "A and B", "A, B, and C" (the serial comma, as What's New writes it)."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def credit_line(people: Iterable[Mapping[str, Any]], number: int) -> str | None:
    """What's New's sentence for one campaign, or None when nobody is credited in it."""
    found = in_campaign(people, number)
    if not found:
        return None
    return f"(Contributed by {join_names([p['name'] for p in found])} in :gh:`{number}`.)"
