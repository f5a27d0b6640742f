"""The listing cache: the text ``tasks --json|--format yaml`` printed, kept by all it came from.

A listing of a checkout is a function of the two files' contents (their blob ids, as the
scan cache keys a scan), where they are and what revision they are at (the
``source``), the execution counts it is weighed by (the bundled report or a file), the
state file (claims, pull requests, checklist marks), the options, and the code and data
that make it (every ``.py`` file of the package and every file under ``data/``, by
modification time and size). When all of these are as they were, the text printed last
time is printed again: a warm listing then loads neither the task model nor the
execution counts nor the state. Anything not known to be the same (a report from a URL,
--no-cache, --github, no CPYTHON_DIR, a table) makes no entry.

Only stdout is kept with the notices that do not age (the execution counts' coverage);
the line saying what is shown is made again, since it tells the data's age in days.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from ..sources import SourceSet

# The options a listing's text depends on (the source and --stats/--state come in apart).
OPTIONS = ("format", "kind", "status", "difficulty", "ready", "ids", "sort")
MAX_LISTINGS = 8  # ~0.4 MB each, in a cache of 48 entries


def _stat(path: str) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def code_signature() -> list:
    """Modification time and size of every file of the package and its data."""
    from ..paths import DATA_DIR

    sig = []
    for top in (os.path.dirname(os.path.dirname(os.path.abspath(__file__))), str(DATA_DIR)):
        for dirpath, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for n in sorted(names):
                if n.endswith(".pyc"):
                    continue
                path = os.path.join(dirpath, n)
                sig.append([path, _stat(path)])
    return sig


def key(args: argparse.Namespace, srcs: SourceSet) -> list | None:
    """Everything the listing of ``srcs`` depends on, or None when it cannot be known."""
    if getattr(args, "format", None) not in ("json", "yaml") or srcs.origin.startswith("git:"):
        return None
    stats = getattr(args, "stats", None)
    if stats and "://" in stats:
        return None  # a report from a URL may change under the same name
    from ..scancache import display_names, entry_name
    from ..paths import state_path

    state = os.path.expanduser(args.state) if getattr(args, "state", None) else state_path()
    return [entry_name(*srcs.blob_ids()), display_names(srcs), srcs.provenance(),
            [stats, _stat(stats) if stats else None], [os.path.abspath(state), _stat(state)],
            [[o, getattr(args, o, None)] for o in OPTIONS], code_signature()]


def _name(k: list) -> str:
    from ..digest import sha1

    from ..diskcache import tag

    return f"listing-{tag()}-{sha1(repr(k).encode()).hexdigest()}"


def load(k: list) -> dict | None:
    """The stored listing (``text``, ``source``, ``notices``) made under key ``k``."""
    from ..diskcache import read

    entry = read(_name(k))
    if not isinstance(entry, dict) or entry.get("key") != repr(k) or not isinstance(entry.get("text"), str):
        return None
    return entry


def store(k: list, text: str, source: dict[str, Any], notices: list[str]) -> bool:
    """Keep a listing; only the newest :data:`MAX_LISTINGS` stay, so that listings with
    many options do not push the scans (which ``history`` reuses) out of the cache."""
    from ..diskcache import directory, tag, write

    done = write(_name(k), {"key": repr(k), "text": text, "source": source, "notices": list(notices)})
    folder = directory()
    try:
        names = [n for n in os.listdir(folder) if n.startswith(f"listing-{tag()}-")]
        if len(names) > MAX_LISTINGS:
            paths = sorted((os.path.join(folder, n) for n in names), key=os.path.getmtime, reverse=True)
            for path in paths[MAX_LISTINGS:]:
                os.unlink(path)
    except OSError:
        pass
    return done
