"""Messages between the TUI's screens, and the texts of its empty and error states.

The state texts live here so that every "nothing to show" and "something broke"
message says what to do next, in one place.
"""

from __future__ import annotations

from textual.message import Message

POINT_AT_CHECKOUT = "jit-tracker tui /path/to/cpython"


class OpenTask(Message):
    """Show the detail of a task (from the table, a prerequisite link or the palette)."""

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id


class ClaimsChanged(Message):
    """A claim was added or released: every view re-reads the store's claims."""


def no_tasks_text(source: dict) -> str:
    origin = source.get("origin") or "the bundled snapshot"
    return (
        f"[b]No tasks found[/b] in {origin}.\n\n"
        "Either every uop is already JIT-friendly, or the sources were not the ones you meant.\n"
        f"Point the app at a CPython checkout: [b]{POINT_AT_CHECKOUT}[/b]\n"
        "or at files: [b]jit-tracker tui --bytecodes FILE --optimizer FILE[/b]"
    )


def no_match_text(description: str) -> str:
    return (
        f"[b]No task matches[/b] ({description}).\n\n"
        "Press [b]x[/b] to clear every filter, or [b]escape[/b] in the search box to clear the search."
    )


def load_error_text(error: BaseException) -> str:
    from ..errors import DataError, DSLError, UsageError

    if isinstance(error, DSLError):
        what = "A source file failed to parse"
        todo = ("Fix the file, or point the app at another checkout: "
                f"[b]{POINT_AT_CHECKOUT}[/b]. Without arguments it opens the bundled snapshot.")
    elif isinstance(error, DataError):
        what = "A data file is broken"
        todo = "Fix or move away the file named above, then press [b]ctrl+r[/b] to retry."
    elif isinstance(error, UsageError):
        what = "The sources could not be read"
        todo = f"Check the path, e.g. [b]{POINT_AT_CHECKOUT}[/b], or run without arguments."
    else:
        what = "Loading the tasks failed"
        todo = "Press [b]ctrl+r[/b] to retry, or run [b]jit-tracker tasks[/b] to see the full error."
    from rich.markup import escape

    from ..errors import TrackerError

    detail = str(error) if isinstance(error, TrackerError) else f"{type(error).__name__}: {error}"
    from ..text import clean_block

    return f"[b red]{what}[/b red]\n\n{escape(clean_block(detail))}\n\n{todo}\n\nPress [b]q[/b] to quit."
