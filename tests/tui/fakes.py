"""Test doubles for the TUI: the toy instruction set's tasks, an in-memory store, task factories."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import TrackerError
from tracker.tasks import Task, TaskSet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"


@dataclass
class FakeClaim:
    task_id: str
    by: str
    since: str
    note: str | None = None
    source: str = "local"
    issue: str | None = None
    url: str | None = None


class FakeStore:
    """The Store API in memory, with fixed dates so that snapshots never change."""

    def __init__(self, claims=None, issues=None, history=None, contributors=None, settings=None,
                 stale=(), pulls=None, checklist=None):
        self._pulls = dict(pulls or {})
        self._checklist = dict(checklist or {})
        self._claims: dict[str, FakeClaim] = dict(claims or {})
        self._issues = dict(issues or {})
        self._history = list(history or [])
        self._contributors = list(contributors or [])
        self.settings: dict[str, Any] = dict(settings or {})
        self.broken: str | None = None
        self.stale = set(stale)  # task ids whose claim counts as stale

    def is_stale(self, claim) -> bool:
        return claim.task_id in self.stale

    def _check(self) -> None:
        if self.broken:
            from tracker.errors import DataError

            raise DataError(self.broken)

    def claims(self):
        self._check()
        return dict(self._claims)

    def claim(self, task_id, by, note=None, *, force=False, known=None, done=None):
        if known is not None and task_id not in set(known):
            raise TrackerError(f"unknown task {task_id!r}")
        if done is not None and task_id in set(done):
            raise TrackerError(f"task {task_id!r} is already done; nothing to claim")
        held = self._claims.get(task_id)
        if held is not None and held.by != by and not force and not self.is_stale(held):
            raise TrackerError(f"{task_id} is claimed by {held.by}")
        c = FakeClaim(task_id, by, "2026-01-02T03:04:05Z", note)
        self._claims[task_id] = c
        return c

    def release(self, task_id):
        if task_id not in self._claims:
            raise TrackerError(f"{task_id} is not claimed")
        return self._claims.pop(task_id)

    def get_setting(self, key, default=None):
        return self.settings.get(key, default)

    def set_setting(self, key, value):
        self.settings[key] = value

    def issues(self):
        self._check()
        return dict(self._issues)

    def pulls(self):
        return dict(self._pulls)

    def checklist(self):
        return dict(self._checklist)

    @property
    def history_file(self):
        return self

    def revisions(self):
        self._check()
        return list(self._history)

    def contributors(self):
        self._check()
        return list(self._contributors)


def toy_tasks() -> TaskSet:
    """Tasks of the repository's own toy instruction set (data/examples), from a live scan."""
    from tracker import rules, sources

    ts = rules.scan(sources.from_files(str(EXAMPLES / "bytecodes.c"),
                                       str(EXAMPLES / "optimizer_bytecodes.c")))
    # paths relative to the repository, so that snapshots do not depend on where it is
    for t in ts.tasks:
        if t.file:
            t.file = os.path.relpath(t.file, ROOT)
    for key in ("bytecodes", "optimizer"):
        if ts.source.get(key):
            ts.source[key] = os.path.relpath(ts.source[key], ROOT)
    return ts


def weighed(ts: TaskSet) -> TaskSet:
    """The tasks weighed by the made-up pystats report of tests/fixtures/pystats."""
    from tracker import stats

    report = stats.load(ROOT / "tests" / "fixtures" / "pystats" / "toy-pipe.md")
    stats.weigh(ts.tasks, report)
    ts.stats = {"label": report.label, "describe": report.describe(), "suite": report.suite}
    return ts


def snapshot_like(ts: TaskSet) -> TaskSet:
    """The same tasks as the bundled snapshot would hold them: no source text."""
    return TaskSet.from_json(ts.to_json())


HISTORY = [
    {"revision": f"{i:040x}", "date": f"2026-0{1 + i // 4}-{1 + (i % 4) * 7:02d}T00:00:00Z",
     "author": "A", "subject": f"change {i}", "error": None,
     "counts": {"refcount": {"open": 9 - i, "done": i}, "optimizer": {"open": 6 - i // 2, "done": i // 2}}}
    for i in range(8)
]
CONTRIBUTORS = [
    {"name": "Ada", "email": "ada@example.org", "first": "2026-01-08", "latest": "2026-02-15",
     "tasks": [{"id": "refcount:_ADD_INT", "revision": "a" * 40, "date": "2026-01-08", "pr": 101},
               {"id": "optimizer:_ADD_INT", "revision": "b" * 40, "date": "2026-02-15", "pr": None}]},
    {"name": "Grace", "email": "grace@example.org", "first": "2026-01-22", "latest": "2026-01-22",
     "tasks": [{"id": "optimizer:_PUSH_CONST", "revision": "c" * 40, "date": "2026-01-22", "pr": 7}]},
]


def make_task(i: int, **kw: Any) -> Task:
    kinds = ("refcount", "optimizer", "tier2", "helper", "split")
    kind = kw.pop("kind", kinds[i % len(kinds)])
    defaults = dict(id=f"{kind}:_UOP_{i:04d}", kind=kind, title=f"Task number {i}",
                    uop=f"_UOP_{i:04d}", instructions=[f"INST_{i:04d}"],
                    difficulty=("easy", "medium", "hard")[i % 3],
                    status=("open", "open", "done", "blocked")[i % 4],
                    file="Python/bytecodes.c", line=10 * i + 1)
    defaults.update(kw)
    return Task(**defaults)
