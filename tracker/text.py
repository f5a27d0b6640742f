"""Text from outside (a file, GitHub, a user) made safe to show, and what a name may be.

A terminal obeys the control characters it is sent: an escape sequence in a crafted
bytecodes.c, a claimant's name or a GitHub comment can clear the screen, set the window
title or move the cursor, and a newline breaks a one-line row. Every front end shows such
text through :func:`clean` (one line) or :func:`clean_block` (keeps line breaks and tabs):
control characters become visible escapes (``\\x1b``, ``\\n``), the way ``repr`` shows them.

Pure functions of strings, standard library only (the core layer).
"""

from __future__ import annotations

import re

from .errors import UsageError

# C0 controls, DEL, C1 controls, and the bidirectional overrides and isolates (they reorder
# what follows them on the line: "Trojan Source").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: object) -> str:
    """``text`` on one line with every control character shown as an escape."""
    s = "" if text is None else str(text)
    return _CONTROL.sub(_visible, s) if _CONTROL.search(s) else s


def clean_block(text: object) -> str:
    """``text`` with its line breaks and tabs kept and every other control character escaped
    (a lone ``\\r``, which moves the cursor back over the line, is escaped too)."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n")
    return _CONTROL_BUT_LINES.sub(_visible, s) if _CONTROL_BUT_LINES.search(s) else s


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when cut."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


# A claimant's name: a GitHub login fits (1-39 letters, digits and hyphens); so does a
# person's name with spaces, dots, apostrophes and underscores. Nothing else.
NAME_MAX = 39
_NAME = re.compile(r"[^\W_](?:[\w.' -]*[^\W_]|[\w.' -]*\.)?")


def check_name(name: str, what: str = "a name") -> str:
    """``name`` without surrounding spaces, or a UsageError saying what a name may be."""
    stripped = (name or "").strip()
    if not stripped:
        raise UsageError(f"{what} is needed: who is working on it?")
    if len(stripped) > NAME_MAX or not _NAME.fullmatch(stripped):
        shown = clip(clean(stripped), 60)
        raise UsageError(
            f"{what} must be 1 to {NAME_MAX} letters, digits, spaces or . _ - ' "
            f"(a GitHub login fits), not '{shown}'" if len(stripped) <= NAME_MAX else
            f"{what} is {len(stripped)} characters long; at most {NAME_MAX} (a GitHub login fits)",
        )
    return stripped
