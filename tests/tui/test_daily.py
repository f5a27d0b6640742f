"""Daily-use problems of #20 in the TUI: typing into the search box, claims from elsewhere,
an unwritable state directory, text from outside shown escaped."""

from __future__ import annotations

import asyncio

from textual import events
from textual.widgets import Input

from tracker.tasks import TaskSet
from tracker.tui import TrackerApp

from .fakes import make_task
from .test_app import drive, settle, shown_ids


async def type_fast(pilot, text: str) -> None:
    """Every key of ``text`` sent at once, as a fast typist's keys arrive (no pause between)."""
    from textual.keys import _character_to_key

    app = pilot.app
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(app)
        app._driver.send_message(event)
    await settle(pilot)
    await pilot.pause(0.05)


def test_search_keeps_spaces_typed_slowly(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("slash")
        for ch in "add float":
            await pilot.press("space" if ch == " " else ch)
            await pilot.pause(0.02)
        search = app.query_one("#search", Input)
        assert search.value == "add float"
        ids = shown_ids(app)
        assert ids and all("ADD_FLOAT" in i or "Float" in i for i in ids)

    drive(app, scenario)


def test_search_keeps_order_when_typed_fast(tasks, store):
    many = TaskSet(tasks.source, tasks.tasks + [make_task(i) for i in range(600)])
    app = TrackerApp(many, store=store)

    async def scenario(pilot):
        await pilot.press("slash")
        await type_fast(pilot, "addflt")
        assert app.query_one("#search", Input).value == "addflt"
        await pilot.press("ctrl+a", "ctrl+k")  # select all, delete
        await type_fast(pilot, "split: add float")
        assert app.query_one("#search", Input).value == "split: add float"

    drive(app, scenario)


def test_a_late_change_event_never_rewrites_what_was_typed(tasks, store):
    """On a busy terminal the view handles "ad" after the box already holds "addf": it must
    filter by what the box holds and leave the box alone (it wrote "ad" back: keys reordered)."""
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("slash", *"addf")
        search = app.query_one("#search", Input)
        search.post_message(Input.Changed(search, "ad"))
        await settle(pilot)
        await pilot.press(*"lt")
        assert search.value == "addflt"
        assert search.cursor_position == len("addflt")
        ids = shown_ids(app)
        assert ids and all("ADD_FLOAT" in i or "Float" in i for i in ids)

    drive(app, scenario)


def unwritable_dir(tmp_path):
    """A directory this process cannot create files in (root ignores modes: /sys then)."""
    import os
    from pathlib import Path

    import pytest

    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        (ro / "probe").touch()
    except OSError:
        return ro
    (ro / "probe").unlink()
    for candidate in (Path("/sys"), Path("/proc/sys")):
        try:
            (candidate / "jit-tracker-probe").touch()
        except OSError:
            return candidate
        os.unlink(candidate / "jit-tracker-probe")
    pytest.skip("no unwritable directory here")


def test_claim_in_an_unwritable_directory_keeps_the_dialog_and_says_why(tasks, tmp_path):
    from textual.widgets import Label

    from tracker.store import Store
    from tracker.tui.claim_dialog import ClaimDialog

    state = unwritable_dir(tmp_path) / "state.yaml"
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        app.open_task("optimizer:_ADD")
        await settle(pilot)
        await pilot.press("c", *"lin", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimDialog)  # still open: nothing was saved
        error = str(app.screen.query_one("#claim-error", Label).render())
        assert "cannot write the state" in error and str(state.parent) in error
        assert not state.exists()
        await pilot.press("escape")
        assert not isinstance(app.screen, ClaimDialog)

    drive(app, scenario)


def test_claims_made_elsewhere_show_up_while_the_app_runs(tasks, tmp_path, monkeypatch):
    from textual.widgets import DataTable

    from tracker.store import Store
    from tracker.tui.claim_dialog import ClaimDialog

    from .test_app import CLAIMED

    monkeypatch.setattr(TrackerApp, "WATCH_INTERVAL", 0.1, raising=False)
    state = tmp_path / "state.yaml"
    Store(state).set_setting("user.name", "lin")
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        assert str(table.get_row("refcount:_ADD")[CLAIMED]) == ""
        Store(state).claim("refcount:_ADD", "grace")  # `jit-tracker claim` in another terminal
        await pilot.pause(0.4)
        await settle(pilot)
        assert str(table.get_row("refcount:_ADD")[CLAIMED]) == "grace"
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, ClaimDialog)  # refused at once: grace holds it

    drive(app, scenario)


def test_a_claim_made_elsewhere_while_the_dialog_is_open_is_refused_in_its_words(tasks, tmp_path, monkeypatch):
    from textual.widgets import Label

    from tracker.store import Store
    from tracker.tui.claim_dialog import ClaimDialog

    monkeypatch.setattr(TrackerApp, "WATCH_INTERVAL", 3600.0, raising=False)  # no look meanwhile
    state = tmp_path / "state.yaml"
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ClaimDialog)
        Store(state).claim("refcount:_ADD", "grace")
        await pilot.press(*"lin", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimDialog)
        error = str(app.screen.query_one("#claim-error", Label).render())
        assert "claimed by grace meanwhile" in error and "--force" not in error
        assert Store(state).claims()["refcount:_ADD"].by == "grace"

    drive(app, scenario)


def test_the_state_file_is_read_again_when_the_terminal_gets_the_focus(tasks, tmp_path, monkeypatch):
    from textual import events
    from textual.widgets import DataTable

    from tracker.store import Store

    from .test_app import CLAIMED

    monkeypatch.setattr(TrackerApp, "WATCH_INTERVAL", 3600.0, raising=False)
    state = tmp_path / "state.yaml"
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        Store(state).claim("refcount:_ADD", "grace")
        app.post_message(events.AppFocus())
        await pilot.pause(0.1)
        await settle(pilot)
        table = app.query_one("#tasks-table", DataTable)
        assert str(table.get_row("refcount:_ADD")[CLAIMED]) == "grace"

    drive(app, scenario)
