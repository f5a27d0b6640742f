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
    "follow the campaign.\n"
    "[bold green]★[/] marks a good first task: [i]ready[/i] (every prerequisite done), "
    "[i]easy[/i], and unclaimed. [b]·[/b] marks other ready tasks. Best picks are listed first."
)

KEYS = {
    "Everywhere": [
        ("1 2 3", "Tasks, Progress, Contributors"),
        ("?", "this help"),
        ("ctrl+p", "command palette: open any task by name"),
        ("ctrl+r", "reload tasks and state"),
        ("q", "quit"),
    ],
    "Tasks": [
        ("enter", "open the selected task (← → scroll to more columns)"),
        ("/", "fuzzy search (esc clears)"),
        ("k d s", "cycle kind / difficulty / status filter"),
        ("r", "ready tasks only"),
        ("x", "clear every filter"),
        ("o O", "sort column / reverse (or click a header)"),
    ],
    "Task detail": [
        ("c", "claim it (asks your name once, remembers it)"),
        ("r", "release the claim"),
        ("o", "open its GitHub issue"),
        ("tab enter", "pick a prerequisite or dependent: jump to it"),
        ("esc", "back"),
    ],
    "Contributors": [
        ("tab enter", "open one of the highlighted person's tasks"),
    ],
}

OUTRO = ("Claims go to your state file (--state PATH, or $JIT_TRACKER_STATE), shared with "
         "'jit-tracker claims'.   [dim]esc or ? closes this help[/dim]")


def help_renderable() -> Group:
    parts: list = [Text.from_markup(INTRO), Text("")]
    for section, rows in KEYS.items():
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(style="bold yellow", width=10, no_wrap=True)
        table.add_column()
        for key, what in rows:
            table.add_row(key, what)
        parts += [Text(section, style="bold underline"), table]
    parts += [Text(""), Text.from_markup(OUTRO)]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(help_renderable())

    def action_close(self) -> None:
        self.dismiss(None)
