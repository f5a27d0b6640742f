"""Daily-use problems of #20 in the TUI: typing into the search box, claims from elsewhere,
an unwritable state directory, text from outside shown escaped."""

from __future__ import annotations

import asyncio

import pytest

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


ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def test_text_from_outside_is_shown_escaped_in_rows_and_detail(tasks):
    """A claim synced from GitHub or hand-edited into the state: escape sequences, a newline,
    5,000 characters. Rows stay one line and the terminal gets no control character."""
    from textual.widgets import DataTable

    from .fakes import FakeClaim, FakeStore
    from .test_app import CLAIMED, static_text

    store = FakeStore(claims={
        "refcount:_ADD": FakeClaim("refcount:_ADD", "mal" + ESCAPES + "\nlory", "2026-12-01T00:00:00Z",
                                   note="note" + ESCAPES, source="comment",
                                   url="https://github.com/o/r/issues/1]" + ESCAPES),
        "refcount:_ADD_STR": FakeClaim("refcount:_ADD_STR", "z" * 5000, "2026-12-01T00:00:00Z")})
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        cell = str(table.get_row("refcount:_ADD")[CLAIMED])
        assert "\x1b" not in cell and "\n" not in cell and cell.startswith("mal\\x1b")
        assert len(str(table.get_row("refcount:_ADD_STR")[CLAIMED])) <= 40
        app.open_task("refcount:_ADD")
        await settle(pilot)
        summary = static_text(app, "#summary")
        assert "\x1b" not in summary and "\x07" not in summary
        assert "mal\\x1b]0;pwned\\x07\\x1b[2J\\nlory" in summary and "note\\x1b" in summary

    drive(app, scenario)


def test_recipe_placeholders_are_shown(tasks, store):
    """`<pops>` was read as an HTML tag by the Markdown renderer and vanished."""
    from .test_app import static_text

    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("split:IS")
        await settle(pilot)
        assert "_IS + <pops>;" in static_text(app, "#recipe").replace("\n", " ")

    drive(app, scenario)


def test_a_done_task_says_done_once(tasks, store):
    from .test_app import static_text

    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD_INT")
        await settle(pilot)
        line = static_text(app, "#summary").splitlines()[1]
        assert line.count("done") == 1, line

    drive(app, scenario)


def _old(tasks, **source):
    from .fakes import snapshot_like

    ts = snapshot_like(tasks)
    ts.source.update(revision="5859cc74b0be2df19f0fcbb9e90f3d6c15aefe7f", date="2025-05-30T17:20:19+08:00",
                     **source)
    return ts


def test_old_data_is_said_once_briefly_and_not_of_a_local_checkout(tasks, store):
    app = TrackerApp(_old(tasks, snapshot="bundled"), store=store, updater=lambda report: None)

    async def scenario(pilot):
        told = [n for n in app._notifications if n.title == "Old data"]
        assert len(told) == 1 and told[0].timeout <= 5
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len([n for n in app._notifications if n.title == "Old data"]) <= 1  # not again

    drive(app, scenario, notifications=True)

    local = TrackerApp(_old(tasks, origin="checkout"), store=store, updater=lambda report: None)

    async def quiet(pilot):
        assert not [n for n in local._notifications if n.title == "Old data"]

    drive(local, quiet, notifications=True)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_claim_dialog_fits_and_shows_the_comment(tasks, store, size):
    """Its text was cut at the dialog's edge and the comment a claim posts was not shown
    when it stays local (the README says the dialog shows it)."""
    from textual.widgets import Button, Label

    from tracker.tui.claim_dialog import ClaimDialog

    from .test_app import static_text

    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ClaimDialog)
        screen = dialog.region
        box = dialog.query_one("#dialog").region
        assert screen.contains_region(box)
        for button in dialog.query(Button):
            assert box.contains_region(button.region), button.id  # the buttons are on screen
        reason = dialog.query_one("#claim-local", Label)
        text = str(reason.render())
        assert "jit-tracker sync --repo OWNER/NAME" in text.replace("\n", " ")
        assert box.contains_region(reason.region)
        assert reason.region.width * reason.region.height >= len(text)  # wrapped, not cut
        comment = static_text(app, "#claim-comment")
        assert "I'm working on `_ADD` (refcount:_ADD)." in " ".join(comment.split())

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_columns_are_sized_to_the_terminal(size):
    """At 120 columns ids were cut at 30 characters while ~28 columns stayed empty."""
    from textual.widgets import DataTable

    from tracker.tasks import Task

    from .fakes import FakeStore

    long_ids = [Task(f"refcount:_BINARY_OP_SUBSCR_LIST_SLICE_{'X' * i}", "refcount", f"t{i}", f"_U{i}", [f"I{i}"],
                     difficulty="easy", status="open") for i in range(14)]
    app = TrackerApp(TaskSet({}, long_ids), store=FakeStore())

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        ids = [str(table.get_row(k)[1]) for k in table.rows]
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        longest = max(len(t.id) for t in long_ids)
        if size[0] >= 120:
            assert all(not i.endswith("…") for i in ids)  # whole
            keys = [c.key.value for c in table.ordered_columns]
            assert sum(widths[: keys.index("claimed") + 1]) <= size[0]  # id .. claimed by on screen
        else:
            assert max(len(i) for i in ids) == 30 and longest > 30  # cut, to 30 at the least
        if table.max_scroll_x == 0:
            return  # all of it fits
        # → moves a column a press, ← back
        await pilot.press("right")
        assert table.scroll_x == min(widths[0], table.max_scroll_x)
        await pilot.press("right")
        assert table.scroll_x == min(widths[0] + widths[1], table.max_scroll_x)
        await pilot.press("left", "left")
        assert table.scroll_x == 0

    drive(app, scenario, size=size)


def test_contributors_enter_goes_to_their_tasks_and_opens_the_first(tasks, store):
    from tracker.tui.detail import DetailScreen

    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("3", "down")  # Grace, who finished optimizer:_PUSH_CONST
        await pilot.press("enter")  # to her tasks
        await pilot.press("enter")  # opens the first: nothing happened until ↓
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.task_id == "optimizer:_PUSH_CONST"

    drive(app, scenario)


def test_a_new_sort_starts_at_the_top(tasks, store):
    from textual.widgets import DataTable

    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        await pilot.press(*["down"] * 8)
        assert table.cursor_row == 8
        await pilot.press("o")  # the next sort
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press(*["down"] * 3, "O")  # reversed
        assert table.cursor_row == 0
        await pilot.press("down", "k")  # a filter keeps the task highlighted
        assert table.cursor_row <= 1

    drive(app, scenario)


def test_the_burn_down_axis_starts_near_the_lowest_value():
    import io

    from rich.console import Console

    from tracker.tui.progress import BurnDown

    points = [(f"2026-01-{d:02d}", 170 - 2 * d) for d in range(1, 11)]  # 168 .. 150
    console = Console(width=40, record=True, file=io.StringIO())
    console.print(BurnDown(points, height=6))
    lines = console.export_text().splitlines()
    assert lines[0].startswith("168 │") and lines[5].startswith("146 │")  # not 0
    first = [line[5] for line in lines[:6]]
    last = [line[-1] for line in lines[:6]]
    assert first.count("█") == 6 and last.count("█") <= 2  # the drop is seen
