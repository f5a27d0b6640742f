"""Modal dialogs for claiming (asks a name, pre-filled with the remembered one, and shows the
comment that will tell everyone on GitHub), releasing with that comment, and confirming."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from rich.text import Text
from textual import on

from ..text import clean, clean_block
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static


@dataclass
class ClaimRequest:
    name: str
    note: str | None
    post: bool = False  # also post the claim as a comment on GitHub


@dataclass
class PostOffer:
    """Where a claim or release would be posted on GitHub and its text; or why it would not."""

    where: str | None  # "octo/jit-tasks #12"; None: it stays local
    text: Callable[[str], str]  # the comment, for a name
    reason: str = ""  # why it stays local


class ClaimDialog(ModalScreen["ClaimRequest | None"]):
    """Who is taking the task; the name is remembered in the store for next time."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, task_id: str, name: str = "", offer: PostOffer | None = None,
                 save: "Callable[[ClaimRequest], None] | None" = None) -> None:
        super().__init__()
        self.task_id = task_id
        self.default_name = name
        self.offer = offer
        self.save = save  # records the claim (off the UI thread); the dialog stays if it fails

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text.assemble(("Claim ", "bold"), (clean(self.task_id), "bold")), id="claim-title")
            yield Label("Your name or GitHub login (remembered for next time):")
            yield Input(self.default_name, placeholder="e.g. your GitHub login", id="claim-name",
                        compact=True)
            yield Label("Note (optional):")
            yield Input(placeholder="e.g. PR coming this week", id="claim-note", compact=True)
            if self.offer and self.offer.where:
                yield Checkbox(f"Post this comment on {clean(self.offer.where)}:", True, id="claim-post")
                yield Static(self._comment(self.default_name), id="claim-comment", markup=False)
            elif self.offer:
                # what a claim says on GitHub, shown even when it stays here, and why it does
                yield Label(Text(clean_block(self.offer.reason), style="dim"), id="claim-local")
                yield Label("The comment it would post:", classes="dim")
                yield Static(self._comment(self.default_name), id="claim-comment", markup=False)
            yield Label("", id="claim-error")
            with Horizontal(classes="buttons"):
                yield Button("Claim", variant="primary", id="claim-ok", compact=True)
                yield Button("Cancel", id="claim-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#claim-name" if not self.default_name else "#claim-note", Input).focus()

    def _submit(self) -> None:
        name = self.query_one("#claim-name", Input).value.strip()
        if not name:
            self.query_one("#claim-error", Label).update("[red]A name is needed to claim a task.[/red]")
            self.query_one("#claim-name", Input).focus()
            return
        note = self.query_one("#claim-note", Input).value.strip() or None
        boxes = self.query("#claim-post")
        request = ClaimRequest(name, note, bool(boxes) and boxes.first(Checkbox).value)
        if self.save is None:
            self.dismiss(request)
            return
        self.query_one("#claim-error", Label).update("Saving…")
        self.run_worker(partial(self._save, request), thread=True, group="claim", exit_on_error=False)

    def _save(self, request: ClaimRequest) -> None:
        from ..errors import TrackerError

        assert self.save is not None
        try:
            self.save(request)
        except TrackerError as exc:
            self.app.call_from_thread(self._refused, clean_block(exc))
            return
        self.app.call_from_thread(self.dismiss, request)

    def _refused(self, message: str) -> None:
        from rich.text import Text

        self.query_one("#claim-error", Label).update(Text(f"Not saved: {message}", style="red"))

    def _comment(self, name: str) -> str:
        assert self.offer is not None
        text = self.offer.text(name or "NAME")
        return clean_block("\n".join(line for line in text.splitlines()
                                      if line.strip() and not line.startswith("<!--")))

    @on(Input.Changed, "#claim-name")
    def _name_changed(self, event: Input.Changed) -> None:
        for widget in self.query("#claim-comment").results(Static):
            widget.update(self._comment(event.value.strip()))

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


class ReleaseDialog(ModalScreen["str | None"]):
    """Release a claim: post the comment that says so (p), only here (l), or not at all (esc)."""

    BINDINGS = [Binding("p", "answer('post')", "Release and post"), Binding("l", "answer('local')", "Release here"),
                Binding("escape,n", "answer(None)", "Cancel")]

    def __init__(self, task_id: str, where: str, text: str) -> None:
        super().__init__()
        self.task_id, self.where, self.text = task_id, where, text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text.assemble((f"Release {clean(self.task_id)}", "bold"),
                                      f"\nThis comment tells everyone on {clean(self.where)}:"))
            shown = clean_block("\n".join(line for line in self.text.splitlines()
                                           if line.strip() and not line.startswith("<!--")))
            yield Static(shown, id="release-comment", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Release and post (p)", variant="primary", id="post")
                yield Button("Only here (l)", id="local")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_answer(self, value: str | None) -> None:
        self.dismiss(value)
