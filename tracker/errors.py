"""User-facing errors: every failure a user can cause ends up as one of these.

Front ends print ``str(error)`` and exit with ``error.exit_code``; nothing below the
front ends prints or exits, and no user error ever surfaces as a traceback.
"""

from __future__ import annotations


class TrackerError(Exception):
    """An error caused by input or environment, with a message saying what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class UsageError(TrackerError):
    """Wrong arguments or paths given on the command line."""

    exit_code = 2


class DSLError(TrackerError):
    """A syntax or resolution error in instruction-definition input, with its location.

    Rendered like a compiler diagnostic: ``file:line:col: message``, then the offending
    line and a caret under the column.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        file: str,
        line: int,
        col: int,
        line_text: str = "",
        hint: str | None = None,
    ):
        super().__init__(message, hint)
        self.file = file
        self.line = line
        self.col = col
        self.line_text = line_text

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def __str__(self) -> str:
        out = [f"{self.location}: error: {self.message}"]
        if self.line_text:
            from .text import clean

            text = self.line_text.expandtabs(1)
            if len(text) > 160:  # keep huge one-line inputs readable
                start = max(0, self.col - 80)
                text = text[start : start + 160]
                caret_col = self.col - start
            else:
                caret_col = self.col
            # control characters shown escaped; the caret moves with what is before it
            caret_col = len(clean(text[: max(0, caret_col - 1)])) + 1
            text = clean(text)
            out.append(f"    {text}")
            out.append("    " + " " * max(0, caret_col - 1) + "^")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)


class DataError(TrackerError):
    """A broken file in ``data/`` or a user's state file, with where it is broken."""

    exit_code = 2
