"""Tables that fit the terminal: one line a row, like ``gh`` or ``git log --oneline``.

A command describes its columns once (:class:`Column`): how far a column may be cut, and
which columns go first when the terminal is too narrow. :func:`fit` lays rows out for a
width; sent to a pipe or a file, a table is printed whole (plain aligned columns), for
grep and cut. Every cell is escaped first (tracker.text): one row is one line, whatever a
file, GitHub or a user put in a name.
"""

from __future__ import annotations

import sys

from ..text import clean, clip

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence

GAP = 2


class Column:
    """A column's header and how it gives way on a narrow terminal.

    ``keep``: how much it matters (0 is never dropped; the highest goes first);
    ``min``: how narrow it may be cut (None: never cut); ``hide_empty``: left out when no
    row has anything in it; ``right``: right-aligned (numbers, shares).
    """

    __slots__ = ("header", "keep", "min", "hide_empty", "right")

    def __init__(self, header: str, keep: int = 0, min: int | None = None, *,
                 hide_empty: bool = False, right: bool = False) -> None:
        self.header, self.keep, self.min = header, keep, min
        self.hide_empty, self.right = hide_empty, right


def _columns(headers: Sequence[str | Column]) -> list[Column]:
    return [h if isinstance(h, Column) else Column(h, keep=0, min=max(4, len(h))) for h in headers]


def _cells(rows: Sequence[Sequence[Any]], n: int) -> list[list[str]]:
    out = []
    for row in rows:
        cells = ["" if c is None else clean(c) for c in row][:n]
        out.append(cells + [""] * (n - len(cells)))
    return out


def plain(headers: Sequence[str | Column], rows: Sequence[Sequence[Any]], title: str | None = None) -> list[str]:
    """Every column whole: what a pipe or a file gets."""
    cols = _columns(headers)
    cells = _cells(rows, len(cols))
    widths = [max([len(c.header)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    lines = [clean(title)] if title else []
    lines.append("  ".join(c.header.ljust(w) for c, w in zip(cols, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return lines


def layout(cols: list[Column], cells: list[list[str]], width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns shown within ``width``.

    Columns are given up least important first: each is cut towards its ``min`` and, if
    the table is still too wide, dropped. When only columns that are never dropped are
    left, they are cut towards their ``min`` (widest first); a line is clipped last.
    """
    natural = [max([len(c.header)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    shown = {i: w for i, w in enumerate(natural)
             if not (cols[i].hide_empty and not any(r[i] for r in cells))}

    def excess() -> int:
        return sum(shown.values()) + GAP * (len(shown) - 1) - width

    for i in sorted((i for i in shown if cols[i].keep), key=lambda i: (-cols[i].keep, -i)):
        if excess() <= 0:
            break
        low = cols[i].min
        floor = low if low is not None else shown[i]
        shown[i] = max(floor, shown[i] - excess())
        if excess() > 0:
            del shown[i]
    while excess() > 0:
        cuttable = [i for i in shown if shown[i] > max(cols[i].min or 0, 1) and cols[i].min is not None]
        if not cuttable:
            break
        i = max(cuttable, key=lambda i: shown[i])
        others = [shown[j] for j in cuttable if j != i]
        target = max(cols[i].min or 1, max(others, default=0), shown[i] - excess())
        shown[i] = target if target < shown[i] else shown[i] - 1
    return sorted(shown.items())


def fit(headers: Sequence[str | Column], rows: Sequence[Sequence[Any]], width: int,
        title: str | None = None) -> list[str]:
    """The table as lines no wider than ``width``: one line a row."""
    cols = _columns(headers)
    cells = _cells(rows, len(cols))
    shown = layout(cols, cells, width)

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, w in shown:
            v = clip(values[i], w)
            parts.append(v.rjust(w) if cols[i].right else v.ljust(w))
        return (" " * GAP).join(parts).rstrip()[:width]

    lines = [clip(clean(title), width)] if title else []
    lines.append(line([c.header for c in cols]))
    lines += [line(r) for r in cells]
    return lines


def terminal_width() -> int | None:
    """The width of the terminal stdout is, or None when stdout is not a terminal."""
    try:
        if not sys.stdout.isatty():
            return None
        import os

        return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return None


def render(headers: Sequence[str | Column], rows: Sequence[Sequence[Any]], title: str | None = None,
           width: int | None = None) -> str:
    """The table for stdout: fitted to a terminal's width, whole when piped."""
    width = width if width is not None else terminal_width()
    lines = plain(headers, rows, title) if width is None else fit(headers, rows, width, title)
    return "\n".join(lines) + "\n"
