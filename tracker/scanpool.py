"""Run one function over many inputs on all cores: ``history``'s scans of old revisions.

The inputs are made one at a time as workers take them (a walk's blobs are not all
held in memory), results come back in any order, and a progress callback hears of each.
Ctrl-C reaches the whole process group: workers ignore it, and the main process stops
handing out work, lets the running pieces finish (their results are kept), and
re-raises KeyboardInterrupt for the command line to turn into one line and exit code
130, so no worker prints a traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Hashable, Iterable

Progress = Callable[[int, int], None]  # (done so far, to do)

# Below this many inputs a process pool costs more than it saves.
POOL_THRESHOLD = 8


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(work: Callable[..., Any], inputs: Iterable[tuple[Hashable, Callable[[], tuple]]], total: int,
        keep: Callable[[Hashable, Any], None], *, jobs: int | None = None,
        progress: Progress | None = None) -> None:
    """``keep(key, work(*make()))`` for each ``(key, make)`` of ``inputs``.

    ``work`` must be a module-level function (it is sent to the workers by name);
    ``total`` is how many inputs there are, for the progress callback and to decide
    whether a pool is worth starting.
    """
    if progress:
        progress(0, total)
    if not total:
        return
    jobs = jobs or os.cpu_count() or 1
    done = 0

    def finished(key: Hashable, value: Any) -> None:
        nonlocal done
        keep(key, value)
        done += 1
        if progress:
            progress(done, total)

    if jobs <= 1 or total < POOL_THRESHOLD:
        for key, make in inputs:
            finished(key, work(*make()))
        return
    ctx = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_start)
    pending: dict[Future, Hashable] = {}
    try:
        limit = jobs * 4  # bounded: a long walk's inputs are made as they are needed
        for key, make in inputs:
            pending[pool.submit(work, *make())] = key
            if len(pending) < limit:
                continue
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in ready:
                finished(pending.pop(fut), fut.result())
        for fut in list(pending):
            finished(pending.pop(fut), fut.result())
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        for fut, key in pending.items():  # what finished before the interrupt is kept
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                keep(key, fut.result())
        raise
    pool.shutdown(wait=True)
