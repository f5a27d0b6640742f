"""The Textual app: loads tasks in a worker, then Tasks / Progress / Contributors tabs.

The app never parses: it is given a TaskSet, or a loader that returns one (run in a
thread so that scanning a checkout never freezes the screen), and a store (or a
function opening one) for claims, issues, history and contributors.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, cast

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Label, ProgressBar, Static, TabbedContent, TabPane

from ..errors import TrackerError
from ..provenance import is_stale
from ..tasks import TaskSet
from .claim_dialog import ClaimDialog, ClaimRequest, ConfirmDialog, PostOffer, ReleaseDialog
from .contributors import ContributorsView
from .data import Filters, Report, StoreLike, TrackerData
from .messages import ClaimsChanged, OpenTask, load_error_text
from .progress import ProgressView
from .tasks_view import TasksView
from .updating import GitHubUpdates

# The detail screen (rich's Markdown and its parser) and help are imported when first
# opened: the first frame waits for every import before it.

STALE_NOTICE_SECONDS = 5
Loader = Callable[[Report], TaskSet]
Updater = Callable[[Report], "tuple[TaskSet, TaskSet | None]"]
"""Fetches today's sources from GitHub (off the UI thread); raises TrackerError when it cannot."""


class TaskCommands(Provider):
    """Command palette: type part of a task id or uop to open its detail."""

    async def search(self, query: str) -> Hits:
        app = cast("TrackerApp", self.app)
        data = getattr(app, "data", None)
        if data is None:
            return
        matcher = self.matcher(query)
        for task in data.taskset.tasks:
            text = f"Open task {task.id}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.open_task, task.id),
                          help=task.title)

    async def discover(self) -> Hits:
        app = cast("TrackerApp", self.app)
        data = getattr(app, "data", None)
        if data is None:
            return
        for task in [t for t in data.visible(Filters()) if data.is_starter(t)][:10]:  # best first
            yield DiscoveryHit(f"Open task {task.id}", partial(app.open_task, task.id),
                               help="★ ready, easy and unclaimed")


class TrackerApp(GitHubUpdates, App):
    """jit-tracker's TUI. Give it ``tasks`` or a ``loader``; ``store`` may be a Store or a factory."""

    TITLE = "jit-tracker"
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {TaskCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("1", "show_tab('tasks')", "Tasks", show=False),
        Binding("2", "show_tab('progress')", "Progress", show=False),
        Binding("3", "show_tab('contributors')", "People", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("u", "update", "Update", show=False),
    ]

    def __init__(
        self,
        tasks: TaskSet | None = None,
        *,
        loader: Loader | None = None,
        store: StoreLike | Callable[[], StoreLike] | None = None,
        updater: Updater | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        if tasks is None and loader is None:
            raise ValueError("TrackerApp needs tasks or a loader")
        self._tasks = tasks
        self._loader = loader
        self._updater = updater
        self.updating = False
        self.now = now or (lambda: datetime.now(timezone.utc))  # ages are relative to it (tests fix it)
        self._store_source = store
        self.store: StoreLike | None = None
        self.data: TrackerData | None = None
        self.load_error: BaseException | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("Loading tasks…", id="provenance")
        with ContentSwitcher(initial="loading", id="switcher"):
            with Vertical(id="loading"):
                yield Label("Loading tasks…", id="loading-label")
                with Center():
                    yield ProgressBar(total=None, show_eta=False, id="loading-bar")
            yield Static("", id="error")
            with TabbedContent(id="main", initial="tasks"):
                with TabPane("Tasks", id="tasks"):
                    yield TasksView(id="tasks-view")
                with TabPane("Progress", id="progress"):
                    yield ProgressView(id="progress-view")
                with TabPane("Contributors", id="contributors"):
                    yield ContributorsView(id="contributors-view")
        yield Footer()

    def on_mount(self) -> None:
        self._first_frame = threading.Event()
        self.call_after_refresh(self._first_frame.set)
        self.load()

    # ------------------------------------------------------------------ loading
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        """Scan (or take) the tasks and read the store, off the UI thread."""
        # after the first frame: a cached scan arrives so fast that filling the table
        # would otherwise come first, and the screen would stay blank meanwhile
        frame = getattr(self, "_first_frame", None)
        if frame is not None:
            frame.wait(timeout=2.0)
        report = partial(self.call_from_thread, self._report)
        try:
            taskset = self._loader(report) if self._loader is not None else self._tasks
            assert taskset is not None  # the constructor asks for tasks or a loader
            report("Reading claims and history…", None)
            store = self._store_source
            if callable(store) and not hasattr(store, "claims"):
                try:
                    store = store()
                except TrackerError as exc:  # a broken state file: browse, but no claims
                    self.store = None
                    data = TrackerData(taskset, store_error=str(exc))
                    self.call_from_thread(self._loaded, data)
                    return
            self.store = store  # type: ignore[assignment]
            data = TrackerData.load(taskset, self.store)
        except TrackerError as exc:
            self.call_from_thread(self._failed, exc)
            return
        except Exception as exc:  # noqa: BLE001 - an unexpected error still gets a screen, not a traceback
            self.call_from_thread(self._failed, exc)
            return
        self.call_from_thread(self._loaded, data)

    def _report(self, message: str, fraction: float | None) -> None:
        self.query_one("#loading-label", Label).update(message)
        bar = self.query_one("#loading-bar", ProgressBar)
        if fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=round(fraction * 100))

    def _failed(self, error: BaseException) -> None:
        self.load_error = error
        self.query_one("#provenance", Static).update("Nothing loaded: see below")
        self.query_one("#error", Static).update(load_error_text(error))
        self.query_one("#switcher", ContentSwitcher).current = "error"
        self.set_focus(None)  # nothing behind the message takes keys

    def _loaded(self, data: TrackerData) -> None:
        self.query_one("#loading-bar", ProgressBar).update(total=1, progress=1)  # stop its animation
        self._show(data)
        self.query_one("#tasks-table").focus()
        source = data.taskset.source or {}
        if source.get("unavailable"):
            self.notify(f"{source['unavailable']}; showing the data at hand instead.",
                        title="GitHub not read", severity="warning", timeout=8)
        # Old data is said once a run, briefly (the header says it all along), and only of data
        # an update replaces: a snapshot or a scan from GitHub, never the user's own checkout.
        local = not source.get("snapshot") and not str(source.get("origin") or "").startswith("github:")
        if is_stale(source, self.now()) and not local and not getattr(self, "_told_stale", False):
            self._told_stale = True
            self.notify(self._stale_text(source), title="Old data", timeout=STALE_NOTICE_SECONDS)
        if data.store_error:
            self.notify(f"{data.store_error}\nTasks are shown; claims are disabled.",
                        title="State file problem", severity="error", timeout=10)
        else:
            self._watch_state()

    # ------------------------------------------------------------------ claims made elsewhere
    WATCH_INTERVAL = 2.0  # seconds between two looks at the state file (a stat, no read)

    def _state_stamp(self) -> tuple | None:
        path = getattr(self.store, "path", None)
        if path is None:
            return None
        try:
            st = Path(path).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _watch_state(self) -> None:
        """Notice claims made from another terminal (or a sync) while the app runs: the state
        file is looked at every few seconds and when the terminal gets the focus back."""
        self._stamp = self._state_stamp()
        if getattr(self, "_watcher", None) is None and getattr(self.store, "path", None) is not None:
            self._watcher = self.set_interval(self.WATCH_INTERVAL, self._check_state)

    def _check_state(self) -> None:
        if self.data is None or self.store is None or self.data.store_error:
            return
        stamp = self._state_stamp()
        if stamp == getattr(self, "_stamp", None):
            return
        self._stamp = stamp
        self.run_worker(self._reread_in_thread, thread=True, group="reread", exclusive=True,
                        exit_on_error=False)

    def on_app_focus(self) -> None:
        self._check_state()

    def _reread_in_thread(self) -> None:
        assert self.store is not None
        try:
            state = TrackerData.read_store(self.store)
        except TrackerError:
            return  # a half-edited file: the next look tries again
        self.call_from_thread(self._state_read, state)

    def _state_read(self, state: tuple) -> None:
        if self.data is None:
            return
        self.data.apply_store(state)
        self._refresh_views()

    def _show(self, data: TrackerData) -> None:
        """Put ``data`` on every view; the task table keeps its filters, sort and cursor."""
        self.data = data
        self.load_error = None
        self.sub_title = _source_label(data.taskset.source)
        self._show_provenance()
        self.query_one("#switcher", ContentSwitcher).current = "main"
        self.query_one(TasksView).set_data(data)
        self.query_one(ProgressView).set_data(data)
        self.query_one(ContributorsView).set_data(data)

    # ------------------------------------------------------------------ navigation
    def action_show_tab(self, tab: str) -> None:
        from .detail import DetailScreen

        while isinstance(self.screen, DetailScreen):
            self.pop_screen()
        if self.data is None:
            return
        self.query_one("#main", TabbedContent).active = tab
        focus = {"tasks": "#tasks-table", "contributors": "#people", "progress": "#progress-view"}[tab]
        self.query_one(focus).focus()

    def action_help(self) -> None:
        from .help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_reload(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.query_one("#switcher", ContentSwitcher).current = "loading"
        self._report("Reloading…", None)
        self.load()

    @on(OpenTask)
    def _open_task(self, message: OpenTask) -> None:
        self.open_task(message.task_id)

    def open_task(self, task_id: str) -> None:
        if self.data is None or task_id not in self.data.tasks:
            self.notify(f"{task_id} is not in this scan.", severity="warning")
            return
        self.query_one(TasksView).select_task(task_id)
        from .detail import DetailScreen

        self.push_screen(DetailScreen(task_id))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Tasks", "Show the task table (1)", partial(self.action_show_tab, "tasks"))
        yield SystemCommand("Progress", "Per-kind progress and burn-down (2)",
                            partial(self.action_show_tab, "progress"))
        yield SystemCommand("Contributors", "Leaderboard (3)",
                            partial(self.action_show_tab, "contributors"))
        yield SystemCommand("Good first tasks", "Ready, easy and unclaimed tasks only",
                            self._starter_filter)
        yield SystemCommand("Clear filters", "Show every task", self._clear_filters)
        yield SystemCommand("Help", "Keys and ideas (?)", self.action_help)
        yield SystemCommand("Reload", "Rescan the sources and re-read the state file (ctrl+r)",
                            self.action_reload)
        yield SystemCommand("Update from GitHub", "Fetch today's CPython and say what changed (u)",
                            self.action_update)

    def _starter_filter(self) -> None:
        self.action_show_tab("tasks")
        view = self.query_one(TasksView)
        view.apply(Filters(difficulty="easy", status="unclaimed", ready_only=True))

    def _clear_filters(self) -> None:
        self.action_show_tab("tasks")
        self.query_one(TasksView).action_clear_filters()

    # ------------------------------------------------------------------ claims
    def claim_task(self, task_id: str) -> None:
        from .detail import store_problem

        assert self.data is not None
        problem = store_problem(self)
        if problem:
            self.notify(problem, severity="error", timeout=8)
            return
        self._check_state()  # a claim made elsewhere since the last look counts
        task = self.data.tasks[task_id]
        if task.status != "open":
            self.notify(f"{task_id} is {task.status}; only open tasks can be claimed.",
                        severity="warning")
            return
        assert self.store is not None
        try:
            remembered = self.store.get_setting("user.name", "") or ""
        except TrackerError:
            remembered = ""
        existing = self.data.claims.get(task_id)
        if existing is not None and task_id not in self.data.stale:
            if existing.by == remembered:
                self.notify(f"You already claim {task_id}.")
            else:
                self.notify(f"{task_id} is claimed by {existing.by}. Ask them, or wait until the "
                            "claim goes stale.", severity="warning")
            return

        def done(request: ClaimRequest | None) -> None:
            if request is None:
                return  # cancelled; or nothing saved (the dialog said why and stayed)
            self._write(lambda: self._post(task_id, request.name, "claim") if request.post else None,
                        f"Claimed {task_id} as {request.name}.")

        self.push_screen(ClaimDialog(task_id, remembered, self._post_offer(task, "claim"),
                                     save=partial(self._claim, task_id)), done)

    def _post_offer(self, task, action: str) -> PostOffer:
        """Where a claim or release of ``task`` would be posted on GitHub, and its text."""
        import os

        from ..github import posting

        text = partial(posting.text, action, task)
        try:
            where = posting.target(self.store, task)
        except TrackerError as exc:
            return PostOffer(None, text, f"Kept here only: {exc.message}")
        if where is None:
            return PostOffer(None, text, "Kept here only: no GitHub issue known yet "
                             "(run 'jit-tracker sync --repo OWNER/NAME' once).")
        if not os.environ.get("GITHUB_TOKEN"):
            return PostOffer(None, text, f"Kept here only: set GITHUB_TOKEN to post it on {where.repo}.")
        return PostOffer(f"{where.repo} #{where.number}", text)

    def _post(self, task_id: str, by: str, action: str) -> str:
        from ..github import posting

        assert self.data is not None
        result = posting.post(self.store, self.data.tasks[task_id], by, action,
                              client_options={"max_retries": 1})
        if result.ok and action == "claim" and hasattr(self.store, "annotate_claim"):
            self.store.annotate_claim(task_id, url=result.url)  # type: ignore[union-attr]
        return result.message[:1].upper() + result.message[1:]

    def _claim(self, task_id: str, request: ClaimRequest) -> None:
        """Record the claim (from the dialog, off the UI thread); TrackerError when it cannot."""
        assert self.store is not None and self.data is not None
        held = self.store.claims().get(task_id)  # as the file has it now, claims from elsewhere too
        if held is not None and held.by != request.name and not self.store.is_stale(held):
            raise TrackerError(f"{task_id} was claimed by {held.by} meanwhile (from another terminal?)",
                               hint="ask them, or wait until the claim goes stale")
        self.store.claim(task_id, request.name, request.note,
                         known=set(self.data.tasks), done=self.data.done_ids)
        try:
            self.store.set_setting("user.name", request.name)
        except TrackerError:
            pass  # the claim stands; the name is asked again next time

    def release_task(self, task_id: str) -> None:
        from .detail import store_problem

        assert self.data is not None
        problem = store_problem(self)
        if problem:
            self.notify(problem, severity="error", timeout=8)
            return
        claim = self.data.claims.get(task_id)
        if claim is None:
            self.notify(f"{task_id} is not claimed.", severity="warning")
            return
        assert self.store is not None
        me = self.store.get_setting("user.name", "") or ""
        offer = self._post_offer(self.data.tasks[task_id], "release") if task_id in self.data.tasks else None

        def change(post: bool) -> str | None:
            self.store.release(task_id)  # type: ignore[union-attr]
            return self._post(task_id, claim.by, "release") if post else None

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self._write(lambda: change(answer == "post"), f"Released {task_id}.")

        def release() -> None:
            if offer is not None and offer.where:  # show the comment, and ask
                self.push_screen(ReleaseDialog(task_id, offer.where, offer.text(claim.by)), chosen)
            else:
                self._write(lambda: change(False), f"Released {task_id}.")
        if claim.by != me:
            self.push_screen(ConfirmDialog(f"{task_id} is claimed by {claim.by}, not you. Release it?"),
                             lambda yes: release() if yes else None)
        else:
            release()

    def _write(self, change: Callable[[], Any], success: str) -> None:
        """Apply a store change off the UI thread (the state file is locked while another
        jit-tracker writes it); errors become notifications, then every view refreshes."""
        assert self.store is not None and self.data is not None
        self.run_worker(partial(self._write_in_thread, change, success), thread=True,
                        group="store", exit_on_error=False)

    def _write_in_thread(self, change: Callable[[], Any], success: str) -> None:
        assert self.store is not None
        try:
            said = change()
            state = TrackerData.read_store(self.store)
            if isinstance(said, str) and said:
                success = f"{success}\n{said}"
        except TrackerError as exc:
            self.call_from_thread(self.notify, str(exc), title="Not saved", severity="error",
                                  timeout=8)
            return
        self.call_from_thread(self._written, state, success)

    def _written(self, state: tuple, success: str) -> None:
        assert self.data is not None
        self.data.apply_store(state)
        self._stamp = self._state_stamp()  # our own write: nothing to re-read
        self.notify(success)
        self._refresh_views()

    def _refresh_views(self) -> None:
        """Claims moved: every view that shows them draws again."""
        assert self.data is not None
        self.query_one(TasksView).claims_changed()
        self.query_one(ProgressView).set_data(self.data)
        from .detail import DetailScreen  # loaded already: claims are made from it

        for screen in self.screen_stack:
            if isinstance(screen, DetailScreen):
                screen.post_message(ClaimsChanged())


def _source_label(source: dict) -> str:
    origin = source.get("origin") or "bundled snapshot"
    rev = source.get("revision")
    return f"{origin} @ {rev[:10]}" if rev else str(origin)


def run(tasks: TaskSet | None = None, *, loader: Loader | None = None,
        store: StoreLike | Callable[[], StoreLike] | None = None, updater: Updater | None = None) -> int:
    TrackerApp(tasks, loader=loader, store=store, updater=updater).run()
    return 0


__all__ = ["TrackerApp", "run"]
