"""Snapshots: the facts of one scan as YAML, and the one bundled with jit-tracker.

A snapshot lets every command work on a fresh machine with no CPython clone and no
network: it holds tasks, statuses, locations and instruction facts, plus where they came
from (repository, file paths, revision, date). It never holds CPython's source text, so
task excerpts are dropped on the way out.
"""

from __future__ import annotations

import os
from hashlib import sha256
from pathlib import Path
from typing import Any

from . import cache
from .errors import DataError, UsageError
from .paths import DATA_DIR
from .sources import strip_root
from .tasks import TaskSet

FORMAT = "jit-tracker-snapshot"
VERSION = 1

# The shipped snapshot, in data/ of a checkout or inside an installed package.
BUNDLED = DATA_DIR / "snapshots" / "cpython-main.yaml"



def _yaml() -> tuple[Any, Any, Any]:
    """PyYAML with libyaml's loader and dumper when it has them."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader, yaml.CSafeDumper
    except AttributeError:  # pragma: no cover
        return yaml, yaml.SafeLoader, yaml.SafeDumper


def to_data(taskset: TaskSet, provenance: dict[str, Any] | None = None) -> dict[str, Any]:
    """The snapshot document of ``taskset``: facts only, paths relative to the checkout."""
    source = dict(taskset.source)
    if provenance:
        source.update(provenance)
    root = source.get("origin")
    from datetime import datetime, timezone

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
        **({"uops": list(taskset.uops)} if taskset.uops is not None else {}),
    }


def dump(taskset: TaskSet, provenance: dict[str, Any] | None = None) -> str:
    header = ("# jit-tracker snapshot: facts of one scan of CPython's instruction definitions\n"
              "# (task ids, statuses, locations, instruction facts; no CPython source text).\n")
    yaml, _, dumper = _yaml()
    return header + yaml.dump(to_data(taskset, provenance), Dumper=dumper, sort_keys=False,
                              allow_unicode=True, default_flow_style=False, width=100)


def write(taskset: TaskSet, path: str | os.PathLike[str],
          provenance: dict[str, Any] | None = None) -> Path:
    from .atomic import write_text

    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{out}: is a directory; --out takes a file name")
    write_text(out, dump(taskset, provenance))
    return out


def load(path: str | os.PathLike[str], use_cache: bool = True) -> TaskSet:
    """Read a snapshot; anything wrong with it is a DataError saying where.

    A snapshot is parsed once: its document is then kept in the user cache by the
    sha256 of its bytes (the ``data`` kind of :mod:`tracker.cache`), as JSON, which
    loads twenty times faster than the ~0.4 MB of YAML of the bundled one.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{p}: no such snapshot") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read snapshot: {exc}") from None
    key = f"snapshot-{VERSION}-{sha256(raw).hexdigest()}"
    kept = cache.read("data", key) if use_cache else None
    fresh = not (isinstance(kept, dict) and isinstance(kept.get("tasks"), list))
    data: dict[str, Any] = _parse(p, raw) if fresh or not isinstance(kept, dict) else kept
    try:
        ts = TaskSet.from_json(data)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{p}: malformed task: {exc}") from None
    if fresh and use_cache:
        cache.write("data", key, data)
    ts.source.setdefault("snapshot", str(p))
    return ts


def _parse(p: Path, raw: bytes) -> dict[str, Any]:
    """The checked document of a snapshot file."""
    yaml, loader, _ = _yaml()
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: cannot read snapshot: {exc}") from None
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
    return data


def load_bundled(use_cache: bool = True) -> TaskSet:
    """The snapshot shipped in data/snapshots/, made from a real CPython tree."""
    if not BUNDLED.exists():
        raise DataError(
            f"the bundled snapshot {BUNDLED} is missing",
            hint="pass a CPython checkout as CPYTHON_DIR, or regenerate it with scripts/make-snapshot",
        )
    ts = load(BUNDLED, use_cache)
    ts.source["snapshot"] = "bundled"
    return ts


def bundled_source() -> dict[str, Any]:
    """The bundled snapshot's provenance ({} when it cannot be read)."""
    try:
        return dict(load_bundled().source)
    except DataError:
        return {}


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

    from . import git

    revision, date = git.head(root)
    if revision and date:
        info["revision"], info["date"] = revision, date
    url = git.remote_url(root)
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
