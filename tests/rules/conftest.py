"""Helpers for rule tests: scan small DSL texts written for the tests."""

from __future__ import annotations

import textwrap

import pytest

from tracker.dsl import parse_text
from tracker.model import build
from tracker.rules import find_tasks
from tracker.tasks import TaskSet


def wrap(body: str) -> str:
    return "// BEGIN BYTECODES //\n" + textwrap.dedent(body) + "\n// END BYTECODES //\n"


def scan_text(bytecodes: str, optimizer: str | None = "") -> TaskSet:
    """Tasks of a bytecodes text (and an optimizer text; None means no optimizer file)."""
    b = parse_text(wrap(bytecodes), "bytecodes.c")
    o = parse_text(wrap(optimizer), "optimizer_bytecodes.c") if optimizer is not None else None
    return find_tasks(build(b, o))


@pytest.fixture
def scan():
    return scan_text
