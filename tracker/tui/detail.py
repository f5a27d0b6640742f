"""The detail screen of one task: what, why, how, what it waits on, and who has it."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape as _markup_escape
from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from rich.markdown import CodeBlock as _CodeBlock, Markdown as RichMarkdown
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..tasks import Task
from .data import TrackerData, recipe_markdown, ticket_markdown
from ..campaign.labels import claim_label
from .messages import POINT_AT_CHECKOUT, ClaimsChanged, OpenTask
from .tasks_view import DIFFICULTY_STYLE, STARTER_STYLE


def safe_url(url: object) -> str | None:
    """``url`` when it is a plain http(s) URL that can go in a markup link, else None."""
    import re

    text = str(url or "")
    return text if re.fullmatch(r"https?://[^\s\[\]\x00-\x1f\x7f-\x9f]+", text) else None


def escape(text: object) -> str:
    """Text from a file, GitHub or a user, for markup: control characters shown as escapes
    (tracker.text), markup brackets escaped."""
    from ..text import clean

    return _markup_escape(clean(text))


def _claim_line(data: TrackerData, task: Task) -> str:
    claim = data.claims.get(task.id)
    if claim is None:
        if task.status != "open":
            return f"[dim]not claimable ({task.status})[/dim]"
        return "[green]unclaimed[/green] — press [b]c[/b] to claim it"
    since = str(getattr(claim, "since", ""))[:10]
    note = getattr(claim, "note", None)
    src = getattr(claim, "source", "local")
    url = safe_url(getattr(claim, "url", None))
    if src in SOURCE_LABEL:  # read from GitHub: "@ana (comment, 3 days ago)", linked
        label = escape(claim_label(claim.by, src, str(getattr(claim, "since", ""))))
        text = f"[cyan][link={url}]{label}[/link][/cyan]" if url else f"[cyan]{label}[/cyan]"
        text += f" since {since}"
    else:
        text = f"[cyan]{escape(claim.by)}[/cyan] since {since}"
    if task.id in data.stale:
        text += " [yellow](stale: anyone may take it over with c)[/yellow]"
    if note:
        text += f" — {escape(note)}"
    return text + "  ([b]r[/b] releases)"


SOURCE_LABEL = {"assignee": "assigned on GitHub", "comment": "a comment on GitHub",
                "pull": "their pull request"}


def _pull_line(data: TrackerData, task: Task) -> str | None:
    pr = data.pulls.get(task.id)
    if not pr:
        return None
    state = data.pull_status(task.id)
    label = {"in review": "[b blue]in review[/]", "merged": "[blue]merged, waiting for a rescan[/]"}.get(
        state or "", pr.get("state", ""))
    url = safe_url(pr.get("url")) or ""
    number = f"[link={url}]#{pr.get('number')}[/link]" if url else f"#{pr.get('number')}"
    return f"pull request: {number} by @{escape(str(pr.get('author', '')))} — {label}"


def summary_text(data: TrackerData, task: Task) -> Text:
    """The header block: status, difficulty, readiness, claim and issue link."""
    ready = task.id in data.ready
    if data.is_starter(task):
        ready_text = f"[{STARTER_STYLE}]★ ready, easy and unclaimed: a good first task[/]"
    elif ready:
        ready_text = "[green]ready[/green]: all prerequisites are done"
    elif task.status == "open":
        waiting = [p for p in data.prerequisites.get(task.id, [])
                   if getattr(data.tasks.get(p), "status", None) != "done"]
        ready_text = f"[yellow]waiting on {len(waiting)} prerequisite(s)[/yellow]"
    else:
        ready_text = ""  # done or blocked: the status says it ("done · done" said it twice)
    diff = task.difficulty
    lines = [
        f"[b]{escape(task.title)}[/b]",
        f"[dim]{escape(task.id)}[/dim] · {task.kind} · "
        f"[{DIFFICULTY_STYLE.get(diff, '')}]{diff}[/] · {task.status}" + (f" · {ready_text}" if ready_text else ""),
        f"uop [b]{escape(task.uop or '—')}[/b] · instructions: "
        f"{escape(', '.join(task.instructions) or '—')}",
        f"claimed by: {_claim_line(data, task)}",
    ]
    pull = _pull_line(data, task)
    if pull:
        lines.append(pull)
    mark = data.checklist.get(task.id)
    if mark and mark.get("status") == "not planned":
        lines.append(f"[dim]crossed out on tracking issue #{mark.get('issue')}: not planned[/dim]")
    url = safe_url(data.issue_url(task.id))
    if url:
        lines.append(f"issue: [link={url}]{escape(url)}[/link]  ([b]o[/b] opens it)")
    if task.blocked_reason:
        lines.append(f"[magenta]blocked:[/magenta] {escape(task.blocked_reason)}")
    return Text.from_markup("\n".join(lines))


def location(task: Task) -> str:
    if not task.file:
        return "unknown location"
    if task.line and task.end_line and task.end_line != task.line:
        return f"{task.file}:{task.line}-{task.end_line}"
    return f"{task.file}:{task.line}" if task.line else task.file


def source_renderable(task: Task):
    """The excerpt highlighted with real line numbers, or where to find it and how to see it.

    A live scan's excerpt is the definition (lines ``line``..``end_line``) followed by the
    macros using it, whose lines are not known: those are shown without numbers.
    """
    if task.excerpt:
        lines = task.excerpt.split("\n")
        span = (task.end_line - task.line + 1) if task.line and task.end_line else len(lines)
        head, rest = "\n".join(lines[:span]), "\n".join(lines[span:]).strip("\n")
        syntax = Syntax(head, "c", line_numbers=True, start_line=task.line or 1,
                        theme="ansi_dark", word_wrap=False, indent_guides=False)
        if not rest:
            return syntax
        return Group(syntax, Text("used by:", style="dim"),
                     Syntax(rest, "c", line_numbers=False, theme="ansi_dark", word_wrap=False,
                            indent_guides=False, padding=(0, 0, 0, 2)))
    return Text.from_markup(
        f"[b]{escape(location(task))}[/b]\n"
        "[dim]The bundled snapshot holds facts about CPython, not its text. To read the code "
        f"here, point the app at a checkout:[/dim] [b]{POINT_AT_CHECKOUT}[/b]"
    )


def reasons_markdown(task: Task) -> str:
    parts = []
    if task.explanation:
        parts.append(task.explanation)
    if task.reasons:
        parts.append("\n".join(f"- {r}" for r in task.reasons))
    if task.released_inputs:
        rows = [f"- `{r.name}` released by `{r.call}` at line {r.line}"
                + (" (on some paths only)" if r.conditional else "") for r in task.released_inputs]
        parts.append("**Inputs the uop releases itself**\n\n" + "\n".join(rows))
    return "\n\n".join(parts) or "_No reasons recorded._"


class _TightCode(_CodeBlock):
    """A code block without rich's blank line above and below (with it, a recipe's title
    stood alone, like an empty heading, two lines above its code)."""

    def __rich_console__(self, console, options):
        yield Syntax(str(self.text).rstrip(), self.lexer_name, theme=self.theme, word_wrap=True,
                     padding=(0, 1))


class _Markdown(RichMarkdown):
    elements = {**RichMarkdown.elements, "fence": _TightCode, "code_block": _TightCode}


class MarkdownBlock(Static):
    """Markdown drawn by rich in one widget: a Textual Markdown widget per block made the
    detail screen take over a second to open."""

    def __init__(self, source: str, *, id: str | None = None) -> None:
        super().__init__(self.render_source(source), id=id)
        self.source = source

    @staticmethod
    def render_source(source: str) -> RichMarkdown:
        return _Markdown(source, code_theme="ansi_dark", hyperlinks=True)

    def set_source(self, source: str, rendered: RichMarkdown | None = None) -> None:
        self.source = source
        self.update(rendered if rendered is not None else self.render_source(source))


class TaskLinks(OptionList):
    """Prerequisites or dependents; selecting one opens its detail."""

    def __init__(self, data: TrackerData, ids: list[str], *, id: str | None = None) -> None:
        options = []
        for tid in ids:
            t = data.tasks.get(tid)
            mark = {"done": "✓", "open": "○", "blocked": "✗"}.get(getattr(t, "status", ""), "?")
            label = f"{mark} {tid}" + (f"  [{t.status}, {t.difficulty}]" if t else "  [not in this scan]")
            options.append(Option(label, id=tid, disabled=t is None))
        super().__init__(*options, id=id)
        self.display = bool(ids)


class DetailScreen(Screen):
    """Pushed over the tasks view; jumping to a prerequisite pushes another one."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("c", "claim", "Claim"),
        Binding("r", "release", "Release"),
        Binding("o", "open_issue", "Open issue"),
        Binding("t", "tasks", "Tasks", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, task_id: str) -> None:
        super().__init__()
        self.task_id = task_id

    @property
    def data(self) -> TrackerData:
        return self.app.data  # type: ignore[attr-defined]

    @property
    def tracked(self) -> Task:
        return self.data.tasks[self.task_id]

    def compose(self) -> ComposeResult:
        task = self.tracked
        yield Label(f" {task.id}", id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static(summary_text(self.data, task), id="summary")
            yield Label("Source", classes="section")
            yield Static(source_renderable(task), id="source")
            yield Label("Why, and how hard", classes="section")
            yield MarkdownBlock(reasons_markdown(task), id="reasons")
            yield Label("Recipe", classes="section")
            yield MarkdownBlock(recipe_markdown(task), id="recipe")
            prereqs = self.data.prerequisites.get(task.id, [])
            deps = self.data.dependents.get(task.id, [])
            yield Label(f"Prerequisites ({len(prereqs)})" + ("" if prereqs else ": none"),
                        classes="section")
            yield TaskLinks(self.data, prereqs, id="prerequisites")
            yield Label(f"Dependents ({len(deps)})" + ("" if deps else ": none"), classes="section")
            yield TaskLinks(self.data, deps, id="dependents")
            yield Label("Ticket preview", classes="section")
            # filled by a worker after the first frame: templating is the slowest part
            yield MarkdownBlock("_Rendering the ticket…_", id="ticket")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._render_ticket, thread=True, group="ticket", exit_on_error=False)

    def _render_ticket(self) -> None:
        """The ticket as `jit-tracker tickets` renders it, off the UI thread."""
        source = ticket_markdown(self.tracked, self.data.taskset, self.data)
        rendered = MarkdownBlock.render_source(source)
        self.app.call_from_thread(self._ticket_ready, source, rendered)

    def _ticket_ready(self, source: str, rendered: RichMarkdown) -> None:
        for block in self.query("#ticket").results(MarkdownBlock):  # none if the screen is gone
            block.set_source(source, rendered)

    def refresh_summary(self) -> None:
        self.query_one("#summary", Static).update(summary_text(self.data, self.tracked))

    @on(OptionList.OptionSelected)
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.post_message(OpenTask(event.option.id))

    def on_claims_changed(self, _message: ClaimsChanged) -> None:
        self.refresh_summary()

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tasks(self) -> None:
        while isinstance(self.app.screen, DetailScreen):
            self.app.pop_screen()

    def action_open_issue(self) -> None:
        url = self.data.issue_url(self.task_id)
        if url:
            self.app.open_url(url)
        else:
            self.notify("No GitHub issue is known for this task yet. "
                        "'jit-tracker sync' links issues to tasks.", severity="warning")

    def action_claim(self) -> None:
        self.app.claim_task(self.task_id)  # type: ignore[attr-defined]

    def action_release(self) -> None:
        self.app.release_task(self.task_id)  # type: ignore[attr-defined]


def store_problem(app) -> str | None:
    """Why claims cannot be written right now, or None."""
    if getattr(app, "store", None) is None:
        return "No state file is open, so claims cannot be saved. Start the app with --state PATH."
    if app.data.store_error:
        return f"The state file cannot be used: {app.data.store_error}"
    return None

