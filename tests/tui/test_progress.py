"""Progress drawing: bars, the burn-down series and its sampling to the screen width."""

from __future__ import annotations

import io

from rich.console import Console

from tracker.tui.progress import BurnDown, bar, open_series, sample


def test_bar_parts_add_up_to_the_width():
    b = bar(done=3, claimed=2, total=10, width=20)
    assert b.plain == "█" * 6 + "▒" * 4 + "░" * 10
    assert len(bar(0, 0, 0, 7).plain) == 7


def test_series_skips_failed_revisions_and_counts_blocked_as_left():
    history = [
        {"date": "2026-01-01T00:00:00Z", "error": None,
         "counts": {"refcount": {"open": 5, "done": 1, "blocked": 1}, "optimizer": {"open": 2, "done": 0}}},
        {"date": "2026-01-02T00:00:00Z", "error": "bytecodes.c:3:1: error: ...", "counts": {}},
        {"date": "2026-01-03T00:00:00Z", "error": None,
         "counts": {"refcount": {"open": 3, "done": 3}, "optimizer": {"open": 1, "done": 1}}},
    ]
    assert open_series(history) == [("2026-01-01", 8), ("2026-01-03", 4)]


def test_sample_keeps_ends_and_fills_the_width():
    values = list(range(100))
    picked = sample(values, 10)
    assert len(picked) == 10 and picked[0] == 0 and picked[-1] == 99
    assert picked == sorted(picked)
    stretched = sample([5, 3, 1], 9)
    assert stretched == [5, 5, 5, 3, 3, 3, 1, 1, 1]
    assert sample([], 5) == []


def test_burndown_fits_the_width_and_labels_both_ends():
    points = [(f"2026-01-{d:02d}", 20 - d) for d in range(1, 11)]
    console = Console(width=50, record=True, file=io.StringIO())
    console.print(BurnDown(points, height=4))
    lines = console.export_text().splitlines()
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].startswith("19 │")  # the top is the largest value
    assert lines[-1].strip().startswith("2026-01-01") and lines[-1].strip().endswith("2026-01-10")
    # the first column is full height (19 of 19); the last lower (10 of 19)
    assert lines[0][4] == "█" and lines[0][-1] != "█"
