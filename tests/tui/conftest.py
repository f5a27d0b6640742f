"""Fixtures for the TUI tests."""

from __future__ import annotations

import pytest

from tracker.tasks import TaskSet

from .fakes import CONTRIBUTORS, HISTORY, FakeClaim, FakeStore, toy_tasks


@pytest.fixture
def tasks() -> TaskSet:
    return toy_tasks()


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(
        claims={"refcount:_CALL_TYPE_1": FakeClaim("refcount:_CALL_TYPE_1", "grace", "2026-01-05T10:00:00Z",
                                                   "on it", issue="https://github.com/python/cpython/issues/1")},
        issues={"refcount:_ADD": {"number": 42, "url": "https://github.com/python/cpython/issues/42",
                                  "state": "open"}},
        history=HISTORY, contributors=CONTRIBUTORS,
    )
