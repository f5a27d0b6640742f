"""The Contributors tab: who landed how many tasks, and which."""

from __future__ import annotations

from rich.markup import escape as _markup_escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from rich.text import Text
from textual.widgets import DataTable, Label, OptionList
from textual.widgets.option_list import Option

from .data import TrackerData
from .messages import OpenTask


def _cut(text: object, width: int) -> str:
    from ..text import clean, clip

    return clip(clean(text), width)


def escape(text: object) -> str:
    """Text from a file, GitHub or a user, for markup: control characters shown as escapes
    (tracker.text), markup brackets escaped."""
    from ..text import clean

    return _markup_escape(clean(text))


def ranked(contributors: list[dict]) -> list[dict]:
    """Most tasks first; ties by earliest first contribution, then name."""
    return sorted(contributors, key=lambda c: (-len(c.get("tasks", [])), str(c.get("first", "")),
                                               str(c.get("name", ""))))


class ContributorsView(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.people: list[dict] = []
        self.data: TrackerData | None = None

    def compose(self) -> ComposeResult:
        table: DataTable = DataTable(cursor_type="row", id="people")
        table.add_columns("#", "name", "tasks", "first", "latest")
        yield table
        yield Label("", id="person")
        yield OptionList(id="person-tasks")

    def set_data(self, data: TrackerData) -> None:
        self.data = data
        self.people = ranked(data.contributors)
        table = self.query_one("#people", DataTable)
        table.clear()
        for i, c in enumerate(self.people, 1):
            table.add_row(str(i), Text(_cut(c.get("name", "?"), 40)), str(len(c.get("tasks", []))),
                          str(c.get("first", ""))[:10], str(c.get("latest", ""))[:10], key=str(i))
        table.display = bool(self.people)
        self.query_one("#person-tasks", OptionList).display = bool(self.people)
        if not self.people and data.history:
            self.query_one("#person", Label).update(
                f"[b]No task finished yet[/b] in the {len(data.history)} recorded revision(s).\n\n"
                "A contributor appears here when a commit of theirs turns a task from open to "
                "done. Refresh the history with [b]jit-tracker history CPYTHON_DIR[/b].")
        elif not self.people:
            self.query_one("#person", Label).update(
                "[b]No contributors recorded yet.[/b]\n\n"
                "The leaderboard comes from the history: who landed the commit that closed each "
                "task. Record it with [b]jit-tracker history CPYTHON_DIR[/b].")
        else:
            self._show(0)

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.people):
            return
        c = self.people[index]
        self.query_one("#person", Label).update(
            f"[b]{escape(str(c.get('name', '?')))}[/b] — {len(c.get('tasks', []))} task(s)"
            "  [dim](tab, enter: open a task)[/dim]")
        tasks = self.query_one("#person-tasks", OptionList)
        tasks.clear_options()
        known = self.data.tasks if self.data is not None else {}
        for t in c.get("tasks", []):
            pr = f" PR {t['pr']}" if t.get("pr") else ""
            tid = str(t.get("id"))
            tasks.add_option(Option(
                f"{escape(tid)}  [dim]{str(t.get('date', ''))[:10]} {str(t.get('revision', ''))[:10]}{pr}"
                + ("" if tid in known else " · not in this scan") + "[/dim]",
                id=tid, disabled=tid not in known))
        first = next((i for i, o in enumerate(tasks.options) if not o.disabled), None)
        tasks.highlighted = first  # enter opens it at once (nothing happened until ↓)

    @on(DataTable.RowSelected, "#people")
    def _person_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a person: to their tasks, the first one highlighted."""
        event.stop()
        tasks = self.query_one("#person-tasks", OptionList)
        if tasks.option_count:
            tasks.focus()

    @on(OptionList.OptionSelected, "#person-tasks")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(OpenTask(event.option.id))

    @on(DataTable.RowHighlighted, "#people")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)
