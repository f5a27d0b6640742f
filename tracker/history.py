"""Progress over git history: scan every revision that changed the definitions.

The walk lists the revisions that touched ``Python/bytecodes.c`` or
``Python/optimizer_bytecodes.c`` (and their parents, to know what each one changed),
finds the blob ids of both files at each with one ``git cat-file --batch-check``, and
reads the blobs it has not seen with one long-running ``git cat-file --batch``. Results
are cached per pair of blob ids (plus a fingerprint of the rules), so a rerun scans only
what is new; a cold walk spreads the scans over the machine's cores.

From the same walk, each task that went from open to done is credited to the author of
the revision where it did, with the PR or issue number from the commit message.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from . import scancache
from .errors import TrackerError, UsageError
from .contributors import contributors, issues_of, pr_of
from .sources import BYTECODES, OPTIMIZER, SourceSet, SourceText, decode
from .tasks import TaskSet

CACHE_VERSION = 1
Scanner = Callable[[SourceSet], TaskSet]
Progress = Callable[[int, int], None]  # (scanned so far, to scan)

# Below this many scans a process pool costs more than it saves.
POOL_THRESHOLD = 8



@dataclass
class Revision:
    revision: str
    parents: list[str]
    date: str  # committer date, ISO 8601 (what --since/--until filter on)
    author: str
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


# --------------------------------------------------------------------------- git


def _git(repo: str, *args: str, input: str | None = None) -> str:
    try:
        out = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                             input=input, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise TrackerError(f"cannot run git: {exc.strerror}", hint="install git") from None
    if out.returncode != 0:
        raise TrackerError(f"git {args[0]} failed in {repo}: {out.stderr.strip()}")
    return out.stdout


def repository_root(directory: str | os.PathLike[str]) -> str:
    """The work tree's top directory, or the git directory of a bare clone (a mirror)."""
    d = Path(directory)
    if not d.is_dir():
        raise UsageError(f"{directory}: no such directory")
    out = subprocess.run(["git", "-C", str(d), "rev-parse", "--is-bare-repository", "--show-toplevel"],
                         capture_output=True, text=True)
    lines = out.stdout.split("\n")
    if lines[0] == "true":  # git answers the first question, then refuses the second
        return str(d.resolve())
    if out.returncode != 0 or len(lines) < 2 or not lines[1]:
        raise UsageError(f"{directory}: not a git repository",
                         hint="history reads the revisions of a CPython clone (git clone, not a tarball)")
    return lines[1].strip()


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
    out = _git(repo, *args)
    revs = []
    for record in out.split("\x1e")[1:]:
        sha, parents, date, author, email, message = record.split("\x1f", 5)
        revs.append(Revision(sha, parents.split(), date, author, email, message.strip()))
    return revs


def resolve_blobs(repo: str, revisions: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(bytecodes blob, optimizer blob) at each revision, None where a file is absent."""
    revisions = list(revisions)
    if not revisions:
        return {}
    lines = [f"{r}:{p}" for r in revisions for p in (BYTECODES, OPTIMIZER)]
    out = _git(repo, "cat-file", "--batch-check=%(objectname) %(objecttype)",
               input="\n".join(lines) + "\n").splitlines()
    if len(out) != len(lines):
        raise TrackerError(f"git cat-file gave {len(out)} answers for {len(lines)} questions in {repo}")
    result = {}
    for i, r in enumerate(revisions):
        pair = []
        for answer in out[2 * i : 2 * i + 2]:
            parts = answer.split()
            pair.append(parts[0] if len(parts) == 2 and parts[1] == "blob" else None)
        result[r] = (pair[0], pair[1])
    return result


class BlobReader:
    """One ``git cat-file --batch`` process answering blob ids for a whole walk."""

    def __init__(self, repo: str, keep: int = 16):
        self._proc = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._recent: OrderedDict[str, bytes] = OrderedDict()  # the optimizer blob rarely changes
        self._keep = keep
        self.reads = 0

    def read(self, oid: str) -> bytes:
        if oid in self._recent:
            self._recent.move_to_end(oid)
            return self._recent[oid]
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(oid.encode() + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise TrackerError(f"git cat-file: cannot read blob {oid}")
        size = int(header[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)  # the newline after each object
        self.reads += 1
        self._recent[oid] = data
        if len(self._recent) > self._keep:
            self._recent.popitem(last=False)
        return data

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# --------------------------------------------------------------------------- scanning


def default_scanner() -> Scanner:
    from .rules import scan

    return scan


def rules_fingerprint() -> str:
    """A hash of everything a scan's result depends on (shared with the scan cache)."""
    return scancache.fingerprint()


def summarize(ts: TaskSet) -> dict[str, Any]:
    """What the cache keeps of a scan: counts per kind and the ids by status."""
    return scancache.summary_of((t.id, t.kind, t.status) for t in ts.tasks)


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


class ScanCache:
    """Scan summaries by ``<bytecodes blob>:<optimizer blob>``, in a JSON file.

    The summaries of a whole walk are read and written at once (a walk needs them all);
    a pair missing there is looked up among the full scans of :mod:`tracker.scancache`
    (what ``tasks`` or ``scan`` stored for a checkout) before it is scanned.
    """

    def __init__(self, path: Path | None, fingerprint: str):
        self.path = path
        self.fingerprint = fingerprint
        self.entries: dict[str, dict[str, Any]] = {}
        self.dropped: str | None = None  # why an existing cache was not used
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") != CACHE_VERSION or data.get("fingerprint") != fingerprint:
                    self.dropped = "the rules changed since it was made"
                else:
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.dropped = "it was unreadable"
        self.dirty = False

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        from .store import atomic_write

        atomic_write(self.path, json.dumps({"version": CACHE_VERSION, "fingerprint": self.fingerprint,
                                            "entries": self.entries}, separators=(",", ":")))
        self.dirty = False


def default_cache_path() -> Path:
    """History's summaries, in the user cache directory beside the full scans."""
    return Path(scancache.directory()) / "history.json"


def _key(pair: tuple[str | None, str | None]) -> str | None:
    bc, opt = pair
    return f"{bc}:{opt or '-'}" if bc else None


# --------------------------------------------------------------------------- the walk


def walk(directory: str | os.PathLike[str], *, since: str | None = None, until: str | None = None,
         cache_path: Path | None = None, scanner: Scanner | None = None,
         fingerprint: str | None = None, jobs: int | None = None,
         progress: Progress | None = None, mailmap: str | None = None,
         campaigns: dict[int, str] | None = None) -> WalkResult:
    """Scan every revision that changed the definitions and credit what each one finished."""
    repo = repository_root(directory)
    since, until = check_date(since, "--since"), check_date(until, "--until")
    if scanner is None:
        scanner = default_scanner()
        fingerprint = fingerprint or rules_fingerprint()
    cache = ScanCache(cache_path, fingerprint or getattr(scanner, "__qualname__", "custom"))
    result = WalkResult(repo, [], [], fingerprint=cache.fingerprint)
    if cache.dropped:
        result.notes.append(f"scan cache {cache_path} not used: {cache.dropped}; rescanning")
    if _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
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
        bc, opt = pairs[rev]
        use_full = cache.path is not None  # no cache at all: scan everything
        stored = scancache.load_summary(bc, opt, rules=cache.fingerprint) if use_full else None
        if stored is not None:  # scanned in full before, by another command
            cache.entries[key] = stored
            cache.dirty = True
            continue
        todo[key] = (rev, dates.get(rev, ""))
    result.cached = len({k for k in keys.values() if k is not None}) - len(todo)
    try:
        _scan_all(repo, todo, pairs, cache, scanner, jobs, progress)
    finally:
        cache.save()
    result.scanned = len(todo)

    statuses = _Statuses(cache, keys, {r.revision: r.parents for r in revs})
    for r in revs:
        key = keys.get(r.revision)
        entry = cache.entries.get(key) if key else None
        error = (entry or {}).get("error") if key else f"no {BYTECODES} at this revision"
        flipped: list[str] = []
        if error is None and entry is not None:
            now = statuses.of(r.revision)
            before = [b for b in (statuses.of(p) for p in r.parents) if b is not None]
            if now is not None and before:
                done_before = frozenset().union(*(b[1] for b in before))
                todo_before = frozenset().union(*(b[0] for b in before))
                flipped = list((now[1] - done_before) & todo_before)
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
            "flipped": sorted(flipped),
        })
    result.contributors = contributors(result.revisions, campaigns)
    return result


_Sets = tuple[frozenset, frozenset]


class _Statuses:
    """Task statuses at a revision; one that did not parse inherits its first parent's."""

    def __init__(self, cache: ScanCache, keys: dict[str, str | None], parents: dict[str, list[str]]):
        self._cache, self._keys, self._parents = cache, keys, parents
        self._memo: dict[str, _Sets | None] = {}
        self._by_key: dict[str, _Sets] = {}

    def of(self, rev: str) -> "_Sets | None":
        """(ids not done: open or blocked, ids done), or None when unknown."""
        chain: list[str] = []
        found: _Sets | None = None
        while True:
            if rev in self._memo:
                found = self._memo[rev]
                break
            key = self._keys.get(rev)
            entry = self._cache.entries.get(key) if key else None
            if key and entry is not None and entry.get("error") is None:
                found = self._by_key.get(key)
                if found is None:
                    found = (frozenset(entry.get("open", [])) | frozenset(entry.get("blocked", [])),
                             frozenset(entry.get("done", [])))
                    self._by_key[key] = found
                self._memo[rev] = found
                break
            chain.append(rev)
            parents = self._parents.get(rev)
            if not parents:
                break
            rev = parents[0]
        for r in chain:
            self._memo[r] = found
        return found


def _scan_all(repo: str, todo: dict[str, tuple[str, str]], pairs: dict[str, tuple[str | None, str | None]],
              cache: ScanCache, scanner: Scanner, jobs: int | None,
              progress: Progress | None) -> None:
    total = len(todo)
    if progress:
        progress(0, total)
    if not total:
        return
    jobs = jobs or os.cpu_count() or 1
    done = 0
    with BlobReader(repo) as reader:
        def args_of(key: str) -> tuple:
            rev, date = todo[key]
            bc, opt = pairs[rev]
            return (scanner, rev, date, reader.read(bc), reader.read(opt) if opt else None)  # type: ignore[arg-type]

        if jobs <= 1 or total < POOL_THRESHOLD:
            for key in todo:
                cache.entries[key] = scan_blobs(*args_of(key))
                cache.dirty = True
                done += 1
                if progress:
                    progress(done, total)
            return
        ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            pending: dict[Future, str] = {}
            queue = iter(todo)
            limit = jobs * 4  # bounded: blobs of a long walk are not all held in memory
            for key in queue:
                pending[pool.submit(scan_blobs, *args_of(key))] = key
                if len(pending) < limit:
                    continue
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    cache.entries[pending.pop(fut)] = fut.result()
                    cache.dirty = True
                    done += 1
                    if progress:
                        progress(done, total)
            for fut in list(pending):
                cache.entries[pending.pop(fut)] = fut.result()
                cache.dirty = True
                done += 1
                if progress:
                    progress(done, total)


# --------------------------------------------------------------------------- credit


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


def tracked_campaigns(repository: str = "python/cpython") -> dict[int, str]:
    """Tracking issue -> kind, for the issues ``data/tracking.yaml`` adopts in CPython."""
    from .campaign import tracking

    kinds = tracking.load().get(repository.lower(), {})
    return {number: kind for kind, number in kinds.items() if isinstance(number, int)}


def record(store: Any, directory: str | os.PathLike[str], **kwargs: Any) -> WalkResult:
    """Walk, then merge the result into ``store`` (a tracker.store.Store)."""
    kwargs.setdefault("cache_path", default_cache_path())
    if kwargs.get("campaigns") is None:
        kwargs["campaigns"] = tracked_campaigns()
    result = walk(directory, **kwargs)
    old = store.load_history()
    revisions = result.revisions
    if old.get("repository") == result.repository and old.get("rules") == result.fingerprint:
        revisions = merge(old["revisions"], revisions)  # else older counts came from other rules
    result.revisions = revisions
    result.contributors = contributors(revisions, kwargs["campaigns"])
    store.record_history(result.repository, revisions, result.contributors,
                         since=kwargs.get("since"), until=kwargs.get("until"), rules=result.fingerprint)
    return result
