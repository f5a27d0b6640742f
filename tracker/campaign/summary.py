"""What a campaign's threads say, per task: who holds it, which pull request works on it,
what its tracking list ticks, crosses out or hands out. Pure: it is handed the JSON that
:mod:`tracker.github.reading` fetched (issues, their timelines, pull requests and their
comments) and reads texts only.

Sources, newest winning per task: an @login beside a list item or an item issue's
assignee, claims in comments (tracking issues, item issues, pull-request threads), and
pull requests (open: in review; merged: waiting for a rescan). A pull request closed
without merging gives its task back (its author's claims made before it closed end with
it); "superseded by #N" moves its tasks to #N.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..tasks import Task
from . import phrases as phrases_mod
from . import thread as th
from .names import NAME_RE, NameIndex, expand, spell_out
from .tracking import Tracked


@dataclass
class Fetched:
    """One issue of the campaign as read: the tracked issue (or a task issue's id), its JSON
    and its timeline's events."""

    issue: dict[str, Any]
    events: list[dict[str, Any]]
    tracked: Tracked | None = None
    task_id: str | None = None  # a task issue jit-tracker filed


@dataclass
class Summary:
    claims: dict[str, th.RemoteClaim] = field(default_factory=dict)
    pulls: dict[str, th.PullLink] = field(default_factory=dict)
    checklist: dict[str, dict[str, Any]] = field(default_factory=dict)
    followups: list[dict[str, Any]] = field(default_factory=list)
    extra_tasks: dict[str, Task] = field(default_factory=dict)  # tasks of kinds the rules do not find
    comments: int = 0
    pull_requests: int = 0


def comments_of(events: Iterable[dict[str, Any]]) -> list[th.Comment]:
    return [th.Comment((e.get("user") or e.get("actor") or {}).get("login") or "", e.get("body") or "",
                       e.get("created_at") or "", e.get("html_url") or "")
            for e in events if e.get("event") == "commented"]


def referencing(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issues and pull requests that cross-reference this issue (the issue JSON of each)."""
    out = []
    for e in events:
        if e.get("event") == "cross-referenced":
            src = (e.get("source") or {}).get("issue")
            if isinstance(src, dict) and src.get("number"):
                out.append(src)
    return out


def is_pull(issue: dict[str, Any]) -> bool:
    return bool(issue.get("pull_request"))


def pull_state(issue: dict[str, Any]) -> str:
    pr = issue.get("pull_request") or {}
    if pr.get("merged_at") or issue.get("merged_at"):
        return "merged"
    return "open" if issue.get("state") == "open" else "closed"


def names_in(text: str) -> list[str]:
    """Every uop-like name in a text, shorthands spelled out and braces expanded."""
    out: list[str] = []
    for m in NAME_RE.finditer(spell_out((text or "").replace("\\_", "_"))):
        for name in expand(m.group(1)):
            if name.startswith("_") and "X" not in name.lstrip("_").split("_"):
                out.append(name)
    return list(dict.fromkeys(out))


def extra_tasks(fetched: list[Fetched], pulls: dict[int, dict[str, Any]], kinds: dict[str, str],
                pull_comments: dict[int, list[dict]] | None = None,
                phrases: phrases_mod.Phrases | None = None) -> dict[str, Task]:
    """Tasks of campaigns beyond the rules' kinds: the uops their tracking lists, the titles
    of their pull requests and the claims in their threads name (``decompose:_POP_CALL``)."""
    phrases = phrases or phrases_mod.load()
    out: dict[str, Task] = {}
    for f in fetched:
        t = f.tracked
        if t is None or t.kind not in kinds:
            continue
        texts = [f.issue.get("body") or ""] + [c.body for c in comments_of(f.events)]
        found = [n for text in texts for m in th.ITEM_RE.finditer(text) for n in names_in(m.group("rest"))[:1]]
        linked = set(th.linked_prs(f.issue.get("body") or "")) | {p["number"] for p in referencing(f.events)}
        found += [n for num in sorted(linked) if num in pulls for n in names_in(pulls[num].get("title") or "")]
        texts += [c.get("body") or "" for num in sorted(linked) for c in (pull_comments or {}).get(num, [])]
        for text in texts:  # "Next PR would be: `_POP_CALL(_ONE/_TWO)`"
            for sentence in phrases_mod.sentences(text)[0]:
                if phrases.first("claim", sentence) and not phrases.negation.search(sentence):
                    found += names_in(sentence)
        if t.role == "item":
            found += names_in(f.issue.get("title") or "")[:1]
        for name in found:
            tid = f"{t.kind}:{name}"
            out.setdefault(tid, Task(tid, t.kind, f"{kinds[t.kind]}: {name}", name, []))
    return out


def summarize(fetched: list[Fetched], pulls: dict[int, dict[str, Any]], pull_comments: dict[int, list[dict]],
              tasks: list[Task], repo: str, kinds: dict[str, str] | None = None,
              phrases: phrases_mod.Phrases | None = None) -> Summary:
    """``fetched``: the campaign's issues; ``pulls``: number -> the pull request's issue JSON;
    ``pull_comments``: number -> its comments (only those read); ``repo``: where gh-N points."""
    phrases = phrases or phrases_mod.load()
    out = Summary()
    out.extra_tasks = extra_tasks(fetched, pulls, kinds or {}, pull_comments, phrases)
    all_tasks = [*tasks, *out.extra_tasks.values()]
    index = NameIndex.of(all_tasks)
    known = {t.id for t in all_tasks}
    repo = repo.lower()

    threads: list[th.Thread] = []
    listed: list[th.RemoteClaim] = []
    refs: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    tracked_numbers = {f.issue.get("number") for f in fetched if f.tracked}
    pull_kind: dict[int, tuple[str | None, str | None]] = {}  # pull number -> (kind, item task) it came from
    for f in fetched:
        issue, t = f.issue, f.tracked
        number = int(issue.get("number") or 0)
        kind = t.kind if t else (f.task_id.split(":")[0] if f.task_id else None)
        task_id = f.task_id
        if t is not None and t.role == "item":
            named = index.find(spell_out(issue.get("title") or ""), kind, strict=True)
            task_id = named[0].tasks[0] if named and len(named[0].tasks) == 1 else None
        refs[(repo, number)] = (kind, task_id)
        comments = comments_of(f.events)
        out.comments += len(comments)
        threads.append(th.Thread(comments, kind, task_id))
        if t is not None and t.role != "item":
            crossed = t.crossed
            for text, when, url in [(issue.get("body") or "", issue.get("created_at") or "", issue.get("html_url") or "")] + [
                    (c.body, c.created, c.url) for c in comments]:
                for item in th.items(text, index, kind, crossed):
                    for tid in item.tasks:
                        if item.status != "open":
                            out.checklist[tid] = {"status": item.status, "issue": number, "url": issue.get("html_url") or ""}
                        elif tid in out.checklist and out.checklist[tid]["issue"] == number:
                            del out.checklist[tid]  # a newer list has it open again
                        if item.by:
                            listed.append(th.RemoteClaim(tid, item.by, when, "assignee", url))
        if task_id and issue.get("state") == "open":
            for login in [a.get("login") for a in issue.get("assignees") or [] if a]:
                if login:
                    listed.append(th.RemoteClaim(task_id, login, issue.get("created_at") or "", "assignee",
                                                 issue.get("html_url") or ""))
        for num in th.linked_prs(issue.get("body") or "") + [p["number"] for p in referencing(f.events) if is_pull(p)]:
            pull_kind.setdefault(int(num), (kind, task_id))
        for src in referencing(f.events):
            if is_pull(src) or src.get("number") in tracked_numbers:
                continue
            labels = {(lb.get("name") if isinstance(lb, dict) else str(lb)) for lb in src.get("labels") or []}
            if t is None or t.role == "item" or "topic-JIT" not in labels or src.get("state") != "open":
                continue
            text = f"{src.get('title') or ''}\n{src.get('body') or ''}"
            if number not in {n for _, n in th.references(src.get("body") or "", repo)}:
                continue  # it must link the tracking issue
            if th.follows_up(text, {number}, phrases) == number:
                role = "follow-up"  # "a follow-up to #N": it carries the campaign on
            elif index.find(spell_out(src.get("title") or ""), kind, strict=True):
                role = "item"  # one task of the campaign, in an issue of its own
            else:
                continue  # a bug report or a question that mentions the campaign
            out.followups.append({"number": src["number"], "title": src.get("title") or "",
                                  "url": src.get("html_url") or "", "kind": kind, "follows": number,
                                  "role": role})

    # pull requests -> tasks
    per_pull: dict[int, list[str]] = {}
    for num, pr in sorted(pulls.items()):
        kind, item_task = pull_kind.get(num, (None, None))
        title, body = pr.get("title") or "", pr.get("body") or ""
        found: list[str] = []
        for ref in sorted(th.references(f"{title}\n{body}", repo)):
            rk, rt = refs.get(ref, (None, None))
            if rt:
                found.append(rt)
            elif ref in refs:
                kind = kind or rk
        if not found and item_task:
            found = [item_task]
        if not found:
            args = (kind, phrases.vague_after, phrases.vague_before, phrases.family_after, kind is not None)
            names = index.find(title, *args) or index.find(body, *args)
            found = [t for n in names for t in n.tasks]
        per_pull[num] = list(dict.fromkeys(found))
    # superseded pull requests pass their tasks on
    for num, pr in sorted(pulls.items()):
        texts = [pr.get("body") or ""] + [c.get("body") or "" for c in pull_comments.get(num, [])]
        for text in texts:
            by, of = th.superseded(text, phrases)
            for new in by:
                if new in per_pull and not per_pull[new]:
                    per_pull[new] = list(per_pull[num])
            for old in of:
                if old in per_pull and not per_pull[num]:
                    per_pull[num] = list(per_pull[old])
    out.pull_requests = len(pulls)
    given_back: list[tuple[str, str, str]] = []  # (task, author, closed at)
    for num, pr in sorted(pulls.items()):
        state = pull_state(pr)
        author = (pr.get("user") or {}).get("login") or ""
        if state == "closed":
            given_back += [(t, author, pr.get("closed_at") or pr.get("updated_at") or "") for t in per_pull[num]]
            continue
        for tid in per_pull[num]:
            if tid not in known:
                continue
            link = th.PullLink(tid, num, author, pr.get("html_url") or "", state, pr.get("title") or "",
                               pr.get("created_at") or "")
            before = out.pulls.get(tid)
            if before is None or (link.state == "open", link.since) > (before.state == "open", before.since):
                out.pulls[tid] = link
        kind = pull_kind.get(num, (None, None))[0]
        comments = [th.Comment((c.get("user") or {}).get("login") or "", c.get("body") or "",
                               c.get("created_at") or "", c.get("html_url") or "") for c in pull_comments.get(num, [])]
        if comments:
            out.comments += len(comments)
            threads.append(th.Thread(comments, kind, per_pull[num][0] if len(per_pull[num]) == 1 else None))

    from_comments = th.claims_from_threads(threads, index, phrases)
    from_pulls = [th.RemoteClaim(t, p.author, p.since, "pull", p.url) for t, p in out.pulls.items()]
    for c in [*listed, *from_comments.values(), *from_pulls]:
        if c.task_id in known and (c.task_id not in out.claims or c.since > out.claims[c.task_id].since):
            out.claims[c.task_id] = c
    for tid, author, closed in given_back:  # a pull request closed unmerged gives its task back
        held = out.claims.get(tid)
        if held is not None and th._same(held.by, author) and held.since <= (closed or "9999") \
                and tid not in out.pulls:
            del out.claims[tid]
    return out
