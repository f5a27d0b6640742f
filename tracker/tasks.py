"""Tasks: what the rules found, with stable ids that survive rescans.

A task id is ``KIND:SUBJECT`` (``refcount:_BINARY_OP_ADD_INT``, ``optimizer:_MAKE_FUNCTION``,
``tier2:SEND``, ``helper:_PyFloat_FromDouble_ConsumeInputs``, ``split:IS_OP``). Claims,
GitHub issues and history are joined on these ids, so an id must only depend on what
the task is about, never on line numbers or ordering.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from .kinds import DIFFICULTIES, KINDS, STATUSES  # noqa: F401  (re-exported)

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any


@dataclass
class ReleasedInput:
    """An input a uop releases itself, where and how."""

    name: str
    line: int
    call: str  # DECREF_INPUTS, PyStackRef_CLOSE, a stealing helper's name, ...
    conditional: bool = False  # released only on some paths (inside an if/else)
    # "input" for a stack input; "overwritten" for the old value of a frame slot that
    # the uop overwrites with one of its inputs (STORE_FAST's pattern); "element" for a
    # local holding a constant element of an array input (`arg = args[0]`)
    what: str = "input"


@dataclass
class Task:
    id: str
    kind: str
    title: str
    uop: str | None
    instructions: list[str]
    status: str = "open"
    difficulty: str = "easy"
    reasons: list[str] = field(default_factory=list)
    released_inputs: list[ReleasedInput] = field(default_factory=list)
    recipe: dict[str, Any] = field(default_factory=dict)
    prerequisites: list[str] = field(default_factory=list)
    file: str | None = None
    line: int | None = None
    end_line: int | None = None
    explanation: str = ""  # why this is a task, in a sentence or two
    blocked_reason: str | None = None
    links: list[str] = field(default_factory=list)
    # CPython source text of the uop and its macro. Only present after a live scan;
    # never written into snapshots (they hold facts, not CPython's text).
    excerpt: str | None = field(default=None, compare=False)
    # Share of executed work (tracker.stats), set when execution counts are applied:
    # a fraction of all uops (or instructions) executed, and what it was measured on.
    weight: float | None = field(default=None, compare=False)
    weight_source: str | None = field(default=None, compare=False)

    @property
    def subject(self) -> str:
        return self.id.split(":", 1)[1]

    def to_json(self, with_excerpt: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_excerpt:
            del data["excerpt"]
        if self.weight is None and self.weight_source is None:
            del data["weight"], data["weight_source"]  # no counts applied: the shape of before
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Task":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("released_inputs"):
            values["released_inputs"] = [ReleasedInput(**r) for r in values["released_inputs"]]
        return cls(**values)


_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_DIFFICULTY_RANK = {d: i for i, d in enumerate(DIFFICULTIES)}
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}


def priority_key(ready: set[str]):
    """Heaviest first (share of executed work); then ready, open, easy, refcount, id.

    Tasks without a weight count as 0, so without execution counts this is the
    ready/easy order that sync and the TUI use.
    """
    return lambda t: (-(t.weight or 0.0), t.id not in ready, _STATUS_RANK.get(t.status, 9),
                      _DIFFICULTY_RANK.get(t.difficulty, 9), _KIND_RANK.get(t.kind, 9), t.id)


@dataclass
class TaskSet:
    """The tasks of one scan, with where the sources came from."""

    source: dict[str, Any]  # origin, bytecodes, optimizer, revision, date
    tasks: list[Task]
    instructions: list[dict[str, Any]] = field(default_factory=list)  # see rules.tier2
    # The execution counts applied to the tasks' weights, if any (see tracker.stats):
    # label, origin, provenance, and how many tasks they covered.
    stats: dict[str, Any] | None = None
    # Names of every uop defined in the tree (ops and insts' own), so that a task no
    # longer found can be told done (its uop is still there) from removed (see
    # tracker.changes). None in task sets written before they were recorded.
    uops: list[str] | None = None

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    def get(self, task_id: str) -> Task | None:
        return self.by_id().get(task_id)

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            "kind": dict(Counter(t.kind for t in self.tasks)),
            "status": dict(Counter(t.status for t in self.tasks)),
            "difficulty": dict(Counter(t.difficulty for t in self.tasks if t.status == "open")),
        }

    def to_json(self, with_excerpt: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": dict(self.source),
            "tasks": [t.to_json(with_excerpt) for t in self.tasks],
        }
        if self.uops is not None:
            data["uops"] = list(self.uops)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TaskSet":
        return cls(
            dict(data.get("source", {})),
            [Task.from_json(t) for t in data.get("tasks", [])],
            list(data.get("instructions", [])),
            uops=list(data["uops"]) if isinstance(data.get("uops"), list) else None,
        )
