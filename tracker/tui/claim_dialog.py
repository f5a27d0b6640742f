"""Modal dialogs for claiming (asks a name, pre-filled with the remembered one) and confirming."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


@dataclass
class ClaimRequest:
    name: str
    note: str | None


class ClaimDialog(ModalScreen["ClaimRequest | None"]):
    """Who is taking the task; the name is remembered in the store for next time."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, task_id: str, name: str = "") -> None:
        super().__init__()
        self.task_id = task_id
        self.default_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"[b]Claim {self.task_id}[/b]")
            yield Label("Your name or GitHub login (remembered for next time):")
            yield Input(self.default_name, placeholder="e.g. your GitHub login", id="claim-name")
            yield Label("Note (optional):")
            yield Input(placeholder="e.g. PR coming this week", id="claim-note")
            yield Label("", id="claim-error")
            with Horizontal(classes="buttons"):
                yield Button("Claim", variant="primary", id="claim-ok")
                yield Button("Cancel", id="claim-cancel")

    def on_mount(self) -> None:
        self.query_one("#claim-name" if not self.default_name else "#claim-note", Input).focus()

    def _submit(self) -> None:
        name = self.query_one("#claim-name", Input).value.strip()
        if not name:
            self.query_one("#claim-error", Label).update("[red]A name is needed to claim a task.[/red]")
            self.query_one("#claim-name", Input).focus()
            return
        note = self.query_one("#claim-note", Input).value.strip() or None
        self.dismiss(ClaimRequest(name, note))

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id == "claim-name" and event.value.strip():
            self.query_one("#claim-note", Input).focus()
        else:
            self._submit()

    @on(Button.Pressed, "#claim-ok")
    def _ok(self) -> None:
        self._submit()

    @on(Button.Pressed, "#claim-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question (y / n / escape)."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="warning", id="yes")
                yield Button("No (n)", id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
