"""A campaign's threads -> who holds which task, which pull request works on it.

Comments are read in the order they were written: a claim holds until its author (or the
person it names) withdraws it, and a newer claim on the same task wins. An offer ("can I
take X?") becomes a claim for the asker when someone else accepts it in a later comment
that quotes the offer or names the asker (else the latest offer by someone else).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from ..tasks import Task
from . import phrases as phrases_mod
from .names import NameIndex, spell_out
from .phrases import LOGIN_RE, Phrases, Statement


@dataclass
class Comment:
    author: str
    body: str
    created: str  # ISO 8601
    url: str


class _PerTask:
    """Shown under its task's id, so the id is left out of the JSON."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)  # type: ignore[call-overload]  # mixed into dataclasses only
        data.pop("task_id")
        return data


@dataclass
class RemoteClaim(_PerTask):
    """Someone holds a task, as GitHub shows it: source is assignee, comment or pull."""

    task_id: str
    by: str
    since: str
    source: str
    url: str


@dataclass
class PullLink(_PerTask):
    """A pull request working on a task: open (in review) or merged (waiting for a rescan)."""

    task_id: str
    number: int
    author: str
    url: str
    state: str  # open | merged
    title: str
    since: str

    @property
    def status(self) -> str:
        return "in review" if self.state == "open" else "merged, waiting for a rescan"


@dataclass
class Thread:
    """The comments of one issue, with what "this" means there and the campaign's kind."""

    comments: list[Comment]
    kind: str | None = None
    task_id: str | None = None


def claims_from_comments(comments: Iterable[Comment], index: NameIndex, kind: str | None = None,
                         task_id: str | None = None, phrases: Phrases | None = None) -> dict[str, RemoteClaim]:
    """Who holds which task after one thread."""
    return claims_from_threads([Thread(list(comments), kind, task_id)], index, phrases)


def claims_from_threads(threads: list[Thread], index: NameIndex,
                        phrases: Phrases | None = None) -> dict[str, RemoteClaim]:
    """Who holds which task after all threads, their comments read in the order written
    (a claim on the tracking issue can be withdrawn on the task's issue); an offer is
    accepted only in its own thread."""
    phrases = phrases or phrases_mod.load()
    held: dict[str, RemoteClaim] = {}
    offers: dict[int, list[tuple[Statement, Comment]]] = {i: [] for i in range(len(threads))}
    invites: dict[int, list[tuple[list[str], list[str]]]] = {i: [] for i in range(len(threads))}
    listed: dict[int, tuple[str, list[str]]] = {}  # the previous comment's author and names, per thread
    order = sorted(((c.created, i, j) for i, t in enumerate(threads) for j, c in enumerate(t.comments)))
    for _, i, j in order:
        thread, c = threads[i], threads[i].comments[j]
        for st in phrases_mod.read(c.body, c.author, index, thread.kind, thread.task_id, phrases):
            if st.action == "claim" and not st.tasks:  # "Yes, I'll take it": what were they asked?
                st.tasks = next((tasks for logins, tasks in reversed(invites[i])
                                 if any(_same(m, c.author) for m in logins)), [])
                if not st.tasks and st.quoted:  # "> Is X free? / @bob has done that one": the quote's names
                    quoted = index.find(st.quoted, thread.kind, phrases.vague_after, phrases.vague_before,
                                        phrases.family_after)
                    st.tasks = list(dict.fromkeys(t for f in quoted for t in f.tasks))
                before = listed.get(i)
                if not st.tasks and before and not _same(before[0], c.author) and phrases.these.search(st.sentence):
                    st.tasks = list(before[1])  # "I'll take these": the list just above
            _apply(st, c, held, offers[i], thread.task_id)
        named = index.find(c.body, thread.kind, phrases.vague_after, phrases.vague_before, phrases.family_after)
        names = list(dict.fromkeys(t for f in named for t in f.tasks))
        if names:
            listed[i] = (c.author, names)
        logins = [m for m in LOGIN_RE.findall(c.body or "") if not _same(m, c.author)]
        if logins:
            invites[i].append((logins, names))
    return held


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _apply(st: Statement, c: Comment, held: dict[str, RemoteClaim], offers: list, task_id: str | None) -> None:
    if st.action == "claim":
        for t in st.tasks:
            held[t] = RemoteClaim(t, st.who, c.created, "comment", c.url)
    elif st.action == "offer":
        offers.append((st, c))
    elif st.action == "release":
        mine = [t for t in (st.tasks or list(held)) if t in held and _same(held[t].by, st.who)]
        if mine or st.marker:
            for t in mine:
                del held[t]
            return
        # "@bob, feel free to take it" from someone who held nothing: a hand-over
        named = [m for m in LOGIN_RE.findall(st.sentence) if not _same(m, c.author)]
        # "feel free to take it" answers an offer only when it names the asker or quotes it
        # ("anyone can pick it up" after giving one's own task back answers nobody)
        if (named or st.quoted) and _accept(st, c, held, offers, task_id):
            return
        if named and (st.tasks or task_id):
            for t in st.tasks or [task_id or ""]:
                held[t] = RemoteClaim(t, named[0], c.created, "comment", c.url)
    elif st.action == "accept":
        _accept(st, c, held, offers, task_id)


def _accept(st: Statement, c: Comment, held: dict[str, RemoteClaim], offers: list, task_id: str | None) -> bool:
    """Turn the offer this reply accepts into a claim; False when it answers none."""
    others = [(i, o) for i, o in enumerate(offers) if not _same(o[0].who, c.author)]
    if not others:
        return False
    chosen = None
    for i, (offer, oc) in reversed(others):
        if any(_same(m, offer.who) for m in st.mentions) or (st.quoted and offer.sentence[:40] in st.quoted):
            chosen = i
            break
    if chosen is None:
        if st.mentions and not any(_same(m, o[0].who) for m in st.mentions for _, o in others):
            return False  # it answers someone who made no offer here
        chosen = others[-1][0]
    offer, _ = offers.pop(chosen)
    for t in offer.tasks or st.tasks or ([task_id] if task_id else []):
        held[t] = RemoteClaim(t, offer.who, c.created, "comment", c.url)
    return True


# ------------------------------------------------------------------ pull requests

REF_RE = re.compile(r"(?:(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+)#|github\.com/(?P<urlrepo>[\w.-]+/[\w.-]+)/issues/"
                    r"|\b(?:gh|GH|bpo)-|(?<![\w/])#)(?P<number>\d+)\b")


def references(text: str, here: str) -> set[tuple[str, int]]:
    """Issues a text names, as (repository, number); ``gh-N`` and ``#N`` are in ``here``."""
    out = set()
    for m in REF_RE.finditer(text or ""):
        repo = m.group("repo") or m.group("urlrepo") or here
        out.add((repo.lower(), int(m.group("number"))))
    return out


def pull_links(pulls: Iterable[dict[str, Any]], index: NameIndex, prs_repo: str,
               refs: dict[tuple[str, int], tuple[str | None, str | None]],
               phrases: Phrases | None = None) -> dict[str, PullLink]:
    """The pull request working on each task.

    A pull request counts when its title or body names a tracking issue or a task's
    issue (``refs``: (repository, number) -> (kind, task id)), and, for a tracking issue,
    a uop or instruction of that kind (the title's names, else the body's). Closed
    unmerged ones are left out; of several, the newest open one wins, else the newest merged.
    """
    phrases = phrases or phrases_mod.load()
    found: dict[str, PullLink] = {}
    refs = {(r.lower(), n): v for (r, n), v in refs.items()}
    for pr in pulls:
        state = "merged" if pr.get("merged_at") else ("open" if pr.get("state") == "open" else None)
        if state is None:
            continue
        title, body = pr.get("title") or "", pr.get("body") or ""
        tasks: list[str] = []
        for ref in sorted(references(title + "\n" + body, prs_repo)):
            kind, task_id = refs.get(ref, (None, None))
            if task_id:
                tasks.append(task_id)
            elif ref in refs:
                args = (kind, phrases.vague_after, phrases.vague_before, phrases.family_after, kind is not None)
                names = index.find(title, *args) or index.find(body, *args)
                tasks += [t for f in names for t in f.tasks]
        link_args = (int(pr["number"]), (pr.get("user") or {}).get("login") or "", pr.get("html_url") or "",
                     state, title, pr.get("created_at") or "")
        for t in dict.fromkeys(tasks):
            new = PullLink(t, *link_args)
            old = found.get(t)
            if old is None or (new.state == "open", new.since) > (old.state == "open", old.since):
                found[t] = new
    return found


# ------------------------------------------------------------------ tracking checklists and lists

# A list item: "- [ ] NAME", "- [x] NAME", "* NAME @login", "- ~NAME~", "1. NAME"
ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[(?P<mark>[ xX])\]\s+)?(?P<rest>.*)$", re.M)
CROSSED_RE = re.compile(r"(?<!~)(~~?)(?!~)\s*`*\s*(?P<name>_?[A-Z][A-Z0-9_{}|()/\[\]]*)\s*`*\s*\1(?!~)")
LINKED_RE = re.compile(r"^#{2,4}\s*Linked PRs\s*$(?P<list>(?:\s*^\s*[-*]\s+.*$)*)", re.M | re.I)


@dataclass
class Item:
    """One item of a tracking list: its tasks, ``done`` / ``not planned`` / ``open``, and
    the @login written beside it (an assignment), if any."""

    tasks: list[str]
    status: str
    by: str | None = None


def items(body: str, index: NameIndex, kind: str | None, crossed: str = "not planned") -> list[Item]:
    """The items of a tracking issue's checklist or list, in any of the forms people keep:
    with or without boxes, ``~single~`` or ``~~double~~`` crossing (``crossed`` says what
    crossing means there), ``@login`` beside an item as who it is given to."""
    out: list[Item] = []
    text = re.sub(r"<!--.*?-->", "", body or "", flags=re.S)
    for m in ITEM_RE.finditer(text):
        rest = m.group("rest").strip()
        names = index.find(rest, kind, strict=kind is not None)
        if not names:
            continue
        first = names[0]
        tasks = list(first.tasks)
        spelled = spell_out(rest.replace("\\_", "_"))
        for prev, f in zip(names, names[1:]):  # a shorthand spelled out: "_X _X_BORROW" is one item
            if spelled[prev.end:f.start].strip(" `") == "":
                tasks += [t for t in f.tasks if t not in tasks]
            else:
                break
        cross = CROSSED_RE.search(rest)
        is_crossed = bool(cross and cross.start() <= first.start + 2 and cross.end() >= first.end)
        if m.group("mark") in ("x", "X"):
            status = "done"
        elif is_crossed:
            status = crossed
        else:
            status = "open"
        login = LOGIN_RE.search(rest[first.end:])
        out.append(Item(tasks, status, login.group(1) if login and status == "open" else None))
    return out


def checklist(body: str, index: NameIndex, kind: str | None, crossed: str = "not planned") -> dict[str, str]:
    """Items of a tracking issue's checklist that are settled: ``done`` or ``not planned``."""
    return {t: it.status for it in items(body, index, kind, crossed) if it.status != "open" for t in it.tasks}


def linked_prs(body: str) -> list[int]:
    """The numbers CPython's bot lists under ``### Linked PRs`` in an issue's body."""
    out: list[int] = []
    for m in LINKED_RE.finditer(body or ""):
        out += [int(n) for n in re.findall(r"\bgh-(\d+)\b", m.group("list"), re.I)]
    return list(dict.fromkeys(out))


def follows_up(text: str, known: set[int], phrases: Phrases | None = None) -> int | None:
    """The known tracking issue a text says it follows up ("follow-up to #N", a link), if any."""
    phrases = phrases or phrases_mod.load()
    if not phrases.follow_up.search(text or ""):
        return None
    for _, number in sorted(references(text, "")):
        if number in known:
            return number
    return None


def superseded(text: str, phrases: Phrases | None = None) -> tuple[list[int], list[int]]:
    """Pull requests a text says replace it (``superseded by #N``) and that it replaces."""
    phrases = phrases or phrases_mod.load()
    by = [int(next(g for g in m.groups() if g)) for m in phrases.superseded_by.finditer(text or "")]
    of = [int(next(g for g in m.groups() if g)) for m in phrases.supersedes.finditer(text or "")]
    return by, of


# ------------------------------------------------------------------ what jit-tracker posts

def claim_comment(task: Task, by: str) -> str:
    """The comment a claim is posted as: a sentence people read and the marker tools read."""
    name = task.uop or task.subject
    return (f"I'm working on `{name}` ({task.id}).\n\n"
            f"<!-- jit-tracker: claim id={task.id} by={by} -->\n")


def release_comment(task: Task, by: str) -> str:
    name = task.uop or task.subject
    return (f"I'm no longer working on `{name}` ({task.id}); feel free to take it.\n\n"
            f"<!-- jit-tracker: release id={task.id} by={by} -->\n")
