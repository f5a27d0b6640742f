"""Snapshot tests of the main screens at 80x24 (pytest-textual-snapshot).

The data is fixed (the toy instruction set, an in-memory store with fixed dates), so
a changed snapshot means a changed screen. Update with ``pytest --snapshot-update``
after looking at the new SVGs.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

from tracker.errors import DSLError
from tracker.tui import TrackerApp as _TrackerApp

from .fakes import snapshot_like, weighed

# ages in the header are relative to "now": fixed, so that a screenshot never ages
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
TrackerApp = partial(_TrackerApp, now=lambda: NOW)


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def opened(task_id: str):
    async def run_before(pilot) -> None:
        await loaded(pilot)
        pilot.app.open_task(task_id)
        await pilot.pause()

    return run_before


def test_tasks_view(snap_compare, tasks, store):
    tasks.source.update(origin="github:python/cpython@main", ref="main",
                        revision="3f2a1c0b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", date="2026-11-20T10:00:00Z")
    assert snap_compare(TrackerApp(tasks, store=store), run_before=loaded)


def test_tasks_view_with_shares(snap_compare, tasks, store):
    """The share column filled from a pystats report, the table sorted by it."""
    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("o")  # recommended -> share

    assert snap_compare(TrackerApp(weighed(tasks), store=store), run_before=run_before)


def test_tasks_view_filtered_and_searched(snap_compare, tasks, store):
    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("k", "slash", *"add", "enter")

    assert snap_compare(TrackerApp(tasks, store=store), run_before=run_before)


def test_detail_view_with_source(snap_compare, tasks, store):
    assert snap_compare(TrackerApp(tasks, store=store), run_before=opened("refcount:_ADD"))


def test_detail_view_from_snapshot(snap_compare, tasks, store):
    assert snap_compare(TrackerApp(snapshot_like(tasks), store=store),
                        run_before=opened("refcount:_CALL_TYPE_1"))


def test_claim_dialog(snap_compare, tasks, store):
    store.settings["user.name"] = "ada"

    async def run_before(pilot) -> None:
        await opened("refcount:_ADD")(pilot)
        await pilot.press("c")

    assert snap_compare(TrackerApp(tasks, store=store), run_before=run_before)


def test_claim_dialog_posting_on_github(snap_compare, tasks, store, monkeypatch):
    """The comment a claim is posted as, shown before it is (it must fit 80x24)."""
    monkeypatch.setenv("GITHUB_TOKEN", "x")
    store.settings["user.name"] = "ada"
    store.settings["github"] = {"repo": "octo/jit-tasks", "base_url": "http://127.0.0.1:9", "tracking": {}}
    store._issues["refcount:_ADD"] = {"number": 12, "url": "https://github.example/octo/jit-tasks/issues/12",
                                      "state": "open"}

    async def run_before(pilot) -> None:
        await opened("refcount:_ADD")(pilot)
        await pilot.press("c")

    assert snap_compare(TrackerApp(tasks, store=store), run_before=run_before)


def test_progress_view(snap_compare, tasks, store):
    assert snap_compare(TrackerApp(tasks, store=store), press=["2"], run_before=loaded)


def test_contributors_view(snap_compare, tasks, store):
    assert snap_compare(TrackerApp(tasks, store=store), press=["3"], run_before=loaded)


def test_help(snap_compare, tasks, store):
    assert snap_compare(TrackerApp(tasks, store=store), press=["question_mark"], run_before=loaded)


def test_parse_error_state(snap_compare, store):
    def loader(report):
        raise DSLError("expected ')' after the stack effect", "Python/bytecodes.c", 120, 17,
                       "        op(_X, (a -- b) {")

    assert snap_compare(TrackerApp(loader=loader, store=store), run_before=loaded)
