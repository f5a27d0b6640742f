"""The TUI driven through Textual's pilot: every interaction a user has with it."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TabbedContent

from tracker.errors import DSLError
from tracker.tasks import TaskSet
from tracker.tui import TrackerApp
from tracker.tui.claim_dialog import ClaimDialog, ConfirmDialog
from tracker.tui.detail import DetailScreen
from tracker.tui.help import HelpScreen
from tracker.tui.tasks_view import COLUMNS, TasksView

from .fakes import FakeClaim, FakeStore, make_task, snapshot_like, weighed


CLAIMED = [c[0] for c in COLUMNS].index("claimed")  # the claimed-by column's index in a row


def header_x(app: TrackerApp, key: str) -> int:
    """Where to click on the header of column ``key`` (the table's own layout)."""
    table = app.query_one("#tasks-table", DataTable)
    x = 0
    for column in table.ordered_columns:
        if column.key.value == key:
            return x + 1
        x += column.get_render_width(table)
    raise KeyError(key)


def drive(app: TrackerApp, scenario, size=(80, 24), notifications: bool = False) -> None:
    async def main() -> None:
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await app.workers.wait_for_complete()
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


async def settle(pilot) -> None:
    """Let workers (loading, store writes) finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown_ids(app: TrackerApp) -> list[str]:
    table = app.query_one("#tasks-table", DataTable)
    return [str(k.value) for k in table.rows]


def cursor_id(app: TrackerApp) -> str:
    table = app.query_one("#tasks-table", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def counts_text(app: TrackerApp) -> str:
    return str(app.query_one("#counts", Label).render())


def static_text(app, selector: str) -> str:
    """The plain text a Static shows, whatever it holds (markup, Text or a rich renderable)."""
    from rich.console import Console

    content = app.screen.query_one(selector, Static).content
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


# ----------------------------------------------------------------------------- tasks view

def test_lists_every_task_with_counts_and_good_first_tasks_on_top(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        assert sorted(shown_ids(app)) == sorted(t.id for t in tasks.tasks)
        assert counts_text(app).startswith(f"{len(tasks.tasks)} of {len(tasks.tasks)} tasks")
        first = app.data.tasks[shown_ids(app)[0]]
        assert app.data.is_starter(first)
        table = app.query_one("#tasks-table", DataTable)
        claimed_row = table.get_row("refcount:_CALL_TYPE_1")
        assert "grace" in str(claimed_row[CLAIMED])

    drive(app, scenario)


def test_filter_keys_and_selects(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("k")  # kind: all -> refcount
        ids = shown_ids(app)
        assert ids and all(i.startswith("refcount:") for i in ids)
        assert app.query_one("#f-kind", Select).value == "refcount"
        app.query_one("#f-difficulty", Select).value = "easy"  # as if picked with the mouse
        await settle(pilot)
        assert shown_ids(app) and all(app.data.tasks[i].difficulty == "easy" and i.startswith("refcount:")
                                      for i in shown_ids(app))
        assert "of 22 tasks" in counts_text(app)
        await pilot.press("x")
        assert len(shown_ids(app)) == len(tasks.tasks)

    drive(app, scenario)


def test_ready_only(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("r")
        ids = set(shown_ids(app))
        assert ids == app.data.ready
        assert "refcount:_ADD_FLOAT" not in ids  # waits for its helper
        await pilot.press("r")
        assert "refcount:_ADD_FLOAT" in shown_ids(app)

    drive(app, scenario)


def test_status_filter_cycles_to_claimed(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        for _ in range(4):  # all -> open -> done -> blocked -> claimed
            await pilot.press("s")
        assert app.query_one("#f-status", Select).value == "claimed"
        assert shown_ids(app) == ["refcount:_CALL_TYPE_1"]

    drive(app, scenario)


def test_fuzzy_search_and_escape(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("slash", *"addflt")
        assert app.query_one("#search", Input).has_focus
        ids = shown_ids(app)
        assert ids and all("ADD_FLOAT" in i or "Float" in i for i in ids)
        assert "refcount:_ADD_STR" not in ids
        await pilot.press("enter")  # back to the table, search kept
        assert app.query_one("#tasks-table", DataTable).has_focus
        assert len(shown_ids(app)) == len(ids)
        await pilot.press("slash", "escape")
        assert len(shown_ids(app)) == len(tasks.tasks)
        assert app.query_one("#search", Input).value == ""

    drive(app, scenario)


def test_no_match_says_how_to_get_back(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("slash", *"zzzqqq")
        assert shown_ids(app) == []
        empty = app.query_one("#empty", Static)
        assert empty.display and "Press x" in str(empty.render())
        await pilot.press("enter", "x")
        assert len(shown_ids(app)) == len(tasks.tasks)
        assert not empty.display

    drive(app, scenario)


def test_sorting_by_key_and_header(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("o")  # recommended -> share (heaviest first)
        assert app.query_one("TasksView").filters.sort == "share"
        await pilot.press("o")  # share -> id
        assert shown_ids(app) == sorted(shown_ids(app))
        await pilot.press("O")
        assert shown_ids(app) == sorted(shown_ids(app), reverse=True)
        await pilot.click("#tasks-table", offset=(header_x(app, "status"), 0))
        await settle(pilot)
        assert app.query_one("TasksView").filters.sort == "status"

    drive(app, scenario)


def test_sorting_by_share_heaviest_first(tasks, store):
    app = TrackerApp(weighed(tasks), store=store)
    share = [c[0] for c in COLUMNS].index("share")

    async def scenario(pilot):
        # recommended: good first tasks, the heaviest of them first
        assert shown_ids(app)[:2] == ["refcount:_ADD", "optimizer:_ADD"]
        await pilot.click("#tasks-table", offset=(header_x(app, "share"), 0))
        await settle(pilot)
        view = app.query_one("TasksView")
        assert view.filters.sort == "share" and not view.filters.reverse
        ids = shown_ids(app)
        weights = [app.data.tasks[i].weight for i in ids]
        assert weights == sorted(weights, reverse=True)
        assert ids[:4] == ["refcount:_ADD", "optimizer:_ADD", "split:IS",
                           "helper:_Toy_Float_FromDouble_ConsumeInputs"]
        table = app.query_one("#tasks-table", DataTable)
        assert str(table.get_row("refcount:_ADD")[share]) == "15.0%"
        assert str(table.get_row("refcount:_STORE_ATTR_SLOT")[share]) == "–"  # no execution counts
        assert "by share" in counts_text(app)
        assert "15.0% of uops" in str(app.query_one("#preview", Label).render())
        await pilot.press("O")  # lightest first
        assert [app.data.tasks[i].weight for i in shown_ids(app)] == sorted(weights)

    drive(app, scenario)


def test_share_column_is_blank_without_counts(tasks, store):
    app = TrackerApp(tasks, store=store)
    share = [c[0] for c in COLUMNS].index("share")

    async def scenario(pilot):
        table = app.query_one("#tasks-table", DataTable)
        assert all(str(table.get_row(i)[share]) == "" for i in shown_ids(app))

    drive(app, scenario)


# ----------------------------------------------------------------------------- detail

def test_enter_opens_the_selected_task(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("down", "down")
        expected = cursor_id(app)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.task_id == expected
        assert expected in str(app.screen.query_one("#detail-title", Label).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)
        assert cursor_id(app) == expected

    drive(app, scenario)


def test_detail_shows_excerpt_with_line_numbers_and_issue_link(tasks, store):
    app = TrackerApp(tasks, store=store)
    task = tasks.get("refcount:_ADD")

    async def scenario(pilot):
        app.open_task(task.id)
        await settle(pilot)
        from rich.syntax import Syntax

        source = app.screen.query_one("#source", Static)
        from rich.console import Group

        content = source.content
        first = content.renderables[0] if isinstance(content, Group) else content
        assert isinstance(first, Syntax) and first.start_line == task.line and first.line_numbers
        # the definition itself, numbered; the macros using it follow unnumbered
        assert first.code.count("\n") + 1 == task.end_line - task.line + 1
        if isinstance(content, Group):
            assert "macro(" in content.renderables[-1].code
        summary = static_text(app, "#summary")
        assert "issues/42" in summary and "unclaimed" in summary

    drive(app, scenario)


def test_detail_from_a_snapshot_says_how_to_see_the_source(tasks, store):
    app = TrackerApp(snapshot_like(tasks), store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        text = static_text(app, "#source")
        assert "jit-tracker tui /path/to/cpython" in text
        assert f"{tasks.get('refcount:_ADD').file}:{tasks.get('refcount:_ADD').line}" in text

    drive(app, scenario)


def test_jump_to_a_prerequisite_and_back(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD_FLOAT")
        await settle(pilot)
        links = app.screen.query_one("#prerequisites", OptionList)
        links.focus()
        links.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.task_id == "helper:_Toy_Float_FromDouble_ConsumeInputs"
        # the helper lists the uop waiting for it among its dependents
        deps = app.screen.query_one("#dependents", OptionList)
        assert "refcount:_ADD_FLOAT" in [o.id for o in deps.options]
        await pilot.press("escape")
        assert app.screen.task_id == "refcount:_ADD_FLOAT"

    drive(app, scenario)


def test_ticket_preview_is_the_rendered_ticket(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        ticket = app.screen.query_one("#ticket")
        assert "_ADD" in ticket.source and "jit-tracker:" not in ticket.source

    drive(app, scenario)


# ----------------------------------------------------------------------------- claims

def test_claim_asks_a_name_remembers_it_and_writes_the_store(tasks):
    store = FakeStore()
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, ClaimDialog)
        assert app.screen.query_one("#claim-name", Input).value == ""
        await pilot.press(*"ada", "enter", *"soon", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert store.claims()["refcount:_ADD"].by == "ada"
        assert store.claims()["refcount:_ADD"].note == "soon"
        assert store.get_setting("user.name") == "ada"
        assert "ada" in static_text(app, "#summary")
        await pilot.press("escape")
        row = app.query_one("#tasks-table", DataTable).get_row("refcount:_ADD")
        assert "ada" in str(row[CLAIMED])
        # the name is remembered for the next claim
        app.open_task("refcount:_ADD_STR")
        await settle(pilot)
        await pilot.press("c")
        assert app.screen.query_one("#claim-name", Input).value == "ada"
        await pilot.press("escape")
        assert "refcount:_ADD_STR" not in store.claims()

    drive(app, scenario)


def test_claim_needs_a_name(tasks):
    store = FakeStore()
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        await pilot.click("#claim-ok")
        await settle(pilot)
        assert isinstance(app.screen, ClaimDialog)
        assert "name is needed" in str(app.screen.query_one("#claim-error", Label).render())
        assert store.claims() == {}

    drive(app, scenario)


def test_release_own_claim_and_confirm_someone_elses(tasks, store):
    store.settings["user.name"] = "ada"
    store.claim("refcount:_ADD", "ada")
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "refcount:_ADD" not in store.claims()
        assert "unclaimed" in static_text(app, "#summary")
        await pilot.press("escape")
        app.open_task("refcount:_CALL_TYPE_1")  # grace's
        await settle(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert "refcount:_CALL_TYPE_1" in store.claims()
        await pilot.press("r", "y")
        await settle(pilot)
        assert "refcount:_CALL_TYPE_1" not in store.claims()

    drive(app, scenario)


def test_claim_and_release_with_the_real_store(tasks, tmp_path: Path):
    from tracker.store import Store

    state = tmp_path / "state.yaml"
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        app.open_task("optimizer:_ADD")
        await settle(pilot)
        await pilot.press("c", *"lin", "enter", "enter")
        await settle(pilot)
        assert Store(state).claims()["optimizer:_ADD"].by == "lin"
        assert Store(state).get_setting("user.name") == "lin"
        await pilot.press("r")
        await settle(pilot)
        assert Store(state).claims() == {}

    drive(app, scenario)


def test_claims_held_by_others_are_refused_unless_stale(tasks):
    store = FakeStore(claims={"refcount:_ADD": FakeClaim("refcount:_ADD", "grace", "2025-01-01T00:00:00Z"),
                              "refcount:_ADD_STR": FakeClaim("refcount:_ADD_STR", "lin", "2026-01-01T00:00:00Z")},
                      stale={"refcount:_ADD"})
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        row = app.query_one("#tasks-table", DataTable).get_row("refcount:_ADD")
        assert "stale" in str(row[CLAIMED])
        assert app.data.is_starter(app.data.tasks["refcount:_ADD"])  # a stale claim frees it
        app.open_task("refcount:_ADD_STR")
        await settle(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, ClaimDialog)  # lin holds it
        await pilot.press("escape")
        app.open_task("refcount:_ADD")
        await settle(pilot)
        assert "stale" in static_text(app, "#summary")
        await pilot.press("c", *"ada", "enter", "enter")
        await settle(pilot)
        assert store.claims()["refcount:_ADD"].by == "ada"

    drive(app, scenario)


def test_done_tasks_cannot_be_claimed(tasks):
    store = FakeStore()
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        app.open_task("refcount:_ADD_INT")  # done in the toy set
        await settle(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, ClaimDialog)
        assert store.claims() == {}

    drive(app, scenario)


# ----------------------------------------------------------------------------- views, help, palette

def test_switch_views(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        tabs = app.query_one("#main", TabbedContent)
        await pilot.press("2")
        assert tabs.active == "progress"
        body = static_text(app, "#progress-body")
        assert "refcount" in body and "burn-down" in body
        await pilot.press("3")
        assert tabs.active == "contributors"
        assert app.query_one("#people", DataTable).row_count == 2
        assert "Ada" in str(app.query_one("#person", Label).render())
        await pilot.press("down")
        assert "Grace" in str(app.query_one("#person", Label).render())
        person_tasks = app.query_one("#person-tasks", OptionList)
        assert [o.id for o in person_tasks.options] == ["optimizer:_PUSH_CONST"]
        person_tasks.focus()
        person_tasks.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.task_id == "optimizer:_PUSH_CONST"
        await pilot.press("escape")
        await pilot.press("1")
        assert tabs.active == "tasks"
        assert app.query_one("#tasks-table", DataTable).has_focus

    drive(app, scenario)


def test_help_opens_and_closes(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(app, scenario)


def test_command_palette_opens_a_task(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"TRACE_HERE")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.task_id == "tier2:TRACE_HERE"

    drive(app, scenario)


def test_quit(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("q")
        await settle(pilot)
        assert app._exit

    drive(app, scenario)


# ----------------------------------------------------------------------------- states

def test_loading_shows_progress_then_the_tasks(tasks, store):
    gate = threading.Event()

    def loader(report):
        report("Parsing bytecodes.c…", 0.4)
        gate.wait(5)
        return tasks

    app = TrackerApp(loader=loader, store=store)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                await pilot.pause(0.02)
                if "Parsing" in str(app.query_one("#loading-label", Label).render()):
                    break
            assert app.query_one("#switcher").current == "loading"
            assert "Parsing bytecodes.c" in str(app.query_one("#loading-label", Label).render())
            gate.set()
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert app.query_one("#switcher").current == "main"
            assert len(shown_ids(app)) == len(tasks.tasks)

    asyncio.run(main())


def test_parse_failure_shows_where_and_what_to_do(store):
    def loader(report):
        raise DSLError("expected ')'", "Python/bytecodes.c", 120, 7, "op(_X, (a -- b) {")

    app = TrackerApp(loader=loader, store=store)

    async def scenario(pilot):
        assert app.query_one("#switcher").current == "error"
        text = str(app.query_one("#error", Static).render())
        assert "Python/bytecodes.c:120:7" in text and "failed to parse" in text
        assert "jit-tracker tui /path/to/cpython" in text

    drive(app, scenario)


def test_an_unexpected_error_is_a_message_not_a_traceback(store):
    def loader(report):
        raise KeyError("uops")

    app = TrackerApp(loader=loader, store=store)

    async def scenario(pilot):
        text = str(app.query_one("#error", Static).render())
        assert "Loading the tasks failed" in text and "KeyError: 'uops'" in text
        await pilot.press("ctrl+r")  # retry is offered and runs the loader again
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.query_one("#switcher").current == "error"

    drive(app, scenario)


def test_broken_state_file_keeps_tasks_and_disables_claims(tasks, tmp_path: Path):
    from tracker.store import Store

    state = tmp_path / "state.yaml"
    state.write_text("claims: [unclosed\n")
    app = TrackerApp(tasks, store=lambda: Store(state))

    async def scenario(pilot):
        assert len(shown_ids(app)) == len(tasks.tasks)
        banner = app.query_one("#banner", Static)
        assert banner.display and str(state) in str(banner.render())
        app.open_task("refcount:_ADD")
        await settle(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, ClaimDialog)
        assert state.read_text() == "claims: [unclosed\n"  # never overwritten

    drive(app, scenario)


def test_no_tasks_says_what_to_do(store):
    app = TrackerApp(TaskSet({"origin": "/src/cpython"}, []), store=store)

    async def scenario(pilot):
        empty = app.query_one("#empty", Static)
        assert empty.display
        text = str(empty.render())
        assert "No tasks found" in text and "jit-tracker tui /path/to/cpython" in text

    drive(app, scenario)


def test_reload_rescans(tasks, store):
    calls = []

    def loader(report):
        calls.append(1)
        return tasks if len(calls) == 1 else TaskSet(tasks.source, tasks.tasks[:3])

    app = TrackerApp(loader=loader, store=store)

    async def scenario(pilot):
        assert len(shown_ids(app)) == len(tasks.tasks)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert len(shown_ids(app)) == 3

    drive(app, scenario)


def test_app_needs_tasks_or_a_loader():
    with pytest.raises(ValueError):
        TrackerApp()


def test_works_with_many_tasks_on_a_small_screen(store):
    many = TaskSet({}, [make_task(i) for i in range(300)])
    app = TrackerApp(many, store=store)

    async def scenario(pilot):
        assert len(shown_ids(app)) == 300
        await pilot.press("end")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)

    drive(app, scenario, size=(80, 24))


def test_bundled_snapshot_says_so(tasks, store):
    ts = snapshot_like(tasks)
    ts.source.update(snapshot="bundled", revision="5859cc74b0be2df19f0fcbb9e90f3d6c15aefe7f",
                     date="2025-05-30T17:20:19+08:00")
    app = TrackerApp(ts, store=store)

    async def scenario(pilot):
        messages = [n.message for n in app._notifications]
        assert any("bundled snapshot of CPython 5859cc74b0 of 2025-05-30" in m
                   and "jit-tracker tui /path/to/cpython" in m for m in messages)

    drive(app, scenario, notifications=True)


def test_table_columns_fit_their_longest_cell(store):
    """TaskTable measures cells itself (for speed): widths must match what DataTable would."""
    many = TaskSet({}, [make_task(i, uop="_U" + "X" * (i % 25)) for i in range(60)])
    app = TrackerApp(many, store=store)

    async def scenario(pilot):
        await pilot.press("k")  # a refill after a filter, then back
        await pilot.press("x")
        await settle(pilot)
        table = app.query_one("#tasks-table", DataTable)
        for key in ("id", "uop", "instructions"):
            column = table.columns[key]
            cells = [str(table.get_row(row_key)[list(table.columns).index(key)]) for row_key in table.rows]
            assert column.content_width == max(len(c) for c in cells + [str(column.label)])

    drive(app, scenario, size=(120, 30))


def test_empty_progress_and_leaderboard_say_how_to_fill_them(tasks):
    app = TrackerApp(tasks, store=FakeStore())

    async def scenario(pilot):
        await pilot.press("2")
        assert "jit-tracker history CPYTHON_DIR" in static_text(app, "#progress-body")
        await pilot.press("3")
        text = str(app.query_one("#person", Label).render())
        assert "No contributors recorded yet" in text and "jit-tracker history CPYTHON_DIR" in text

    drive(app, scenario)


def test_palette_good_first_tasks_filter(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        await pilot.press("ctrl+p", *"good first")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        ids = shown_ids(app)
        assert ids and all(app.data.is_starter(app.data.tasks[i]) for i in ids)
        assert len(ids) == sum(app.data.is_starter(t) for t in tasks.tasks)

    drive(app, scenario)


def test_preview_line_follows_the_cursor(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        preview = app.query_one("#preview", Label)
        assert app.data.tasks[cursor_id(app)].title in str(preview.render())
        app.query_one(TasksView).select_task("refcount:_ADD_FLOAT")
        await settle(pilot)
        text = str(preview.render())
        assert "_ADD_FLOAT" in text and "waits on 1" in text

    drive(app, scenario)


def test_leaving_a_detail_at_once_is_harmless(tasks, store):
    app = TrackerApp(tasks, store=store)

    async def scenario(pilot):
        for task in tasks.tasks[:6]:  # open and leave before the ticket is rendered
            app.open_task(task.id)
            app.pop_screen()
        await settle(pilot)
        assert not isinstance(app.screen, DetailScreen)
        app.open_task("refcount:_ADD")
        await settle(pilot)
        assert "_ADD" in app.screen.query_one("#ticket").source

    drive(app, scenario)


def test_share_cell_text():
    from tracker.tui.tasks_view import share_text

    def cell(weight):
        return str(share_text(make_task(1, weight=weight)))

    assert (cell(None), cell(0.0), cell(0.0123), cell(0.0004)) == ("", "–", "1.2%", "<0.1%")
