"""The Progress tab: per-kind bars, and a burn-down of open tasks when history exists."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from .data import TrackerData

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar(done: int, claimed: int, total: int, width: int) -> Text:
    """``█`` done, ``▒`` claimed (in progress), ``░`` still open."""
    if total <= 0 or width <= 0:
        return Text("░" * max(width, 0), style="dim")
    d = round(width * done / total)
    c = min(width - d, round(width * claimed / total))
    return Text.assemble(("█" * d, "green"), ("▒" * c, "cyan"), ("░" * (width - d - c), "dim"))


def open_series(history: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(date, tasks left: open or blocked) per revision that scanned without error, oldest first."""
    points = []
    for entry in history:
        if entry.get("error"):
            continue
        counts = entry.get("counts") or {}
        total = sum(int(c.get("open", 0)) + int(c.get("blocked", 0)) for c in counts.values())
        points.append((str(entry.get("date", ""))[:10], total))
    return points


def sample(values: list[int], width: int) -> list[int]:
    """Exactly ``width`` columns: values evenly picked (first and last kept) or stretched."""
    n = len(values)
    if n == 0 or width <= 0:
        return []
    if width == 1:
        return [values[-1]]
    if n >= width:
        return [values[round(i * (n - 1) / (width - 1))] for i in range(width)]
    return [values[i * n // width] for i in range(width)]


class BurnDown:
    """A block-character column chart of open tasks over time, as wide as the screen."""

    def __init__(self, points: list[tuple[str, int]], height: int = 6) -> None:
        self.points = points
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        values = [v for _d, v in self.points]
        top = max(values) or 1
        # The axis starts a little below the lowest value, not at 0: 170 tasks going down to
        # 150 drew nearly full, equal columns. The bottom label says where it starts.
        low = min(values)
        floor = max(0, low - max(1, (top - low) // 4))
        label_w = max(len(str(top)), len(str(floor))) + 1
        width = max(4, min(options.max_width - label_w - 1, 120))
        cols = sample(values, width)
        for row in range(self.height, 0, -1):
            label = str(top) if row == self.height else (str(floor) if row == 1 else "")
            line = Text(label.rjust(label_w - 1) + " │", style="dim")
            for v in cols:
                level = (v - floor) / max(1, top - floor) * self.height - (row - 1)
                ch = BLOCKS[max(0, min(8, round(level * 8)))] if level < 1 else "█"
                line.append(ch, style="yellow")
            yield line
        yield Text(" " * label_w + "└" + "─" * len(cols), style="dim")
        first, last = self.points[0][0], self.points[-1][0]
        gap = max(1, len(cols) - len(first) - len(last))
        yield Text(" " * (label_w + 1) + first + " " * gap + last, style="dim")


def progress_renderable(data: TrackerData):
    rows = data.progress()
    if not rows:
        return Text.from_markup("[b]Nothing to measure yet[/b]: there are no tasks.\n"
                                "Point the app at a CPython checkout: jit-tracker tui /path/to/cpython")
    table = Table(box=None, expand=True, show_header=True, header_style="bold", padding=(0, 1))
    table.add_column("kind", no_wrap=True)
    table.add_column("progress", ratio=1, no_wrap=True)
    table.add_column("done", justify="right", no_wrap=True)
    table.add_column("open", justify="right", no_wrap=True)
    table.add_column("claimed", justify="right", no_wrap=True)
    total = {"done": 0, "claimed": 0, "total": 0, "open": 0}
    for r in rows:
        pct = 100 * r["done"] // r["total"]
        table.add_row(r["kind"], _Bar(r["done"], r["claimed"], r["total"]),
                      f"{r['done']}/{r['total']} {pct:>3}%", str(r["open"]), str(r["claimed"]))
        for k in total:
            total[k] += r[k]
    pct = 100 * total["done"] // max(total["total"], 1)
    table.add_row(Text("all", style="bold"), _Bar(total["done"], total["claimed"], total["total"]),
                  Text(f"{total['done']}/{total['total']} {pct:>3}%", style="bold"),
                  str(total["open"]), str(total["claimed"]))
    legend = Text.assemble(("█", "green"), " done  ", ("▒", "cyan"), " claimed  ",
                           ("░", "dim"), " open", style="")
    parts: list[Any] = [table, legend, Text("")]
    points = open_series(data.history)
    if len(points) >= 2:
        parts += [Text.assemble(("Tasks left over time (burn-down)", "bold"),
                                f": {points[0][1]} → {points[-1][1]} over {len(points)} revisions"),
                  BurnDown(points)]
    elif data.history:
        parts.append(Text("Only one revision in the history so far: the burn-down needs two.",
                          style="dim"))
    else:
        parts.append(Text.from_markup(
            "[b]No history yet.[/b] [dim]Record it to see a burn-down chart: "
            "jit-tracker history CPYTHON_DIR[/dim]"))
    return Group(*parts)


class _Bar:
    """A bar that fills whatever width its table column gets."""

    def __init__(self, done: int, claimed: int, total: int) -> None:
        self.args = (done, claimed, total)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield bar(*self.args, width=options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions):
        from rich.measure import Measurement

        return Measurement(8, options.max_width)


class ProgressView(VerticalScroll):
    def compose(self):
        yield Static("", id="progress-body")

    def set_data(self, data: TrackerData) -> None:
        self.query_one("#progress-body", Static).update(progress_renderable(data))
