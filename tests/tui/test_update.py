"""The TUI's provenance line and its "Update from GitHub" action, against the fake GitHub."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timezone

import pytest
from textual.widgets import DataTable, Static

from tracker.cli.tui import make_loader, make_updater
from tracker.github import source as gh
from tracker.tui import TrackerApp
from tracker.tui.tasks_view import TasksView

from ..github.fake import FakeGitHub
from ..github.test_source import OPT_LATER, closed_port_url, files
from .fakes import toy_tasks

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def args(**kw) -> argparse.Namespace:
    base = dict(cpython_dir=None, bytecodes=None, optimizer=None, state=None, github=None, base_url=None)
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gh, "BACKOFF", 0.0)
    return FakeGitHub(httpserver)


def drive(app, scenario, size=(80, 24)):
    async def main():
        async with app.run_test(size=size, notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


def header(app) -> str:
    return str(app.query_one("#provenance", Static).render())


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def cursor_id(app) -> str:
    table = app.query_one("#tasks-table", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def test_header_shows_origin_revision_date_and_age(tasks, store):
    tasks.source.update(origin="github:python/cpython@main", ref="main",
                        revision="3f2a1c0b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", date="2026-11-20T10:00:00Z")
    app = TrackerApp(tasks, store=store, now=lambda: NOW)

    async def scenario(pilot):
        assert header(app) == "CPython main 3f2a1c0, 2026-11-20, 5 days old (live: python/cpython@main)"
        assert not any("Press u" in m for m in messages(app))  # fresh data: no update offered

    drive(app, scenario)


def test_old_data_offers_an_update(tasks, store):
    tasks.source.update(snapshot="bundled", ref="main", python_version="3.15.0a5+",
                        date="2026-02-08T01:25:30-05:00")
    app = TrackerApp(tasks, store=store, now=lambda: NOW, updater=lambda report: None)

    async def scenario(pilot):
        assert header(app).startswith("CPython main 3.15.0a5+, 2026-02-08, 290 days old (bundled snapshot)")
        assert any("Press u to update from GitHub" in m for m in messages(app))

    drive(app, scenario)


def test_update_keeps_selection_filters_and_sort_and_says_what_changed(fake, store):
    sha = fake.add_commit(files(opt=OPT_LATER), date="2026-11-24T08:00:00Z")
    before = toy_tasks()  # the same toy definitions, before _LOAD_LEN got its optimizer case
    before.source.update(date="2026-11-01T00:00:00Z", ref="main")
    app = TrackerApp(before, store=store, now=lambda: NOW,
                     updater=make_updater(args(base_url=fake.base_url)))

    async def scenario(pilot):
        view = app.query_one(TasksView)
        await pilot.press("k", "k", "o")  # kind: optimizer; sort by the next column
        view.select_task("optimizer:_LOAD_LEN")
        filters = view.filters
        assert filters.kind == "optimizer" and filters.sort != "recommended"
        assert app.data.tasks["optimizer:_LOAD_LEN"].status == "open"
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.data.tasks["optimizer:_LOAD_LEN"].status == "done"
        assert view.filters == filters and cursor_id(app) == "optimizer:_LOAD_LEN"
        assert header(app) == f"CPython main {sha[:7]}, 2026-11-24, 1 day old (live: python/cpython@main)"
        assert any(m.startswith("1 task done since 2026-11-01. Now: CPython main") for m in messages(app))
        assert ("GET", "/repos/python/cpython/commits/main") in fake.requests

    drive(app, scenario)


def test_update_offline_keeps_the_data_and_says_so(tasks, store):
    app = TrackerApp(tasks, store=store, now=lambda: NOW,
                     updater=make_updater(args(base_url=closed_port_url())))

    async def scenario(pilot):
        shown = [t.id for t in app.data.taskset.tasks]
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.id for t in app.data.taskset.tasks] == shown and not app.updating
        assert any(m.startswith("GitHub is unreachable (offline?). Still showing CPython") for m in messages(app))

    drive(app, scenario)


def test_update_from_the_palette(fake, tasks, store):
    fake.add_commit(files())
    app = TrackerApp(tasks, store=store, now=lambda: NOW,
                     updater=make_updater(args(base_url=fake.base_url)))

    async def scenario(pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"update from github")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.data.taskset.source["origin"] == "github:python/cpython@main"

    drive(app, scenario)


def test_the_github_loader_waits_for_the_app(fake):
    """Making the loader touches no network: the app runs it in a worker after the first frame."""
    fake.add_commit(files())
    loader = make_loader(args(github="python/cpython", base_url=fake.base_url))
    assert fake.requests == []
    seen = []
    ts = loader(lambda message, fraction: seen.append(message))
    assert ts.source["origin"] == "github:python/cpython@main" and fake.requests and seen


def test_the_github_loader_falls_back_and_the_app_says_why(store):
    loader = make_loader(args(github="python/cpython", base_url=closed_port_url()))
    app = TrackerApp(loader=loader, store=store, now=lambda: NOW)

    async def scenario(pilot):
        assert app.data is not None and app.data.taskset.source.get("snapshot") == "bundled"
        assert any("GitHub is unreachable (offline?)" in m for m in messages(app))
        assert "(bundled snapshot)" in header(app)

    drive(app, scenario)


def test_a_detail_whose_task_vanished_is_closed(fake, store):
    import re

    from tracker.tui.detail import DetailScreen

    from ..github.test_source import BC, OPT

    without = re.sub(rb"        op\(_LOAD_LEN,.*?macro\(LOAD_LEN\) = _LOAD_LEN;\n", b"", BC, flags=re.S)
    assert without != BC
    fake.add_commit(files(bc=without, opt=OPT))
    app = TrackerApp(toy_tasks(), store=store, now=lambda: NOW,
                     updater=make_updater(args(base_url=fake.base_url)))

    async def scenario(pilot):
        app.open_task("optimizer:_LOAD_LEN")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "optimizer:_LOAD_LEN" not in app.data.tasks
        assert not isinstance(app.screen, DetailScreen)
        assert any("1 removed" in m for m in messages(app))  # its uop was deleted

    drive(app, scenario)
