"""The header's provenance line and "Update from GitHub" (a mixin of the app).

The update fetches and scans in a worker thread, then reads the campaign (who claimed
what, which pull requests are in review) into the state, so the table stays usable and
the first frame never waits for the network; afterwards every view gets the new data and
claims (a task someone is on loses its star) while the task table keeps its filters, sort
and cursor, and a notice says what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import Static

from ..provenance import describe
from ..changes import compare, describe as what_changed
from .data import TrackerData
from .detail import DetailScreen


if TYPE_CHECKING:  # checkers see the app this is mixed into
    from textual.app import App

    _Base = App[None]
else:
    _Base = object


class GitHubUpdates(_Base):
    """Needs ``self.data``, ``self.store``, ``self._updater``, ``self.now`` and ``_show``."""

    data: TrackerData | None
    store: Any
    _updater: Any
    updating: bool
    now: Callable[[], datetime]
    _show: Callable[[TrackerData], None]

    def _stale_text(self, source: dict) -> str:
        what = "the bundled snapshot" if source.get("snapshot") == "bundled" else "this data"
        text = f"Showing {what}: {describe(source, self.now())}."
        if self._updater is not None:
            text += " Press u to update from GitHub."
        if source.get("snapshot") == "bundled":
            text += " For the source text too: jit-tracker tui /path/to/cpython"
        return text

    def _show_provenance(self, extra: str = "") -> None:
        if self.data is None:
            return
        line = describe(self.data.taskset.source, self.now(), short=True)
        self.query_one("#provenance", Static).update(line + (f" · {extra}" if extra else ""))

    # ------------------------------------------------------------------ update from GitHub
    def action_update(self) -> None:
        if self._updater is None:
            self.notify("Updating needs GitHub: start the app with `jit-tracker tui` "
                        "(or --github OWNER/NAME[@REF]).", severity="warning")
            return
        if self.updating:
            self.notify("An update is already running.")
            return
        if self.data is None:
            return
        self.updating = True
        self._show_provenance("updating from GitHub…")
        self.update_from_github()

    @work(thread=True, exclusive=True, group="update", exit_on_error=False)
    def update_from_github(self) -> None:
        """Fetch and scan off the UI thread; the table stays usable meanwhile."""
        assert self._updater is not None
        report = partial(self.call_from_thread, self._update_progress)
        try:
            taskset, _previous = self._updater(report)
            store = self.store
            data = TrackerData.load(taskset, store) if store is not None else TrackerData(
                taskset, store_error=self.data.store_error if self.data else None)
        except Exception as exc:  # noqa: BLE001 - offline, rate limit, a parse error: a message
            self.call_from_thread(self._update_failed, exc)
            return
        self.call_from_thread(self._updated, data)

    def _update_progress(self, message: str, fraction: float | None) -> None:
        done = f" {round(fraction * 100)}%" if fraction is not None else ""
        self._show_provenance(f"updating: {message}{done}")

    def _update_failed(self, error: BaseException) -> None:
        self.updating = False
        self._show_provenance()
        what = getattr(error, "what", None) or str(error)
        shown = describe(self.data.taskset.source, self.now()) if self.data else "nothing"
        self.notify(f"{what}. Still showing {shown}.", title="Not updated", severity="warning",
                    timeout=10)

    def _updated(self, data: TrackerData) -> None:
        self.updating = False
        old = self.data
        while isinstance(self.screen, DetailScreen) and self.screen.task_id not in data.tasks:
            self.pop_screen()  # its task is gone from today's CPython
        self._show(data)
        if old is None:
            return
        changes = compare(old.taskset, data.taskset)
        self.notify(f"{what_changed(changes, old.taskset.source.get('date'))}. Now: "
                    f"{describe(data.taskset.source, self.now())}.", title="Updated from GitHub",
                    timeout=10)
        for note in getattr(self._updater, "notes", None) or []:  # the campaign read in part, or not
            self.notify(note, title="Campaign", severity="warning", timeout=15)

