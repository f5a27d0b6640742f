"""Regenerate the README screenshots of the TUI (SVG, 100x30).

    .venv/bin/python docs/screenshots/make.py

tasks.svg shows the bundled snapshot (facts about CPython, no source text), weighed
by the bundled pystats report;
detail.svg shows a task of the repository's own toy instruction set
(data/examples), scanned live so that its source excerpt is shown: CPython's own
text never goes into the repository, screenshots included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tracker.cli.tui import make_loader  # noqa: E402
from tracker.tui import TrackerApp  # noqa: E402
from tracker.tui.data import EmptyStore  # noqa: E402

SIZE = (100, 30)


async def shoot(args: argparse.Namespace, name: str, task_id: str | None = None) -> None:
    app = TrackerApp(loader=make_loader(args), store=EmptyStore())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if task_id:
            app.open_task(task_id)
            await pilot.pause()
        await pilot.pause(0.2)
        app.save_screenshot(str(HERE / name))
    print(f"wrote {HERE / name}")


def main() -> None:
    bundled = argparse.Namespace(cpython_dir=None, bytecodes=None, optimizer=None, state=None)
    os.chdir(ROOT)  # relative paths: no local directory in the pictures
    toy = argparse.Namespace(cpython_dir=None, state=None, stats="",  # made-up uops: no counts
                             bytecodes="data/examples/bytecodes.c",
                             optimizer="data/examples/optimizer_bytecodes.c")
    asyncio.run(shoot(bundled, "tasks.svg"))
    asyncio.run(shoot(toy, "detail.svg", "refcount:_ADD_FLOAT"))


if __name__ == "__main__":
    main()
