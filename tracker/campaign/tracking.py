"""Which issues track each kind of task: filed by jit-tracker, or a campaign's issues adopted.

``data/tracking.yaml`` says it per repository: per kind, ``file`` or the list of the
campaign's issues with their role (tracking, follow-up, predecessor, item); ``sync
--tracking KIND=NUMBER`` and ``--adopt-followups`` add to it (remembered in the state).
An adopted issue is only ever read. Pure: the data file is read, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..errors import DataError, UsageError
from ..datafile import read_mapping
from ..paths import DATA_DIR
from ..tasks import KINDS

DEFAULT_FILE = DATA_DIR / "tracking.yaml"
FILE = "file"
ROLES = ("tracking", "follow-up", "predecessor", "item")
PRIMARY = ("tracking", "follow-up")  # the issue task tickets of the kind link
CROSSED = ("not planned", "done")


@dataclass(frozen=True)
class Tracked:
    """One issue of a campaign: its kind, number, role and what a crossed-out item means."""

    kind: str
    number: int
    role: str = "tracking"
    crossed: str = "not planned"

    @property
    def primary(self) -> bool:
        return self.role in PRIMARY


@dataclass
class Table:
    """Repository (lower case) -> kind -> campaign issues, or ``file``; ``*`` holds the default."""

    repos: dict[str, dict[str, "list[Tracked] | str"]]
    kinds: dict[str, str]  # campaigns beyond the rules' kinds: kind -> what it is about

    def __getitem__(self, repo: str) -> dict[str, "list[Tracked] | str"]:
        return self.repos[repo]

    def get(self, repo: str, default: Any = None) -> Any:
        return self.repos.get(repo, default)

    @property
    def all_kinds(self) -> tuple[str, ...]:
        return (*KINDS, *self.kinds)


def load(path: str | Path | None = None) -> Table:
    file = Path(path) if path else DEFAULT_FILE
    data = read_mapping(file, "tracking issues", missing=None, allow_empty=True)
    if data is None:
        return Table({"*": {k: FILE for k in KINDS}}, {})
    default = data.get("default", FILE)
    if default != FILE:
        raise DataError(f"{file}: default must be '{FILE}' (adopt issues per repository)")
    extra = data.get("kinds") or {}
    if not isinstance(extra, dict) or any(not isinstance(k, str) or not k.isidentifier() for k in extra):
        raise DataError(f"{file}: kinds must map new kind names (identifiers) to what they are about")
    clash = set(extra) & set(KINDS)
    if clash:
        raise DataError(f"{file}: kinds: {', '.join(sorted(clash))} is already a kind of task")
    known = (*KINDS, *extra)
    out: dict[str, dict[str, list[Tracked] | str]] = {"*": {k: FILE for k in known}}
    repos = data.get("repositories") or {}
    if not isinstance(repos, dict):
        raise DataError(f"{file}: repositories must map OWNER/NAME to kinds")
    for repo, kinds in repos.items():
        if not isinstance(kinds, dict):
            raise DataError(f"{file}: repositories.{repo} must map kinds to issues")
        where = f"{file}: repositories.{repo}"
        out[str(repo).lower()] = {k: _issues(k, v, f"{where}.{k}") for k, v in kinds.items()
                                  if _kind(k, where, known)}
    return Table(out, {str(k): str(v) for k, v in extra.items()})


def _kind(kind: Any, where: str, known: tuple[str, ...]) -> bool:
    if kind not in known:
        raise DataError(f"{where}: unknown kind {kind!r}; known: {', '.join(known)}")
    return True


def _issues(kind: str, value: Any, where: str) -> list[Tracked] | str:
    if value == FILE:
        return FILE
    if _number(value):
        return [Tracked(kind, value)]
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: an issue number, '{FILE}', or a list of {{issue: N, role: ROLE}}, not {value!r}")
    out = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(item, dict) or not _number(item.get("issue")):
            raise DataError(f"{at}: needs issue: NUMBER (a positive issue number)")
        role = item.get("role", "tracking")
        if role not in ROLES:
            raise DataError(f"{at}.role: {role!r} is not one of {', '.join(ROLES)}")
        crossed = item.get("crossed", "not planned")
        if crossed not in CROSSED:
            raise DataError(f"{at}.crossed: {crossed!r} is not one of {', '.join(CROSSED)}")
        unknown = set(item) - {"issue", "role", "crossed"}
        if unknown:
            raise DataError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
        out.append(Tracked(kind, int(item["issue"]), role, crossed))
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def parse_option(text: str, kinds: tuple[str, ...] | None = None) -> tuple[str, int | str]:
    """``KIND=NUMBER`` or ``KIND=file`` from the command line."""
    kinds = kinds or KINDS
    kind, sep, value = text.partition("=")
    if not sep or kind not in kinds:
        raise UsageError(f"--tracking takes KIND=NUMBER, got {text!r}", hint=f"KIND is one of {', '.join(kinds)}")
    value = value.strip().lstrip("#")
    if value == FILE:
        return kind, FILE
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"--tracking {kind}=…: an issue number or '{FILE}', got {value!r}")
    return kind, int(value)


def campaign(repo: str, remembered: Mapping[str, Any] | None = None,
             options: Mapping[str, int | str] | None = None,
             table: Table | None = None) -> list[Tracked]:
    """Every adopted issue of ``repo``'s campaign, primary ones first within each kind.

    Later sources win per kind: the data file, what an earlier ``--tracking`` left in the
    state (a number, or a list of ``[number, role]`` pairs adopted with --adopt-followups),
    this run's ``--tracking`` (which makes that issue the kind's tracking issue and keeps
    the file's others).
    """
    table = table if table is not None else load()
    merged: dict[str, list[Tracked] | str] = dict(table["*"])
    merged.update(table.get(repo.lower()) or {})
    for layer in (remembered or {}, options or {}):
        for kind, value in layer.items():
            if kind not in merged:
                continue
            if value == FILE:
                merged[kind] = FILE
                continue
            current = merged[kind]
            have: list[Tracked] = list(current) if isinstance(current, list) else []
            for number, role in _pairs(value):
                have = [t for t in have if t.number != number]
                if role in PRIMARY:
                    have = [Tracked(kind, number, role)] + [
                        t if not t.primary else Tracked(kind, t.number, "predecessor", t.crossed) for t in have]
                else:
                    have.append(Tracked(kind, number, role))
            merged[kind] = have
    out = [t for listed in merged.values() if isinstance(listed, list) for t in listed]
    return sorted(out, key=lambda t: (t.kind, not t.primary, ROLES.index(t.role)))


def _pairs(value: Any) -> list[tuple[int, str]]:
    if isinstance(value, int):
        return [(value, "tracking")]
    if isinstance(value, list):
        return [(int(v[0]), str(v[1])) for v in value if isinstance(v, (list, tuple)) and len(v) == 2]
    return []


def adopted(repo: str, remembered: Mapping[str, Any] | None = None,
            options: Mapping[str, int | str] | None = None, table: Table | None = None) -> dict[str, int]:
    """Kind -> the adopted issue task tickets link (kinds absent get one jit-tracker files)."""
    out: dict[str, int] = {}
    for t in campaign(repo, remembered, options, table):
        if t.primary and t.kind not in out:
            out[t.kind] = t.number
    return out


def with_found(remembered: Mapping[str, Any], found: list[dict[str, Any]]) -> dict[str, Any]:
    """What the state remembers for a repository, with the issues the reader found added
    (``found``: ``{number, kind, role}`` each) as ``[number, role]`` pairs of their kind."""
    out = dict(remembered)
    for f in found:
        have = out.get(f["kind"])
        pairs = list(have) if isinstance(have, list) else ([[have, "tracking"]] if isinstance(have, int) else [])
        if not any(p[0] == f["number"] for p in pairs):
            pairs.append([f["number"], f.get("role", "follow-up")])
        out[f["kind"]] = pairs
    return out
