"""``jit-tracker snapshot``: save the facts of a scan, for offline use and shipping."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from .common import add_source_args, require_sources


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "snapshot", help="write the facts of a scan (tasks, statuses, locations) as YAML",
        description="Scan CPYTHON_DIR and write its tasks, statuses, locations, instruction "
        "facts and provenance (repository, file paths, revision, date) to FILE. No CPython "
        "source text is written. data/snapshots/cpython-main.yaml, the snapshot every "
        "command falls back to, is made this way (scripts/make-snapshot).",
    )
    add_source_args(p, required=False)
    p.add_argument("--out", metavar="FILE", required=True, help="where to write the snapshot ('-' for stdout)")
    p.add_argument("--repository", metavar="URL", help="record this public URL as the source repository")
    p.add_argument("--note", metavar="TEXT", help="a provenance note (what tree this is)")
    p.add_argument("--ref", metavar="NAME", help="the branch the tree is from (e.g. main)")
    p.add_argument("--revision", metavar="SHA",
                   help="CPython's own commit of the tree, when git cannot say (an exported tree)")
    p.add_argument("--date", metavar="ISO", help="the tree's commit date, when git cannot say")
    p.add_argument("--repository-revision", metavar="SHA",
                   help="the commit of --repository holding the files, when that repository is "
                   "a copy and CPython's own commit is not known")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import snapshot
    from ..provenance import parse_date
    from .common import scan

    srcs = require_sources(args)
    ts = scan(args, srcs).taskset
    provenance = snapshot.provenance_of(srcs.origin) if args.cpython_dir else {}
    if srcs.revision:
        provenance.setdefault("revision", srcs.revision)
        provenance.setdefault("date", srcs.date)
    if srcs.repository:  # read from GitHub: the repository's public URL and the ref asked for
        api = (args.base_url or "https://api.github.com").rstrip("/")
        host = "https://github.com" if api == "https://api.github.com" else api.removesuffix("/api/v3")
        provenance["repository"] = f"{host}/{srcs.repository}"
        provenance["ref"] = srcs.ref
        ts.source.pop("blobs", None)
    if args.revision is not None and not _is_sha(args.revision):
        raise UsageError(f"--revision {args.revision!r}: expected a full commit id (40 hex digits)")
    for key in ("revision", "ref", "date", "repository_revision"):
        value = getattr(args, key)
        if value:
            if key == "date" and parse_date(value) is None:
                raise UsageError(f"--date {value!r}: expected an ISO date such as 2026-02-08T06:25:30Z")
            provenance[key] = value
    version = _python_version(args.cpython_dir) if args.cpython_dir else None
    if version:
        provenance["python_version"] = version
    if args.repository:
        provenance["repository"] = args.repository
    if args.note:
        provenance["note"] = args.note
    if args.out == "-":
        sys.stdout.write(snapshot.dump(ts, provenance))
        return 0
    out = snapshot.write(ts, args.out, provenance)
    counts = ts.counts()
    print(f"wrote {out}: {len(ts.tasks)} tasks ({counts['status'].get('open', 0)} open, "
          f"{counts['status'].get('done', 0)} done), {len(ts.instructions)} instructions")
    return 0


def _is_sha(text: str) -> bool:
    return len(text) == 40 and all(c in "0123456789abcdef" for c in text.lower())


def _python_version(directory: str) -> str | None:
    """PY_VERSION from Include/patchlevel.h, a fact that dates the tree."""
    path = Path(directory) / "Include" / "patchlevel.h"
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "#define" and parts[1] == "PY_VERSION":
                return parts[2].strip('"')
    except OSError:
        pass
    return None
