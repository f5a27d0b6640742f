"""Loading and validating ``data/rules.yaml`` and ``data/curated.yaml``.

The rules' knowledge (which calls release, which pop fits which guard, what tier 2
can never run) is data a maintainer edits; a typo there must give an error that
names the file and the key, not a KeyError deep inside a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..datafile import yaml_error
from ..errors import DataError
from .body import borrow_pattern

from ..paths import DATA_DIR  # noqa: E402  (re-exported for callers)

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class Guard:
    positions: tuple[str, ...]
    pop: str


@dataclass(frozen=True)
class RefcountRules:
    close_calls: frozenset[str]
    release_all_calls: frozenset[str]
    decref_calls: frozenset[str]
    borrow_calls: frozenset[str]
    slot_reads: frozenset[str]
    consuming: re.Pattern[str]
    transfer_calls: frozenset[str]
    pop_uops: frozenset[str]
    default_pop: str
    guards: dict[str, Guard]
    specialized_deallocs: dict[str, str]
    non_escaping_any: re.Pattern[str]  # the calls that cannot run arbitrary code, in one pattern
    borrow_re: re.Pattern[str]
    error_exits: frozenset[str] = frozenset()  # statements, blanks removed
    array_pop: str = "_POP_TOP_OPARG"
    type_checks: dict[str, str] = field(default_factory=dict)  # check call -> pop


@dataclass(frozen=True)
class Tier2Rules:
    skip_annotations: frozenset[str]
    tier1_annotations: frozenset[str]
    name_contains: dict[str, str]
    names: dict[str, str]
    identifiers: dict[str, str]
    max_cache_entries: int
    error_with_pop: tuple[str, ...]
    error_without_pop: tuple[str, ...]
    always_viable: frozenset[str]
    superinstruction_marker: str


@dataclass(frozen=True)
class Curated:
    by_design: tuple[tuple[re.Pattern[str], str], ...]
    notes: dict[str, str]
    blocked: dict[str, dict[str, Any]]  # task id -> {reason, link(s)}
    extra_edges: dict[str, list[str]]


@dataclass(frozen=True)
class Rules:
    refcount: RefcountRules
    tier2: Tier2Rules
    points: dict[str, int]
    easy_max: int
    medium_max: int
    curated: Curated
    files: tuple[str, ...] = field(default=())


class _Reader:
    """Typed access to a YAML mapping that reports the file and key on error."""

    def __init__(self, data: Any, file: str, path: str = ""):
        if not isinstance(data, dict):
            raise DataError(f"{file}: {path or 'top level'} must be a mapping, found {type(data).__name__}")
        self.data, self.file, self.path = data, file, path

    def _where(self, key: str) -> str:
        return f"{self.file}: {self.path + '.' if self.path else ''}{key}"

    def sub(self, key: str) -> "_Reader":
        if key not in self.data:
            raise DataError(f"{self._where(key)} is missing")
        return _Reader(self.data[key], self.file, f"{self.path + '.' if self.path else ''}{key}")

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        if key not in self.data:
            if default is not None:
                return default
            raise DataError(f"{self._where(key)} is missing")
        value = self.data[key]
        if value is None and default is not None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DataError(f"{self._where(key)} must be a {kind.__name__}, found {value!r}")
        return value

    def names(self, key: str, default: list | None = None) -> list[str]:
        value = self.get(key, list, default)
        for item in value:
            if not isinstance(item, str):
                raise DataError(f"{self._where(key)}: every entry must be a name, found {item!r}")
        return value

    def str_map(self, key: str, default: dict | None = None) -> dict[str, str]:
        value = self.get(key, dict, default)
        for k, v in value.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise DataError(f"{self._where(key)}: entries must map names to text, found {k!r}: {v!r}")
        return value

    def any_regex(self, key: str) -> re.Pattern[str]:
        """One pattern matching where any of the list's patterns matches; each entry is
        checked on its own first, so a bad one is named (and cannot pass by joining its
        neighbours, as ``a)|(?:b`` would)."""
        patterns = self.names(key)
        for p in patterns:
            self.regex(p, key)
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x")

    def regex(self, text: str, key: str) -> re.Pattern[str]:
        try:
            return re.compile(text)
        except re.error as exc:
            raise DataError(f"{self._where(key)}: bad regular expression {text!r}: {exc}") from None


def _load_yaml(path: Path) -> Any:
    """The parsed file (two small files: parsed on every load, kept nowhere)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text: {exc}") from None
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise yaml_error(path, exc) from None


def load_rules(data_dir: Path | None = None) -> Rules:
    """Load and validate the rules and curated data from ``data_dir``."""
    data_dir = data_dir or DATA_DIR
    rules_path = data_dir / "rules.yaml"
    curated_path = data_dir / "curated.yaml"
    top = _Reader(_load_yaml(rules_path), str(rules_path))

    rc = top.sub("refcount")
    guards = {}
    for name, spec in rc.get("guards", dict).items():
        g = _Reader(spec, rc.file, f"refcount.guards.{name}")
        positions = g.names("positions")
        for p in positions:
            if p not in ("tos", "nos", "third"):
                raise DataError(f"{rc.file}: refcount.guards.{name}.positions: {p!r} is not tos, nos or third")
        guards[name] = Guard(tuple(positions), g.get("pop", str))
    refcount = RefcountRules(
        close_calls=frozenset(rc.names("close_calls")),
        release_all_calls=frozenset(rc.names("release_all_calls")),
        decref_calls=frozenset(rc.names("decref_calls")),
        borrow_calls=frozenset(rc.names("borrow_calls")),
        slot_reads=frozenset(rc.names("slot_reads", [])),
        consuming=rc.regex(rc.get("consuming_pattern", str), "consuming_pattern"),
        transfer_calls=frozenset(rc.names("transfer_calls")),
        pop_uops=frozenset(rc.names("pop_uops", [])),
        default_pop=rc.get("default_pop", str),
        guards=guards,
        specialized_deallocs=rc.str_map("specialized_deallocs"),
        non_escaping_any=rc.any_regex("non_escaping_patterns"),
        borrow_re=borrow_pattern(frozenset(rc.names("borrow_calls"))),
        array_pop=rc.get("array_pop", str, "_POP_TOP_OPARG"),
        type_checks=rc.str_map("type_checks", {}),
        error_exits=frozenset("".join(e.split()) for e in rc.names("error_exits", [])),
    )

    t2 = top.sub("tier2")
    tier2 = Tier2Rules(
        skip_annotations=frozenset(t2.names("skip_annotations")),
        tier1_annotations=frozenset(t2.names("tier1_annotations")),
        name_contains=t2.str_map("name_contains"),
        names=t2.str_map("names"),
        identifiers=t2.str_map("identifiers"),
        max_cache_entries=t2.get("max_cache_entries", int),
        error_with_pop=tuple(t2.names("error_with_pop")),
        error_without_pop=tuple(t2.names("error_without_pop")),
        always_viable=frozenset(t2.names("always_viable", [])),
        superinstruction_marker=t2.get("superinstruction_marker", str),
    )

    diff = top.sub("difficulty")
    points = diff.get("points", dict)
    for k, v in points.items():
        if not isinstance(v, int):
            raise DataError(f"{diff.file}: difficulty.points.{k} must be a whole number, found {v!r}")

    cur = _Reader(_load_yaml(curated_path), str(curated_path))
    design = cur.sub("tier2_by_design")
    by_design = tuple(
        (design.regex(p, "patterns"), why) for p, why in design.str_map("patterns").items()
    )
    blocked: dict[str, dict[str, Any]] = {}
    for task_id, spec in (cur.get("blocked", dict, {}) or {}).items():
        entry = _Reader(spec, cur.file, f"blocked.{task_id}")
        reason = entry.get("reason", str)
        links = entry.names("links", []) if "links" in spec else [entry.get("link", str)]
        blocked[task_id] = {"reason": reason, "links": links}
    edges: dict[str, list[str]] = {}
    for task_id, prereqs in (cur.get("extra_edges", dict, {}) or {}).items():
        if not isinstance(prereqs, list) or not all(isinstance(p, str) for p in prereqs):
            raise DataError(f"{cur.file}: extra_edges.{task_id} must be a list of task ids")
        edges[task_id] = prereqs

    return Rules(
        refcount, tier2, points, diff.get("easy_max", int), diff.get("medium_max", int),
        Curated(by_design, design.str_map("notes", {}), blocked, edges),
        (str(rules_path), str(curated_path)),
    )
