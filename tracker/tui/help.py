"""The `?` screen: every key, and the few ideas a newcomer needs, in one 80x24 screen."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "[b]jit-tracker[/b]: pick a task that makes a CPython uop friendlier to the JIT, claim it, "
    "follow the campaign. "
    "[bold green]★[/] marks a good first task: [i]ready[/i] (every prerequisite done), "
    "[i]easy[/i], and unclaimed. [b]·[/b] marks other ready tasks. Best picks are listed first."
)

LEFT = {
    "Everywhere": [
        ("1 2 3", "tasks, progress, people"),
        ("?", "this help"),
        ("ctrl+p", "palette: open any task"),
        ("ctrl+r", "rescan and reload"),
        ("q", "quit"),
    ],
    "Task detail": [
        ("c", "claim (name remembered)"),
        ("r", "release the claim"),
        ("o", "open its GitHub issue"),
        ("tab", "to the linked tasks"),
        ("enter", "jump to the one picked"),
        ("esc", "back"),
    ],
}
RIGHT = {
    "Tasks": [
        ("enter", "open the task"),
        ("← →", "more columns"),
        ("/", "fuzzy search (esc clears)"),
        ("k d s", "kind, difficulty, status"),
        ("r", "ready tasks only"),
        ("x", "clear every filter"),
        ("o O", "sort by / reverse"),
        ("u", "update from GitHub"),
    ],
    "Contributors": [
        ("tab enter", "open one of their tasks"),
    ],
}

OUTRO = ("Claims go to your state file (--state PATH or $JIT_TRACKER_STATE), shared with "
         "'jit-tracker claims'.  [dim]esc closes this help[/dim]")


def _sections(sections: dict[str, list[tuple[str, str]]]) -> Group:
    parts: list = []
    for section, rows in sections.items():
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(style="bold yellow", width=9, no_wrap=True)
        table.add_column()
        for key, what in rows:
            table.add_row(key, what)
        parts += [Text(section, style="bold underline"), table]
    return Group(*parts)


def help_renderable() -> Group:
    """Two columns of keys, so that all of it fits on an 80x24 screen."""
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(_sections(LEFT), _sections(RIGHT))
    return Group(Text.from_markup(INTRO), Text(""), grid, Text(""), Text.from_markup(OUTRO))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(help_renderable())

    def action_close(self) -> None:
        self.dismiss(None)
