"""Progress over git history: scan every revision that changed the definitions.

The walk lists the revisions that touched ``Python/bytecodes.c`` or
``Python/optimizer_bytecodes.c`` (and their parents, to know what each one changed),
asks :mod:`tracker.git` for the blob ids of both files at each and for the blobs it has
not seen, and scans those with :mod:`tracker.scanpool` on all cores. What it keeps of
each scan (counts, the task ids by status, what :mod:`tracker.changes` needs to tell
done from removed) sits in the project's one cache (the ``history`` kind of :mod:`tracker.cache`), under
the pair of blob ids and the rules' fingerprint, so a rerun scans only what is new; a
pair that ``tasks`` or ``scan`` stored in full is not scanned again.

Between each revision and its parents, :func:`tracker.changes.compare` says which
tasks were done and which removed (their uop or instruction deleted or decomposed);
:mod:`tracker.contributors` credits them to the revision's author.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from . import cache, git, scancache, scanpool
from .changes import compare, subjects
from .contributors import contributors, issues_of, pr_of
from .errors import TrackerError, UsageError
from .sources import BYTECODES, OPTIMIZER, SourceSet, SourceText, decode
from .tasks import Task, TaskSet

CACHE_VERSION = 4  # 3: summaries hold what tracker.changes needs; 4: each different one once
Scanner = Callable[[SourceSet], TaskSet]
Progress = scanpool.Progress


@dataclass
class Revision:
    revision: str
    parents: list[str]
    date: str  # committer date, ISO 8601 (what --since/--until filter on)
    author: str  # as the clone's .mailmap names them
    email: str
    message: str

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()


@dataclass
class WalkResult:
    repository: str
    revisions: list[dict[str, Any]]  # the store's history entries, oldest first
    contributors: list[dict[str, Any]]
    scanned: int = 0  # blob pairs scanned in this run
    cached: int = 0  # blob pairs found in the cache
    errors: int = 0  # revisions whose definitions did not parse
    fingerprint: str = ""  # of the rules that made these results
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- revisions


def repository_root(directory: str | os.PathLike[str]) -> str:
    """The work tree's top directory, or the git directory of a bare clone (a mirror)."""
    if not Path(directory).is_dir():
        raise UsageError(f"{directory}: no such directory")
    root = git.repository(directory)
    if root is None:
        raise UsageError(f"{directory}: not a git repository",
                         hint="history reads the revisions of a CPython clone (git clone, not a tarball)")
    return root


def check_date(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{what} {text!r}: expected a date like 2025-01-31 "
                         "(or 2025-01-31T12:00:00+00:00)") from None
    return text


def mailmap_options(repo: str, rev: str = "HEAD", mailmap: str | None = None) -> list[str]:
    """``git -c`` options that make ``%aN``/``%aE`` honour the clone's ``.mailmap``.

    git reads ``.mailmap`` from the work tree, and from ``HEAD`` only in a bare clone; a
    clone without a checkout (``--no-checkout``, a worktree of another commit) gets the
    revision's own. ``mailmap`` is a file of the user's, read last (it wins).
    """
    opts = []
    if not (Path(repo) / ".mailmap").is_file():
        opts += ["-c", f"mailmap.blob={rev}:.mailmap"]
    if mailmap:
        if not Path(mailmap).is_file():
            raise UsageError(f"--mailmap {mailmap}: no such file")
        opts += ["-c", f"mailmap.file={Path(mailmap).resolve()}"]
    return opts


def list_revisions(repo: str, since: str | None = None, until: str | None = None,
                   rev: str = "HEAD", mailmap: str | None = None) -> list[Revision]:
    """Revisions that changed either definitions file, oldest first; authors as the
    clone's ``.mailmap`` names them."""
    args = [*mailmap_options(repo, rev, mailmap), "log", "--reverse", "--topo-order",
            "--format=%x1e%H%x1f%P%x1f%cI%x1f%aN%x1f%aE%x1f%B"]
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    args += [rev, "--", BYTECODES, OPTIMIZER]
    revs = []
    for record in git.run(repo, *args).split("\x1e")[1:]:
        sha, parents, date, author, email, message = record.split("\x1f", 5)
        revs.append(Revision(sha, parents.split(), date, author, email, message.strip()))
    return revs


def resolve_blobs(repo: str, revisions: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """(bytecodes blob, optimizer blob) at each revision, None where a file is absent."""
    ids = git.object_ids(repo, [f"{r}:{p}" for r in revisions for p in (BYTECODES, OPTIMIZER)])
    return {r: (ids[2 * i], ids[2 * i + 1]) for i, r in enumerate(revisions)}


# --------------------------------------------------------------------------- scanning


def default_scanner() -> Scanner:
    from .rules import scan

    return scan


def rules_fingerprint() -> str:
    """A hash of everything a scan's result depends on (shared with the scan cache)."""
    return scancache.fingerprint()


def summarize(ts: TaskSet) -> dict[str, Any]:
    """What the walk keeps of a scan: counts per kind and status, the ids by status, and
    for open work what :func:`tracker.changes.compare` asks (uop, difficulty, a helper's
    users), with the names of every uop and instruction of the tree."""
    from .kinds import KINDS

    counts = {k: {"open": 0, "done": 0, "blocked": 0} for k in KINDS}
    ids: dict[str, list[str]] = {"open": [], "done": [], "blocked": []}
    about: dict[str, str] = {}  # id -> "uop<TAB>difficulty<TAB>users"
    for t in ts.tasks:
        status = t.status if t.status in ids else "open"
        counts.setdefault(t.kind, {"open": 0, "done": 0, "blocked": 0})[status] += 1
        ids[status].append(t.id)
        if status != "done":  # one string a task: small in JSON
            users = t.recipe.get("users") or [] if t.kind == "helper" else []
            about[t.id] = f"{t.uop or ''}\t{t.difficulty}\t{' '.join(users)}"
    return {"error": None, "counts": counts, **{k: sorted(v) for k, v in ids.items()},
            "about": about, "names": sorted(subjects(ts))}


def _summary_of_stored(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The summary of a full scan another command stored (see tracker.scancache)."""
    try:
        tasks = [Task(t["id"], t["kind"], "", t.get("uop"), list(t.get("instructions") or []),
                      status=t.get("status", "open"), difficulty=t.get("difficulty", "easy"),
                      recipe=t.get("recipe") or {}) for t in entry["tasks"]]
        return summarize(TaskSet({}, tasks, instructions=list(entry.get("instructions") or []),
                                 uops=entry.get("uops")))
    except (KeyError, TypeError, AttributeError):
        return None


def scan_blobs(scanner: Scanner, rev: str, date: str, bc: bytes, opt: bytes | None) -> dict[str, Any]:
    """Scan one version of the definitions; a failure is returned, never raised."""
    short = rev[:10]
    bc_name, opt_name = f"{BYTECODES}@{short}", f"{OPTIMIZER}@{short}"
    try:
        bc_src = SourceText(bc_name, decode(bc, bc_name))
        opt_src = SourceText(opt_name, decode(opt, opt_name)) if opt is not None else None
        ts = scanner(SourceSet(bc_src, opt_src, f"git:{rev}", rev, date))
    except TrackerError as exc:
        return {"error": str(exc).split("\n", 1)[0]}
    except RecursionError:
        return {"error": f"{bc_name}: too deeply nested to scan"}
    except Exception as exc:  # a rule tripping on an old dialect must not end a long walk
        return {"error": f"{bc_name}: internal error: {type(exc).__name__}: {exc}"}
    return summarize(ts)


class Summaries:
    """Scan summaries by ``<bytecodes blob>:<optimizer blob>``: one entry of the cache
    for all of them (a walk needs them all at once), replaced when the rules change.
    ``use=False`` (``--no-cache``) reads and writes nothing.

    Many pairs of files give the same summary (a commit that changes a body but no
    task; CPython since 2022-11: 326 different summaries for 757 pairs), so each
    different summary is stored once and the pairs name it by index (there: 9 MB of
    JSON instead of 20), and a summary read once is one object for all its pairs.
    """

    def __init__(self, fingerprint: str, use: bool = True):
        self.fingerprint = fingerprint
        self.use = use
        self.entries: dict[str, dict[str, Any]] = {}
        self.dropped: str | None = None  # why a stored entry was not used
        if use:
            data = cache.read("history", self.name())
            if isinstance(data, dict) and data.get("fingerprint") == fingerprint:
                self.entries = _unpack(data)
            elif isinstance(data, dict):
                self.dropped = "the rules changed since it was made"
        self.dirty = False

    @staticmethod
    def name() -> str:
        return f"summaries-{CACHE_VERSION}"

    def full_scan(self, bc: str, opt: str | None) -> dict[str, Any] | None:
        """The summary of a full scan of the pair another command stored, if any."""
        if not self.use:
            return None
        stored = scancache.load(bc, opt, rules=self.fingerprint)
        return _summary_of_stored(stored) if stored is not None else None

    def save(self) -> None:
        if not self.use or not self.dirty:
            return
        cache.write("history", self.name(), {"fingerprint": self.fingerprint, **_pack(self.entries)})
        self.dirty = False


def _pack(entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each different summary once, and the pairs by index."""
    import json

    index: dict[str, int] = {}
    by_object: dict[int, int] = {}  # summaries read from the cache are shared objects
    summaries: list[dict[str, Any]] = []
    pairs: dict[str, int] = {}
    for key, summary in entries.items():
        i = by_object.get(id(summary))
        if i is None:
            text = json.dumps(summary, sort_keys=True, separators=(",", ":"))
            i = index.get(text)
            if i is None:
                i = index[text] = len(summaries)
                summaries.append(summary)
            by_object[id(summary)] = i
        pairs[key] = i
    return {"summaries": summaries, "pairs": pairs}


def _unpack(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    summaries, pairs = data.get("summaries"), data.get("pairs")
    if not isinstance(summaries, list) or not isinstance(pairs, dict):
        return {}
    try:
        return {key: summaries[i] for key, i in pairs.items()}
    except (IndexError, TypeError):
        return {}


def _key(pair: tuple[str | None, str | None]) -> str | None:
    bc, opt = pair
    return f"{bc}:{opt or '-'}" if bc else None


# --------------------------------------------------------------------------- the walk


def walk(directory: str | os.PathLike[str], *, since: str | None = None, until: str | None = None,
         use_cache: bool = True, scanner: Scanner | None = None,
         fingerprint: str | None = None, jobs: int | None = None,
         progress: Progress | None = None, mailmap: str | None = None,
         campaigns: dict[int, str] | None = None) -> WalkResult:
    """Scan every revision that changed the definitions and credit what each one finished."""
    repo = repository_root(directory)
    since, until = check_date(since, "--since"), check_date(until, "--until")
    if scanner is None:  # the rules are imported only when there is something to scan
        fingerprint = fingerprint or rules_fingerprint()
    cache = Summaries(fingerprint or str(getattr(scanner, "__qualname__", "custom")), use_cache)
    result = WalkResult(repo, [], [], fingerprint=cache.fingerprint)
    if cache.dropped:
        result.notes.append(f"stored scan summaries not used: {cache.dropped}; rescanning")
    if git.run(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
        result.notes.append("shallow clone: history starts where the clone does")

    revs = list_revisions(repo, since, until, mailmap=mailmap)
    walked = {r.revision for r in revs}
    baseline = [p for r in revs for p in r.parents if p not in walked]
    pairs = resolve_blobs(repo, [r.revision for r in revs] + list(dict.fromkeys(baseline)))
    keys = {rev: _key(pair) for rev, pair in pairs.items()}

    todo: dict[str, tuple[str, str]] = {}  # key -> (revision, date) it is first seen at
    dates = {r.revision: r.date for r in revs}
    for rev, key in keys.items():
        if key is None or key in cache.entries or key in todo:
            continue
        stored = cache.full_scan(*pairs[rev])  # type: ignore[arg-type]
        if stored is not None:  # scanned in full before, by another command
            cache.entries[key] = stored
            cache.dirty = True
            continue
        todo[key] = (rev, dates.get(rev, ""))
    result.cached = len({k for k in keys.values() if k is not None}) - len(todo)

    def keep(key: Any, summary: dict[str, Any]) -> None:
        cache.entries[key] = summary
        cache.dirty = True

    if todo and scanner is None:
        scanner = default_scanner()
    try:
        with git.BlobReader(repo) as reader:
            def inputs():
                for key, (rev, date) in todo.items():
                    bc, opt = pairs[rev]
                    yield key, lambda rev=rev, date=date, bc=bc, opt=opt: (
                        scanner, rev, date, reader.read(bc), reader.read(opt) if opt else None)

            scanpool.run(scan_blobs, inputs(), len(todo), keep, jobs=jobs, progress=progress)
    finally:
        cache.save()  # an interrupted walk keeps what it scanned
    result.scanned = len(todo)

    summaries = _Summaries(cache.entries, keys, {r.revision: r.parents for r in revs})
    tables: dict[int, dict[str, tuple[str, str]]] = {}  # by id() of a summary, made once each

    def table(entry: dict[str, Any]) -> dict[str, tuple[str, str]]:
        found = tables.get(id(entry))
        if found is None:
            found = tables[id(entry)] = _status_table(entry)
        return found

    for r in revs:
        key = keys.get(r.revision)
        entry = cache.entries.get(key) if key else None
        error = (entry or {}).get("error") if key else f"no {BYTECODES} at this revision"
        moved: dict[str, list[str]] = {"done": [], "removed": [], "opened": [], "reopened": []}
        if error is None and entry is not None:
            before = [b for b in (summaries.of(p) for p in r.parents) if b is not None]
            if before:
                for change in _changes(before, entry, r.revision, table):
                    if change.what in moved:
                        moved[change.what].append(change.task_id)
        else:
            result.errors += 1
        result.revisions.append({
            "revision": r.revision,
            "date": r.date,
            "author": r.author,
            "email": r.email,
            "subject": r.subject,
            "pr": pr_of(r.subject) or pr_of(r.message),
            "issues": issues_of(r.message),
            "error": error,
            "counts": (entry or {}).get("counts", {}) if error is None else {},
            "flipped": sorted(moved["done"]),  # done here (the name older records use)
            "removed": sorted(moved["removed"]),
            "opened": sorted(moved["opened"]),
            "reopened": sorted(moved["reopened"]),
        })
    result.contributors = contributors(result.revisions, campaigns)
    return result


def _status_table(entry: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """id -> (status, what is known of open work: uop, difficulty, users)."""
    about = entry.get("about") or {}
    table = {i: ("done", "") for i in entry.get("done", [])}
    for i in entry.get("blocked", []):
        table[i] = ("blocked", "")
    for i in entry.get("open", []):
        table[i] = ("open", about.get(i, ""))
    return table


def _tasks(entry: dict[str, Any], ids: set[str], table: dict[str, tuple[str, str]]) -> list[Task]:
    about = entry.get("about") or {}
    out = []
    for i in ids:
        if i not in table:
            continue
        status = table[i][0]
        uop, difficulty, users = ((about.get(i) or "") + "\t\t").split("\t")[:3]
        out.append(Task(i, i.split(":", 1)[0], "", uop or None, [], status=status,
                        difficulty=(difficulty or "easy") if status == "open" else "easy",
                        recipe={"users": users.split()} if users else {}))
    return out


def _changes(before: list[dict[str, Any]], after: dict[str, Any], revision: str,
             table: Callable[[dict[str, Any]], dict[str, tuple[str, str]]] = _status_table) -> list:
    """What moved between the parents' summaries and a revision's, by tracker.changes.

    Only the tasks whose status or difficulty differ are handed over: compare's answer
    for the others is "nothing" (and the names of the tree come whole from the summary).
    """
    if len(before) == 1 and before[0] is after:  # the same pair of files
        return []
    merged: dict[str, tuple[str, str]] = {}
    source: dict[str, dict[str, Any]] = {}
    for b in before:  # a merge: the first parent's status, but done in any parent is done
        for i, st in table(b).items():
            if i not in merged or (st[0] == "done" and merged[i][0] != "done"):
                merged[i], source[i] = st, b
    now = table(after)
    differ = {i for i, st in now.items() if merged.get(i) != st}
    differ.update(i for i in merged if i not in now)
    if not differ:
        return []
    old_tasks = [t for b in before for t in _tasks(b, {i for i in differ if source.get(i) is b}, merged)]
    new_tasks = _tasks(after, differ, now)
    return compare(TaskSet({}, old_tasks), TaskSet({}, new_tasks), exists=after.get("names") or [],
                   revision=revision)


class _Summaries:
    """The summary at a revision; one that did not parse has its first parent's."""

    def __init__(self, entries: dict[str, dict[str, Any]], keys: dict[str, str | None],
                 parents: dict[str, list[str]]):
        self._entries, self._keys, self._parents = entries, keys, parents
        self._memo: dict[str, dict[str, Any] | None] = {}

    def of(self, rev: str) -> dict[str, Any] | None:
        chain: list[str] = []
        found: dict[str, Any] | None = None
        while True:
            if rev in self._memo:
                found = self._memo[rev]
                break
            key = self._keys.get(rev)
            entry = self._entries.get(key) if key else None
            if entry is not None and entry.get("error") is None:
                found = self._memo[rev] = entry
                break
            chain.append(rev)
            parents = self._parents.get(rev)
            if not parents:
                break
            rev = parents[0]
        for r in chain:
            self._memo[r] = found
        return found


# --------------------------------------------------------------------------- recording


def _when(date: str) -> datetime:
    try:
        return datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min


def merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Revisions of both walks of one repository, newer results winning, oldest first."""
    by_rev = {r["revision"]: r for r in old}
    order = {r["revision"]: i for i, r in enumerate(old)}
    for r in new:
        by_rev[r["revision"]] = r
    new_order = {r["revision"]: i for i, r in enumerate(new)}
    return sorted(by_rev.values(), key=lambda r: (_when(r["date"]), new_order.get(r["revision"], -1),
                                                   order.get(r["revision"], -1)))


def tracked_issues(repository: str = "python/cpython") -> list[Any]:
    """The campaigns' issues ``data/tracking.yaml`` adopts in CPython (tracking, follow-up,
    predecessor, item), primary ones first within each kind."""
    from .campaign import tracking

    return tracking.campaign(repository)


def tracked_campaigns(repository: str = "python/cpython") -> dict[int, str]:
    """Issue number -> kind, for every issue of :func:`tracked_issues`."""
    out: dict[int, str] = {}
    for t in tracked_issues(repository):
        out.setdefault(t.number, t.kind)
    return out


def record(store: Any, directory: str | os.PathLike[str], **kwargs: Any) -> WalkResult:
    """Walk, then merge the result into ``store`` (a tracker.store.Store)."""
    if kwargs.get("campaigns") is None:
        kwargs["campaigns"] = tracked_campaigns()
    result = walk(directory, **kwargs)
    recorded = store.history_file
    old = recorded.load()
    revisions = result.revisions
    if old.get("repository") == result.repository and old.get("rules") == result.fingerprint:
        revisions = merge(old["revisions"], revisions)  # else older counts came from other rules
    result.revisions = revisions
    result.contributors = contributors(revisions, kwargs["campaigns"])
    recorded.record(result.repository, revisions, result.contributors,
                    since=kwargs.get("since"), until=kwargs.get("until"), rules=result.fingerprint)
    return result
