"""The Tasks tab: filter bar, fuzzy search, counts and the sortable task table."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static

from ..tasks import Task
from .data import (
    ALL, DIFFICULTY_FILTERS, KIND_FILTERS, STATUS_FILTERS, SORT_KEYS, Filters, TrackerData, cycle,
)
from .messages import OpenTask, no_match_text, no_tasks_text

# (column key, header, sort key, widest it is drawn); most useful columns first so that
# 80 columns show them without scrolling sideways. The id and "claimed by" columns are
# sized to the terminal (see fit_widths); those after them keep their widths and scroll.
COLUMNS = (
    ("star", "★", "recommended", 1),
    ("id", "id", "id", 64),
    ("share", "share", "share", 6),
    ("kind", "kind", "kind", 9),
    ("difficulty", "diff", "difficulty", 6),
    ("status", "status", "status", 9),
    ("claimed", "claimed by", "claimed", 24),
    ("uop", "uop", "uop", 28),
    ("instructions", "instructions", "instructions", 40),
)
ID_MIN = 30  # an id is cut no shorter than this (80 columns); whole when the terminal allows
CELL_PADDING = 1  # DataTable's, on each side of a cell


def fit_widths(available: int, id_width: int, claimed_width: int) -> dict[str, int]:
    """Widths of the sized columns for a table ``available`` cells wide: the id whole when it
    fits beside the fixed columns and "claimed by", else cut (to ``ID_MIN`` at the least).
    Columns that do not fit then (claimed by, uop, ...) are reached by scrolling."""
    widths = {key: w for key, _h, _s, w in COLUMNS}
    widths["claimed"] = max(len("claimed by"), min(claimed_width, widths["claimed"]))
    fixed = sum(w + 2 * CELL_PADDING for key, w in widths.items() if key in ("star", "share", "kind",
                                                                               "difficulty", "status"))
    room = available - fixed - (widths["claimed"] + 2 * CELL_PADDING) - 2 * CELL_PADDING
    widths["id"] = max(min(ID_MIN, id_width), min(id_width, widths["id"], room))
    return widths


STARTER_STYLE = "bold green"
DIFFICULTY_STYLE = {"easy": "green", "medium": "yellow", "hard": "red"}
STATUS_STYLE = {"open": "", "done": "dim", "blocked": "magenta"}


def _cut(text: object, width: int) -> str:
    """One line of at most ``width`` characters, control characters shown escaped."""
    from ..text import clean, clip

    return clip(clean(text), width)


def _instructions(task: Task) -> str:
    names = task.instructions
    if len(names) <= 2:
        return ", ".join(names)
    return f"{names[0]}, {names[1]} +{len(names) - 2}"


def share_text(task: Task) -> Text:
    """The task's share of executed work (``1.5%``, ``<0.1%``); ``–`` without counts; blank if not weighed."""
    if task.weight is None:
        return Text("")
    if not task.weight:
        return Text("–", style="dim", justify="right")
    from ..stats import format_share

    text = format_share(task.weight) if task.weight >= 0.001 else "<0.1%"  # the column stays narrow
    return Text(text, style="bold" if task.weight >= 0.005 else "", justify="right")


def _claimed_text(data: TrackerData, task_id: str) -> str:
    claimed = data.claimed_by(task_id)
    return ("stale: " if task_id in data.stale else "") + claimed if claimed else ""


def task_row(data: TrackerData, task: Task, widths: dict[str, int] | None = None) -> list[Text | str]:
    widths = widths or {key: w for key, _h, _s, w in COLUMNS}
    starter = data.is_starter(task)
    base = STARTER_STYLE if starter else ("dim" if task.status == "done" else "")
    claimed = data.claimed_by(task.id)
    return [
        Text("★" if starter else ("·" if task.id in data.ready else " "), style=base),
        Text(_cut(task.id, widths["id"]), style=base),
        share_text(task),
        Text(task.kind, style=base),
        Text(task.difficulty, style=DIFFICULTY_STYLE.get(task.difficulty, "")),
        _status_cell(data, task),
        Text(_cut(_claimed_text(data, task.id), widths["claimed"]),
             style=("dim" if task.id in data.stale else "cyan") if claimed else ""),
        Text(_cut(task.uop or "", widths["uop"]), style=base),
        Text(_cut(_instructions(task), widths["instructions"]), style=base),
    ]


def _status_cell(data: TrackerData, task: Task) -> Text:
    """The task's status, or where its pull request stands (``in review``, ``merged``)."""
    pr = data.pull_status(task.id)
    if pr:  # "in review #N": the number is the pull request's (the detail links it)
        number = (data.pulls.get(task.id) or {}).get("number")
        return Text(f"{pr} #{number}" if number else pr, style="bold blue" if pr == "in review" else "blue")
    return Text(task.status, style=STATUS_STYLE.get(task.status, ""))


class TaskTable(DataTable):
    """The task table. Its cells are one-line Texts, so measuring them is their length.

    DataTable measures each new cell through a console (three terminal-size queries per
    cell); with 500 tasks that made every filter change cost ~100 ms after the rows were
    added. Widths are computed here instead, then DataTable updates its virtual size.
    """

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True)]  # shown in the footer

    # ------------------------------------------------------------------ sideways, a column a press
    def _column_edges(self) -> list[int]:
        edges, x = [], 0
        for column in self.ordered_columns:
            edges.append(x)
            x += column.get_render_width(self)
        return edges

    def action_cursor_right(self) -> None:
        """→ brings the next column to the left edge (it scrolled one character a press)."""
        if self.cursor_type != "row":
            return super().action_cursor_right()
        later = [x for x in self._column_edges() if x > self.scroll_x]
        if later:
            self.scroll_to(x=min(later[0], self.max_scroll_x), animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type != "row":
            return super().action_cursor_left()
        earlier = [x for x in self._column_edges() if x < self.scroll_x]
        self.scroll_to(x=earlier[-1] if earlier else 0, animate=False)

    def _update_dimensions(self, new_rows) -> None:
        new_rows = list(new_rows)
        try:
            rest = self._measure(new_rows)
        except AttributeError:  # DataTable's internals changed: let it measure
            rest = new_rows
        super()._update_dimensions(rest)

    def _measure(self, new_rows: list) -> list:
        columns = self.ordered_columns
        rest = []
        for row_key in new_rows:
            cells = self._data.get(row_key)
            row = self.rows.get(row_key)
            if cells is None or row is None:
                continue
            if row.label is not None or row.height != 1:
                rest.append(row_key)
                continue
            for column in columns:
                cell = cells.get(column.key)
                width = cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))
                if width > column.content_width:
                    column.content_width = width
        return rest


def _options(values: tuple[str, ...], label: str) -> list[tuple[str, str]]:
    return [(f"{label}: {v}", v) for v in values]


class TasksView(Vertical):
    """Everything on the Tasks tab. ``set_data`` fills it; filters re-render the table."""

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("r", "toggle_ready", "Ready only"),
        Binding("k", "cycle('kind')", "Kind", show=False),
        Binding("d", "cycle('difficulty')", "Difficulty", show=False),
        Binding("s", "cycle('status')", "Status", show=False),
        Binding("x", "clear_filters", "Clear", show=False),
        Binding("o", "cycle_sort", "Sort", show=False),
        Binding("O", "reverse_sort", "Reverse sort", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: TrackerData | None = None
        self.filters = Filters()
        self.shown: list[Task] = []
        self._rows: dict[str, list] = {}  # cells per task id, until the data or claims change

    def compose(self) -> ComposeResult:
        yield Static("", id="banner")
        with Horizontal(id="filter-bar"):
            yield Select(_options(KIND_FILTERS, "kind"), value=ALL, allow_blank=False,
                         compact=True, id="f-kind")
            yield Select(_options(DIFFICULTY_FILTERS, "diff"), value=ALL, allow_blank=False,
                         compact=True, id="f-difficulty")
            yield Select(_options(STATUS_FILTERS, "status"), value=ALL, allow_blank=False,
                         compact=True, id="f-status")
            yield Checkbox("ready only", compact=True, id="f-ready")
        yield Input(placeholder="fuzzy search: id, uop, instruction, title…  (esc clears)",
                    compact=True, id="search")
        yield Label("", id="counts")
        table = TaskTable(cursor_type="row", zebra_stripes=True, id="tasks-table")
        for key, header, _sort, _width in COLUMNS:
            table.add_column(header, key=key)
        yield table
        yield Static("", id="empty")
        yield Label("", id="preview")

    # ------------------------------------------------------------------ data in
    def set_data(self, data: TrackerData) -> None:
        self.data = data
        self._rows.clear()
        banner = self.query_one("#banner", Static)
        if data.store_error:
            from rich.markup import escape

            from ..text import clean

            banner.update(f"[b]State file problem[/b]: {escape(clean(data.store_error))} "
                          "— claims are off until it is fixed.")
            banner.display = True
        else:
            banner.display = False
        self.apply(self.filters)

    def apply(self, filters: Filters) -> None:
        """Show the tasks matching ``filters``, keeping the cursor on the same task if shown;
        a new order starts at its top (the view stayed at the task highlighted before)."""
        resorted = (filters.sort, filters.reverse) != (self.filters.sort, self.filters.reverse)
        self.filters = filters
        if self.data is None:
            return
        table = self.query_one("#tasks-table", DataTable)
        current = self.current_task_id()
        self.shown = self.data.visible(filters)
        table.clear()
        data, rows = self.data, self._rows
        widths = self._widths()
        for task in self.shown:
            cells = rows.get(task.id)
            if cells is None:
                cells = rows[task.id] = task_row(data, task, widths)
            table.add_row(*cells, key=task.id)
        if resorted and table.row_count:
            table.move_cursor(row=0, animate=False)
            table.scroll_to(y=0, animate=False)
        elif current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self._update_counts()
        self._sync_controls()
        self._preview(self.current_task_id())

    def _widths(self) -> dict[str, int]:
        """Column widths for the table's width now (the rows cache is for these widths)."""
        assert self.data is not None
        table = self.query_one("#tasks-table", DataTable)
        available = table.size.width - 2 or 78  # a vertical scrollbar; 80 columns before layout
        tasks = self.data.taskset.tasks
        id_width = max((len(t.id) for t in tasks), default=2)
        claimed = max((len(_claimed_text(self.data, t)) for t in self.data.claims), default=0)
        widths = fit_widths(available, id_width, claimed)
        if widths != getattr(self, "_last_widths", None):
            self._last_widths = widths
            self._rows.clear()
        return widths

    def on_resize(self) -> None:
        if self.data is not None and getattr(self, "_last_widths", None) is not None:
            before = self._last_widths
            if self._widths() != before:
                self.apply(self.filters)

    def claims_changed(self) -> None:
        """Claims moved: redraw every row (the claimed-by column and the ★ markers)."""
        self._rows.clear()
        self.apply(self.filters)

    def _update_counts(self) -> None:
        assert self.data is not None
        s = self.data.summary(self.shown)
        sort = self.filters.sort + (" ↓" if self.filters.reverse else "")
        text = Text.assemble(
            (f"{s['shown']}", "bold"), f" of {s['total']} tasks · ",
            (f"★ {s['starter']} good first", STARTER_STYLE),
            f" · {s['ready']} ready · {s['claimed']} claimed · by {sort}",
        )
        self.query_one("#counts", Label).update(text)
        empty = self.query_one("#empty", Static)
        table = self.query_one("#tasks-table", DataTable)
        if not self.data.taskset.tasks:
            empty.update(no_tasks_text(self.data.taskset.source))
        elif not self.shown:
            from rich.markup import escape

            empty.update(no_match_text(escape(self.filters.describe())))
        empty.display = not self.shown
        # the table stays (header only) so that it keeps the focus and the filter keys work
        table.set_class(not self.shown, "-empty")

    def _sync_controls(self) -> None:
        """Reflect the filters in the widgets without re-triggering their change events."""
        f = self.filters
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            self.query_one("#f-kind", Select).value = f.kind
            self.query_one("#f-difficulty", Select).value = f.difficulty
            self.query_one("#f-status", Select).value = f.status
            self.query_one("#f-ready", Checkbox).value = f.ready_only
            search = self.query_one("#search", Input)
            # Only a change made elsewhere (clear, the palette's filter) is written into the
            # box; what the user types is never written back: a stripped or late query
            # would drop their spaces or reorder their keys.
            if search.value.strip() != f.query:
                search.value = f.query
        self.query_one("#search", Input).set_class(bool(f.query), "-active")

    def current_task_id(self) -> str | None:
        table = self.query_one("#tasks-table", DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:  # cursor outside the rows after a clear
            return None

    def select_task(self, task_id: str) -> bool:
        """Move the cursor to ``task_id`` (clearing filters if it is hidden)."""
        table = self.query_one("#tasks-table", DataTable)
        if task_id not in table.rows:
            self.apply(Filters(sort=self.filters.sort, reverse=self.filters.reverse))
        if task_id not in table.rows:
            return False
        table.move_cursor(row=table.get_row_index(task_id), animate=False)
        return True

    # ------------------------------------------------------------------ events
    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        field = (event.select.id or "").removeprefix("f-")
        if field in ("kind", "difficulty", "status") and isinstance(event.value, str):
            self.apply(self.filters.with_(**{field: event.value}))
            self.query_one("#tasks-table", DataTable).focus()  # so the letter keys work again

    @on(Checkbox.Changed, "#f-ready")
    def _ready_changed(self, event: Checkbox.Changed) -> None:
        self.apply(self.filters.with_(ready_only=event.value))
        self.query_one("#tasks-table", DataTable).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        # what the box holds now: this event may be late, the user typing on meanwhile
        query = event.input.value.strip()
        if query != self.filters.query:
            self.apply(self.filters.with_(query=query))

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#tasks-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#tasks-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview(str(event.row_key.value) if event.row_key is not None else None)

    def _preview(self, task_id: str | None) -> None:
        """One line under the table about the highlighted task: its title and what it waits on."""
        label = self.query_one("#preview", Label)
        task = self.data.tasks.get(task_id) if self.data is not None and task_id else None
        if task is None or self.data is None:
            label.update("")
            return
        waiting = [p for p in self.data.prerequisites.get(task.id, [])
                   if getattr(self.data.tasks.get(p), "status", "done") != "done"]
        extra = f" · waits on {len(waiting)}" if waiting else ""
        if task.weight:
            from ..stats import format_share, unit

            extra = f" · {format_share(task.weight)} of {unit(task)}" + extra
        claim = self.data.claims.get(task.id)
        if claim is not None and getattr(claim, "source", "local") != "local":  # "@ana (comment, 3 days ago)"
            from ..campaign.labels import claim_label

            extra += " · " + _cut(claim_label(claim.by, claim.source, str(getattr(claim, "since", ""))), 80)
        label.update(Text.assemble("▸ ", (_cut(task.title, 200), "bold"), extra, ("  enter: details", "dim")))

    @on(DataTable.RowSelected, "#tasks-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(OpenTask(str(event.row_key.value)))

    @on(DataTable.HeaderSelected, "#tasks-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = {c[0]: c[2] for c in COLUMNS}.get(str(event.column_key.value), "id")
        reverse = not self.filters.reverse if key == self.filters.sort else False
        self.apply(self.filters.with_(sort=key, reverse=reverse))

    def on_key(self, event) -> None:  # escape in the search box clears it
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            search.value = ""
            self.apply(self.filters.with_(query=""))
            self.query_one("#tasks-table", DataTable).focus()

    # ------------------------------------------------------------------ actions
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-active")
        search.focus()

    def action_toggle_ready(self) -> None:
        self.apply(self.filters.with_(ready_only=not self.filters.ready_only))

    def action_cycle(self, field: str) -> None:
        choices = {"kind": KIND_FILTERS, "difficulty": DIFFICULTY_FILTERS, "status": STATUS_FILTERS}
        self.apply(self.filters.with_(**{field: cycle(getattr(self.filters, field), choices[field])}))

    def action_clear_filters(self) -> None:
        self.apply(Filters(sort=self.filters.sort, reverse=self.filters.reverse))

    def action_cycle_sort(self) -> None:
        self.apply(self.filters.with_(sort=cycle(self.filters.sort, SORT_KEYS), reverse=False))

    def action_reverse_sort(self) -> None:
        self.apply(self.filters.with_(reverse=not self.filters.reverse))
