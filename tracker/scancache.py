"""The scan cache: results of scanning a pair of definition files, kept by their contents.

A scan depends only on the two files' contents and on the rules (parser, model, rules
and their data, see :func:`fingerprint`), so a result is stored under the files' git
blob ids (``sha1("blob <size>\\0" + bytes)``, what ``git`` and GitHub call the file) and
the rules' fingerprint. A rerun on unchanged sources loads it instead of scanning;
``history`` consults the same entries, and any other source that knows blob ids (a
git revision, GitHub's contents API) can reuse them. A result names its files
(``Python/bytecodes.c`` in any checkout, the path given to ``--bytecodes``), so an entry
made under other names is scanned again and replaced.

Entries live in the user cache directory (``$JIT_TRACKER_CACHE_DIR`` overrides it), one
file each, in :mod:`marshal` format behind a header with a checksum: loading one costs a
millisecond where YAML or JSON would cost tens. The cache is derived data: an entry
that is unreadable, corrupt, from other rules or another Python is ignored and
rewritten, and no failure to read or write it ever stops a command. Writes go to a
temporary file renamed into place; the oldest entries are removed past
:data:`MAX_ENTRIES`.
"""

from __future__ import annotations

import marshal
import os
import sys
from hashlib import sha1, sha256
from .sources import SourceSet

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

ENV_VAR = "JIT_TRACKER_CACHE_DIR"
FORMAT = 1  # bump when what an entry holds changes
MAX_ENTRIES = 48  # full scans are ~0.3 MB each
_MAGIC = b"jit-tracker-cache\n"
_TAG = sys.implementation.cache_tag or "py"  # marshal's format follows the interpreter

Report = "Callable[[str, float | None], None]"


def directory() -> str:
    """Where entries are kept: ``$JIT_TRACKER_CACHE_DIR``, else the user cache directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return os.path.expanduser(env)
    if sys.platform.startswith("linux"):
        # the XDG base directory rule, which is what platformdirs follows on Linux: it
        # costs ~15 ms to import, more than a whole listing from the cache
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "jit-tracker")
    import platformdirs

    return platformdirs.user_cache_dir("jit-tracker", appauthor=False)


_fingerprint: str | None = None


def fingerprint() -> str:
    """A hash of everything a scan's result depends on: parser, model, rules, rule data."""
    global _fingerprint
    if _fingerprint is None:
        from .paths import DATA_DIR

        root = os.path.dirname(os.path.abspath(__file__))
        files = [os.path.join(root, "model.py"), os.path.join(root, "tasks.py"),
                 os.path.join(root, "sources.py"),
                 os.path.join(str(DATA_DIR), "rules.yaml"), os.path.join(str(DATA_DIR), "curated.yaml")]
        for sub in ("dsl", "rules"):
            for dirpath, _dirs, names in os.walk(os.path.join(root, sub)):
                files += [os.path.join(dirpath, n) for n in names if n.endswith(".py")]
        h = sha256()
        for f in sorted(files, key=os.path.basename):
            try:
                with open(f, "rb") as fh:
                    h.update(os.path.basename(f).encode() + b"\0" + fh.read())
            except OSError:
                continue
        _fingerprint = h.hexdigest()[:16]
    return _fingerprint


# --------------------------------------------------------------------------- entries


def read(name: str) -> Any:
    """The value stored as ``name``, or None when absent, corrupt or not ours."""
    path = os.path.join(directory(), name)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    head = len(_MAGIC) + 20
    if len(data) < head or not data.startswith(_MAGIC) or sha1(data[head:]).digest() != data[len(_MAGIC):head]:
        return None
    try:
        return marshal.loads(data[head:])
    except (ValueError, EOFError, TypeError):
        return None


def write(name: str, value: Any) -> bool:
    """Store ``value`` as ``name`` (temporary file, then rename); False when it could not be."""
    folder = directory()
    path = os.path.join(folder, name)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        payload = marshal.dumps(value)
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + sha1(payload).digest() + payload)
        os.replace(tmp, path)
    except (OSError, ValueError):  # ValueError: a value marshal cannot hold
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    _prune(folder)
    return True


def _prune(folder: str) -> None:
    """Keep the newest MAX_ENTRIES entries (history's file aside); temporary files of
    dead writers go too."""
    try:
        names = [n for n in os.listdir(folder) if not n.startswith("history")]
        if len(names) <= MAX_ENTRIES:
            return
        paths = sorted((os.path.join(folder, n) for n in names), key=_mtime, reverse=True)
        for p in paths[MAX_ENTRIES:]:
            os.unlink(p)
    except OSError:
        pass


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def entry_tag() -> str:
    """What every entry's name starts with after its kind: the format and the interpreter."""
    return f"{FORMAT}-{_TAG}"


def entry_name(bytecodes_blob: str, optimizer_blob: str | None, rules: str | None = None) -> str:
    return f"scan-{entry_tag()}-{rules or fingerprint()}-{bytecodes_blob}-{optimizer_blob or 'none'}"


def load(bytecodes_blob: str, optimizer_blob: str | None, rules: str | None = None) -> dict | None:
    """The stored scan of this pair of blobs under these rules (default: the current ones).

    An entry is a dict: ``tasks`` and ``instructions`` (as in ``TaskSet.to_json``, with
    excerpts), ``counts`` (of definitions), ``names`` (the file names the paths in it
    use), ``revision`` and ``date`` (of the checkout it was last seen in).
    """
    key = [FORMAT, bytecodes_blob, optimizer_blob]
    entry = read(entry_name(bytecodes_blob, optimizer_blob, rules))
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("tasks"), list):
        return None
    return entry


def store(bytecodes_blob: str, optimizer_blob: str | None, entry: dict, rules: str | None = None) -> bool:
    entry = dict(entry, key=[FORMAT, bytecodes_blob, optimizer_blob])
    return write(entry_name(bytecodes_blob, optimizer_blob, rules), entry)


def checkout_head(root: Any) -> tuple[str | None, str | None]:
    """Revision and commit date of a checkout's HEAD, as ``sources.git_head`` tells them,
    without a git process when HEAD names a commit seen before (a commit's date never
    changes, so it is kept here by commit id)."""
    from .sources import git_head, head_revision

    revision = head_revision(root)
    if revision:
        date = read(f"commit-{revision}")
        if isinstance(date, str):
            return revision, date
    revision, date = git_head(root)
    if revision and date:
        write(f"commit-{revision}", date)
    return revision, date


# --------------------------------------------------------------------------- scanning


class Result:
    """A scan's tasks with the definition counts, and whether it came from the cache."""

    def __init__(self, taskset: Any, counts: dict[str, int], cached: bool):
        self.taskset, self.counts, self.cached = taskset, counts, cached


def display_names(srcs: SourceSet) -> list[str | None]:
    """The file names as a scan's results show them (relative inside a checkout)."""
    from .sources import strip_root

    names = [srcs.bytecodes.name, srcs.optimizer.name if srcs.optimizer else None]
    if srcs.origin != "files" and not srcs.origin.startswith("git:"):
        names = [strip_root(n, srcs.origin) if n else n for n in names]
    return names


def scan(srcs: SourceSet, use_cache: bool = True, report: Report | None = None) -> Result:
    """The tasks of ``srcs``: from the cache when these contents were scanned before."""
    from .tasks import TaskSet

    bc_blob = srcs.bytecodes.blob_id()
    opt_blob = srcs.optimizer.blob_id() if srcs.optimizer else None
    names = display_names(srcs)
    if use_cache:
        entry = load(bc_blob, opt_blob)
        # paths in a result name the files (Python/bytecodes.c in any checkout, a path as
        # given to --bytecodes): one stored under other names is scanned again
        if entry is not None and entry.get("names") == names:
            ts = TaskSet.from_json({"source": srcs.provenance(), "tasks": entry["tasks"],
                                    "instructions": entry["instructions"]})
            return Result(ts, dict(entry["counts"]), True)
    from . import model, rules

    if report:
        report(f"Parsing {srcs.bytecodes.name}…", 0.1)
    m = model.load(srcs)
    if report:
        report("Finding tasks…", 0.6)
    ts = rules.find_tasks(m)
    counts = definition_counts(m)
    if use_cache:
        data = ts.to_json(with_excerpt=True)
        store(bc_blob, opt_blob, {"tasks": data["tasks"], "instructions": ts.instructions,
                                  "counts": counts, "names": names})
    return Result(ts, counts, False)


def definition_counts(m: Any) -> dict[str, int]:
    """How many of each kind of definition a model holds (what ``scan`` prints)."""
    return {"instructions": len(m.instructions), "uops": len(m.uops), "families": len(m.families),
            "pseudos": len(m.pseudos), "labels": len(m.labels),
            "optimizer_cases": len(m.optimizer_cases)}


def summary_of(tasks: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """What ``history`` keeps of a scan, from (id, kind, status) of each task: counts per
    kind and status, and the ids by status."""
    from .kinds import KINDS

    counts = {k: {"open": 0, "done": 0, "blocked": 0} for k in KINDS}
    ids: dict[str, list[str]] = {"open": [], "done": [], "blocked": []}
    for task_id, kind, status in tasks:
        status = status if status in ids else "open"
        counts.setdefault(kind, {"open": 0, "done": 0, "blocked": 0})[status] += 1
        ids[status].append(task_id)
    return {"error": None, "counts": counts, **{k: sorted(v) for k, v in ids.items()}}


def load_summary(bytecodes_blob: str, optimizer_blob: str | None, rules: str | None = None) -> dict | None:
    """The history summary of a stored full scan of this pair, if there is one."""
    entry = load(bytecodes_blob, optimizer_blob, rules)
    if entry is None:
        return None
    return summary_of((t["id"], t["kind"], t.get("status", "open")) for t in entry["tasks"])
