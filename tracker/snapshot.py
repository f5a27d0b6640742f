"""Snapshots: the facts of one scan as YAML, and the one bundled with jit-tracker.

A snapshot lets every command work on a fresh machine with no CPython clone and no
network: it holds tasks, statuses, locations and instruction facts, plus where they came
from (repository, file paths, revision, date). It never holds CPython's source text, so
task excerpts are dropped on the way out.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, UsageError
from .paths import DATA_DIR
from .sources import strip_root
from .tasks import TaskSet

FORMAT = "jit-tracker-snapshot"
VERSION = 1

# The shipped snapshot, in data/ of a checkout or inside an installed package.
BUNDLED = DATA_DIR / "snapshots" / "cpython-main.yaml"

try:
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Loader, _Dumper = yaml.SafeLoader, yaml.SafeDumper


def to_data(taskset: TaskSet, provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    """The snapshot document of ``taskset``: facts only, paths relative to the checkout."""
    source = dict(taskset.source)
    if provenance:
        source.update(provenance)
    root = source.get("origin")
    source.setdefault("generated", datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    for key in ("bytecodes", "optimizer"):
        if source.get(key):
            source[key] = _relative(source[key], root)
    if root and os.path.isdir(str(root)):
        source["origin"] = Path(str(root)).name  # no local paths in a shipped file
    tasks = [_scrub(t.to_json(with_excerpt=False), root) for t in taskset.tasks]
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": source,
        "counts": taskset.counts(),
        "tasks": tasks,
        "instructions": _scrub(list(taskset.instructions), root),
    }


def dump(taskset: TaskSet, provenance: dict[str, Any] | None = None) -> str:
    header = ("# jit-tracker snapshot: facts of one scan of CPython's instruction definitions\n"
              "# (task ids, statuses, locations, instruction facts; no CPython source text).\n")
    return header + yaml.dump(to_data(taskset, provenance), Dumper=_Dumper, sort_keys=False,
                              allow_unicode=True, default_flow_style=False, width=100)


def write(taskset: TaskSet, path: str | os.PathLike[str],
          provenance: dict[str, Any] | None = None) -> Path:
    from .store import atomic_write

    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out}: is a directory; --out takes a file name")
    atomic_write(out, dump(taskset, provenance))
    return out


def load(path: str | os.PathLike[str]) -> TaskSet:
    """Read a snapshot; anything wrong with it is a DataError saying where."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{p}: no such snapshot") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: cannot read snapshot: {exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}:{mark.column + 1}" if mark else str(p)
        raise DataError(f"{where}: broken snapshot: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(f"{p}: not a jit-tracker snapshot (no 'format: {FORMAT}')")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise DataError(f"{p}: snapshot version {data.get('version')!r} is newer than this "
                        f"jit-tracker reads ({VERSION}); upgrade jit-tracker")
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        raise DataError(f"{p}: 'tasks' must be a list")
    for i, t in enumerate(tasks):
        if not isinstance(t, dict) or not {"id", "kind", "title"} <= set(t):
            raise DataError(f"{p}: task #{i + 1} needs at least 'id', 'kind' and 'title'")
    try:
        ts = TaskSet.from_json(data)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{p}: malformed task: {exc}") from None
    ts.source.setdefault("snapshot", str(p))
    return ts


def load_bundled() -> TaskSet:
    """The snapshot shipped in data/snapshots/, made from a real CPython tree."""
    if not BUNDLED.exists():
        raise DataError(
            f"the bundled snapshot {BUNDLED} is missing",
            hint="pass a CPython checkout as CPYTHON_DIR, or regenerate it with scripts/make-snapshot",
        )
    ts = load(BUNDLED)
    ts.source["snapshot"] = "bundled"
    return ts


def bundled_source() -> dict[str, Any]:
    """The bundled snapshot's provenance, read from the file's head only (cheap).

    Deciding whether a cached live scan is newer must not cost loading every task.
    """
    head = []
    try:
        with BUNDLED.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("counts:"):
                    break
                head.append(line)
                if len(head) > 200:
                    break
        data = yaml.load("".join(head), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return {}
    source = data.get("source") if isinstance(data, dict) else None
    return dict(source, snapshot="bundled") if isinstance(source, dict) else {}


def bundled_notice(taskset: TaskSet | None = None) -> str:
    """The one line commands print on stderr when they fall back to the bundled snapshot."""
    from .provenance import describe

    src = (taskset.source if taskset is not None else bundled_source()) or {}
    return (f"jit-tracker: {describe(src)}; no CPYTHON_DIR given "
            "(`jit-tracker update` fetches today's CPython from GitHub)")


def provenance_of(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """Repository URL, revision and commit date of a checkout, from git when it is one."""
    info: dict[str, Any] = {}
    root = str(directory)

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    rev = git("log", "-1", "--format=%H %cI")
    if rev and " " in rev:
        info["revision"], info["date"] = rev.split(" ", 1)
    url = git("remote", "get-url", "origin")
    if url and "://" in url and "@" not in url.split("://", 1)[1].split("/", 1)[0]:
        info["repository"] = url  # only public-looking URLs, never credentials
    return info


def _scrub(value: Any, root: Any) -> Any:
    """``value`` with every path inside the checkout made relative to it (no local paths)."""
    if not root or not os.path.isdir(str(root)):
        return value
    return strip_root(value, str(root))


def _relative(path: str, root: Any) -> str:
    if root:
        try:
            return Path(path).resolve().relative_to(Path(str(root)).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)
