"""Render tasks as GitHub-ready tickets (Markdown) with jinja2 templates.

Tickets are the one place a task meets a human contributor, so their wording lives in
templates (``templates/task.md.j2``, ``templates/umbrella.md.j2``) that a project can
replace with ``--template-dir``; this module only prepares plain data for them, picks
labels from ``data/labels.yaml`` and stamps each body with a hidden marker::

    <!-- jit-tracker: id=refcount:_IS_OP hash=<sha256> -->

The id lets sync find the issue again whatever a person does to its title; the hash is
of the rendered ticket (title, labels, body) without the marker, so sync edits an issue
only when what we would write changed.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
import yaml

from .errors import DataError, TrackerError, UsageError
from .marker import MARKER_RE, content_hash, make_marker, parse_marker  # noqa: F401  (re-exported)
from .datafile import read_mapping
from .tasks import DIFFICULTIES, KINDS, Task, TaskSet

from .paths import DATA_DIR, TEMPLATES_DIR as DEFAULT_TEMPLATE_DIR  # noqa: E402
DEFAULT_LABELS_FILE = DATA_DIR / "labels.yaml"
TASK_TEMPLATE = "task.md.j2"
UMBRELLA_TEMPLATE = "umbrella.md.j2"
UMBRELLA_ID = "umbrella"  # one tracking issue of every kind (before issue 9); now a prefix


def tracking_id(kind: str) -> str:
    """The ticket id of the tracking issue jit-tracker files for one kind: ``umbrella:refcount``."""
    return f"{UMBRELLA_ID}:{kind}"


def is_tracking_id(ticket_id: str) -> bool:
    return ticket_id == UMBRELLA_ID or ticket_id.startswith(UMBRELLA_ID + ":")



# ---------------------------------------------------------------------------- labels

@dataclass
class LabelDef:
    name: str
    color: str
    description: str = ""


@dataclass
class LabelRules:
    """Which labels a task gets, as ``data/labels.yaml`` says."""

    define: list[LabelDef]
    all: list[str]
    umbrella: list[str]
    kind: dict[str, list[str]]
    difficulty: dict[str, list[str]]
    easy_and_ready: list[str]

    def for_task(self, task: Task, ready: bool) -> list[str]:
        names = list(self.all) + self.kind.get(task.kind, []) + self.difficulty.get(task.difficulty, [])
        if task.status == "open" and task.difficulty == "easy" and ready:
            names += self.easy_and_ready
        return _unique(names)

    def managed(self) -> set[str]:
        """Every label the tracker owns (others on an issue are a person's and are kept)."""
        return {d.name for d in self.define}


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def load_labels(path: str | Path | None = None) -> LabelRules:
    """Load and validate the label rules; any mistake is a DataError naming file and key."""
    file = Path(path) if path else DEFAULT_LABELS_FILE
    shown = str(file)
    data = read_mapping(file, "label rules")

    def names(value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DataError(f"{shown}: {where} must be a list of label names")
        return list(value)

    defs: list[LabelDef] = []
    raw_defs = data.get("define")
    if not isinstance(raw_defs, list) or not raw_defs:
        raise DataError(f"{shown}: define must be a non-empty list of labels")
    for i, item in enumerate(raw_defs):
        where = f"define[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise DataError(f"{shown}: {where} needs a name")
        color = str(item.get("color", ""))
        if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            raise DataError(f"{shown}: {where} ({item['name']}): color must be 6 hex digits, found {color!r}")
        extra = set(item) - {"name", "color", "description"}
        if extra:
            raise DataError(f"{shown}: {where} ({item['name']}): unknown key(s) {', '.join(sorted(extra))}")
        defs.append(LabelDef(item["name"], color.lower(), str(item.get("description") or "")))

    def mapping(key: str, allowed: Iterable[str]) -> dict[str, list[str]]:
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise DataError(f"{shown}: {key} must be a mapping")
        unknown = set(value) - set(allowed)
        if unknown:
            raise DataError(f"{shown}: {key}: unknown {key}(s) {', '.join(sorted(map(str, unknown)))}; "
                            f"known: {', '.join(allowed)}")
        return {k: names(v, f"{key}.{k}") for k, v in value.items()}

    rules = LabelRules(
        define=defs,
        all=names(data.get("all", []), "all"),
        umbrella=names(data.get("umbrella", []), "umbrella"),
        kind=mapping("kind", KINDS),
        difficulty=mapping("difficulty", DIFFICULTIES),
        easy_and_ready=names(data.get("easy_and_ready", []), "easy_and_ready"),
    )
    defined = rules.managed()
    used = rules.all + rules.umbrella + rules.easy_and_ready + [
        n for group in (rules.kind, rules.difficulty) for ns in group.values() for n in ns]
    missing = sorted(set(used) - defined)
    if missing:
        raise DataError(f"{shown}: label(s) used but not under define: {', '.join(missing)}")
    return rules


# ---------------------------------------------------------------------------- helpers

def ready_ids(taskset: TaskSet) -> set[str]:
    """Open tasks whose prerequisites are all done (an unknown prerequisite is not done)."""
    status = {t.id: t.status for t in taskset.tasks}
    return {t.id for t in taskset.tasks
            if t.status == "open" and all(status.get(p) == "done" for p in t.prerequisites)}


def fence(text: str, minimum: int = 3) -> str:
    """A backtick fence longer than any run of backticks in ``text``, so it cannot close early."""
    longest = max((len(m) for m in re.findall(r"`+", text or "")), default=0)
    return "`" * max(minimum, longest + 1)


_CODE = re.compile(r"(`+).+?\1", re.S)  # an inline code span or a fenced block


def markdown_text(value: Any) -> Any:
    """``value`` for a Markdown document GitHub (or the TUI) renders: control characters shown
    escaped, and ``<`` ``>`` outside code written as entities, so that a placeholder such as
    ``<pops>`` is shown and never read as an HTML tag (which hides it). Code is left alone."""
    if not isinstance(value, str):
        return value
    from .text import clean_block

    text = clean_block(value)
    if "<" not in text and ">" not in text:
        return text
    out, pos = [], 0
    for m in _CODE.finditer(text):
        out.append(_entities(text[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_entities(text[pos:]))
    return "".join(out)


def _entities(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def inline_code(text: Any) -> str:
    """``text`` as inline code even when it holds backticks (CommonMark's rule)."""
    text = str(text)
    ticks = fence(text, minimum=1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def codeblock(text: Any, lang: str = "") -> str:
    body = text if isinstance(text, str) else "\n".join(map(str, text))
    body = body.rstrip("\n")
    f = fence(body)
    return f"{f}{lang}\n{body}\n{f}"


def recipe_items(recipe: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Turn a recipe dict into template-ready items, keeping keys we do not know about.

    ``X_before``/``X_after`` pairs, and dicts (or lists of dicts) holding ``before`` and
    ``after``, become before/after items; any other key becomes a ``text`` item (short
    value), a ``list`` item (list of short strings) or a ``block`` item (code). Order
    follows the recipe. ``files`` and ``test`` have their own sections.
    """
    items: list[dict[str, Any]] = []
    done: set[str] = {"files", "test"}
    for key, value in recipe.items():
        if key in done or value is None or value == [] or value == {}:
            continue
        base = key[: -len("_before")] if key.endswith("_before") else (
            key[: -len("_after")] if key.endswith("_after") else None)
        if base is not None and f"{base}_before" in recipe and f"{base}_after" in recipe:
            done |= {f"{base}_before", f"{base}_after"}
            items.append(_pair(_humanise(base), recipe[f"{base}_before"], recipe[f"{base}_after"], {}))
            continue
        done.add(key)
        title = _humanise(key)
        entries = [value] if isinstance(value, dict) else value
        if isinstance(entries, list) and entries and all(
                isinstance(e, dict) and "before" in e and "after" in e for e in entries):
            for e in entries:
                label = next((str(e[k]) for k in ("instruction", "name", "uop") if e.get(k)), None)
                rest = {k: v for k, v in e.items() if k not in ("before", "after", "instruction", "name", "uop")}
                items.append(_pair(f"{title}: {label}" if label else title, e["before"], e["after"], rest))
            continue
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value) and not any(
                "\n" in str(v) for v in value):
            if len(value) > 1 and any(len(str(v)) > 40 for v in value):
                items.append({"kind": "list", "title": title, "items": [str(v) for v in value]})
            else:
                items.append({"kind": "text", "title": title, "text": ", ".join(map(str, value))})
            continue
        text = _as_text(value)
        items.append({"kind": "block" if "\n" in text or not isinstance(value, (str, int, float, bool)) else "text",
                      "title": title, "text": text})
    return items


def _pair(title: str, before: Any, after: Any, extra: dict[str, Any]) -> dict[str, Any]:
    notes = [f"{_humanise(k)}: {_as_text(v)}" for k, v in extra.items() if v not in (None, [], {})]
    return {"kind": "pair", "title": title, "before": _as_text(before), "after": _as_text(after), "notes": notes}


def _humanise(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# A checkout's own path in front of a CPython file: dropped, so a ticket reads the same
# (and hashes the same) wherever the scan ran.
_CHECKOUT_PATH = re.compile(r"(?<![\w/.-])[^\s'\"`()]*/(?=(?:Python|Include|Lib|Tools)/[\w./-]+)")


def relative_paths(text: str) -> str:
    return _CHECKOUT_PATH.sub("", text)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        text = value.rstrip("\n")
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        texts = [str(v) for v in value]
        text = "\n".join(texts) if any("\n" in t or len(t) > 40 for t in texts) else ", ".join(texts)
    elif isinstance(value, (dict, list, tuple)):
        text = yaml.safe_dump(value, sort_keys=False, default_flow_style=False, width=1000).rstrip("\n")
    else:
        text = str(value)
    return relative_paths(text)


# ---------------------------------------------------------------------------- rendering

@dataclass
class Ticket:
    """One rendered issue: what sync writes and ``tickets`` saves."""

    id: str
    title: str
    labels: list[str]
    body: str  # with the marker as its last line
    hash: str

    def document(self) -> str:
        """Markdown with YAML front matter, for review before anything reaches GitHub."""
        front = yaml.safe_dump({"title": self.title, "labels": self.labels, "id": self.id},
                               sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{front}---\n\n{self.body}"


@dataclass
class Links:
    """What is known about filed issues when rendering: numbers and claimers by task id."""

    numbers: dict[str, int] = field(default_factory=dict)  # task id (or "umbrella") -> issue number
    claimers: dict[str, str] = field(default_factory=dict)  # task id -> login or name
    # kind -> an adopted tracking issue (data/tracking.yaml): task tickets of that kind link
    # it, and the umbrella leaves the kind out (jit-tracker never edits an adopted issue)
    tracking: dict[str, int] = field(default_factory=dict)
    pulls: dict[str, dict[str, Any]] = field(default_factory=dict)  # task id -> {number, author, state}

    def number(self, task_id: str) -> int | None:
        return self.numbers.get(task_id)

    def tracking_number(self, kind: str) -> int | None:
        """The issue tracking ``kind``: adopted, filed for the kind, or an all-kinds umbrella."""
        return self.tracking.get(kind) or self.numbers.get(tracking_id(kind)) or self.numbers.get(UMBRELLA_ID)


class Renderer:
    """Renders tickets from one template directory and one set of label rules."""

    def __init__(self, template_dir: str | Path | None = None, labels: LabelRules | None = None):
        directory = Path(template_dir) if template_dir else locate_templates()
        if not directory.is_dir():
            raise UsageError(f"{directory}: template directory not found")
        self.template_dir = directory
        self.labels = labels or load_labels()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(directory)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
            finalize=markdown_text,  # every {{ value }}: shown as text, not read as HTML
        )
        self.env.filters.update(code=inline_code, codeblock=codeblock, fence=fence)
        self._templates: dict[str, jinja2.Template] = {}

    def _template(self, name: str) -> jinja2.Template:
        if name not in self._templates:
            try:
                self._templates[name] = self.env.get_template(name)
            except jinja2.TemplateNotFound:
                raise TrackerError(f"template {name} not found in {self.template_dir}",
                                   hint="pass --template-dir DIR holding task.md.j2 and umbrella.md.j2") from None
            except jinja2.TemplateSyntaxError as exc:
                raise TrackerError(f"{self.template_dir / name}:{exc.lineno}: template syntax error: {exc.message}") from None
        return self._templates[name]

    def _render(self, name: str, context: dict[str, Any]) -> tuple[str, str]:
        """Render template ``name``; returns (title, body). The template sets ``title``."""
        template = self._template(name)
        try:
            module = template.make_module(context)
            body = str(module)
            title = getattr(module, "title", None)
        except jinja2.TemplateError as exc:
            raise TrackerError(f"{self.template_dir / name}{_template_line(template)}: "
                               f"template error: {getattr(exc, 'message', None) or exc}") from None
        if not isinstance(title, str) or not title.strip():
            raise TrackerError(f"{self.template_dir / name}: template must set a non-empty `title` "
                               "({% set title = ... %} at top level)")
        body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
        from .text import clean

        return clean(" ".join(title.split())), body

    def _ticket(self, ticket_id: str, title: str, labels: list[str], body: str) -> Ticket:
        digest = content_hash(title, labels, body)
        return Ticket(ticket_id, title, labels, f"{body}\n{make_marker(ticket_id, digest)}\n", digest)

    def task(self, task: Task, taskset: TaskSet, links: Links | None = None,
             ready: set[str] | None = None) -> Ticket:
        links = links or Links()
        ready = ready_ids(taskset) if ready is None else ready
        by_id = taskset.by_id()
        prereqs = []
        for pid in task.prerequisites:
            other = by_id.get(pid)
            prereqs.append({"id": pid, "number": links.number(pid),
                            "status": other.status if other else "unknown",
                            "title": other.title if other else pid})
        labels = self.labels.for_task(task, task.id in ready)
        context = {
            "task": task,
            "subject": task.subject,
            "ready": task.id in ready,
            "prerequisites": prereqs,
            "umbrella": links.tracking_number(task.kind),
            "claimer": links.claimers.get(task.id),
            "pull_request": links.pulls.get(task.id),
            "recipe": recipe_items(task.recipe or {}),
            "files": _files(task),
            "excerpt": task.excerpt.rstrip("\n") if task.excerpt else None,
            "file": _display_file(task.file) or "Python/bytecodes.c",
            "labels": labels,
            "share": share_of(task, taskset),
        }
        title, body = self._render(TASK_TEMPLATE, context)
        return self._ticket(task.id, title, labels, body)

    def umbrella(self, taskset: TaskSet, links: Links | None = None,
                 ready: set[str] | None = None, kind: str | None = None) -> Ticket:
        """The tracking issue of one ``kind`` (id ``umbrella:KIND``), or of every kind no
        adopted issue tracks (``umbrella``)."""
        links = links or Links()
        ready = ready_ids(taskset) if ready is None else ready
        groups: list[dict[str, Any]] = []
        for k in KINDS:
            if k in links.tracking or (kind is not None and k != kind):
                continue  # an adopted issue tracks it, or another tracking issue does
            # heaviest first when execution counts were applied, else by id
            tasks = sorted((t for t in taskset.tasks if t.kind == k), key=lambda t: (-(t.weight or 0), t.id))
            if not tasks:
                continue
            entries = [{"task": t, "number": links.number(t.id), "claimer": links.claimers.get(t.id),
                        "pull_request": links.pulls.get(t.id),
                        "ready": t.id in ready, "done": t.status == "done",
                        "share": share_of(t, taskset)} for t in tasks]
            counts = {s: sum(1 for t in tasks if t.status == s) for s in ("open", "done", "blocked")}
            groups.append({"kind": k, "entries": entries, "counts": counts, "total": len(tasks)})
        totals = {s: sum(g["counts"][s] for g in groups) for s in ("open", "done", "blocked")}
        from .provenance import describe

        others = {k: n for k, n in links.tracking.items()}
        if kind is not None:  # the other kinds' tracking issues, for readers who arrive here
            others.update({k: links.numbers[tracking_id(k)] for k in KINDS
                           if k != kind and k not in others and tracking_id(k) in links.numbers})
            others = {k: n for k, n in others.items() if k != kind and n > 0}
        context = {"groups": groups, "totals": totals, "total": sum(g["total"] for g in groups),
                   "source": dict(taskset.source), "stats": taskset.stats, "kind": kind,
                   "adopted": dict(sorted(others.items())),
                   # no age: it changes daily, and sync would rewrite the issue for it
                   "provenance": describe(taskset.source, age=False)}
        title, body = self._render(UMBRELLA_TEMPLATE, context)
        return self._ticket(tracking_id(kind) if kind else UMBRELLA_ID, title, list(self.labels.umbrella), body)

    def umbrellas(self, taskset: TaskSet, links: Links | None = None,
                  ready: set[str] | None = None) -> list[Ticket]:
        """One tracking issue per kind that has tasks and no adopted issue."""
        links = links or Links()
        return [self.umbrella(taskset, links, ready, kind) for kind in filed_kinds(taskset, links)]


def share_of(task: Task, taskset: TaskSet) -> dict[str, Any] | None:
    """How often a task's subject runs, for templates; None when no counts were applied.

    ``percent`` (``1.5%``, empty when the report has no counts for it), ``unit`` (uops or
    instructions), ``label`` (``pystats of 2025-07-19``), ``suite`` and ``source``.
    """
    if task.weight is None or not taskset.stats:
        return None
    from .stats import format_share, unit

    return {"percent": format_share(task.weight) if task.weight else "", "weight": task.weight,
            "unit": "of the tasks waiting for it" if task.kind == "helper" else unit(task),
            "label": taskset.stats.get("label", "pystats"), "suite": taskset.stats.get("suite", ""),
            "source": task.weight_source or ""}


def _files(task: Task) -> list[str]:
    recipe = task.recipe or {}
    if isinstance(recipe.get("files"), list):
        return [str(f) for f in recipe["files"]]
    files: list[str] = []
    if task.kind == "helper":
        files += ["Include/internal/pycore_stackref.h (or the header of the object type)",
                  "Python/bytecodes.c (the uops that will call it)"]
    else:
        files.append(_display_file(task.file) or "Python/bytecodes.c")
    if task.kind in ("optimizer", "split", "tier2") or recipe.get("optimizer_change"):
        files.append("Python/optimizer_bytecodes.c")
    files.append("Lib/test/test_capi/test_opt.py")
    files.append("the generated files, by `make regen-cases` (never edit them by hand)")
    return _unique(files)


def _display_file(file: str | None) -> str | None:
    """A CPython path relative to the checkout, whatever path the scan was given."""
    if not file:
        return None
    return relative_paths(file.replace("\\", "/"))


def _template_line(template: jinja2.Template) -> str:
    """``:LINE`` in the template of the exception being handled, if a frame is the template's."""
    tb = sys.exc_info()[2]
    line = None
    while tb is not None:
        if template.filename and tb.tb_frame.f_code.co_filename == template.filename:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return f":{line}" if line else ""


def locate_templates(override: str | Path | None = None) -> Path:
    """--template-dir, else the templates/ beside the package, else ./templates."""
    if override:
        return Path(override)
    if DEFAULT_TEMPLATE_DIR.is_dir():
        return DEFAULT_TEMPLATE_DIR
    return Path.cwd() / "templates"


def filed_kinds(taskset: TaskSet, links: Links) -> list[str]:
    """The kinds jit-tracker files a tracking issue for: those with tasks and no adopted issue."""
    present = {t.kind for t in taskset.tasks}
    return [k for k in KINDS if k in present and k not in links.tracking]


def render_all(taskset: TaskSet, renderer: Renderer,
               links: Links | None = None) -> tuple[list[Ticket], list[Ticket]]:
    """Every task's ticket (in task order) and the tracking issues (one per kind)."""
    ready = ready_ids(taskset)
    tickets = [renderer.task(t, taskset, links, ready) for t in taskset.tasks]
    return tickets, renderer.umbrellas(taskset, links, ready)


def ticket_filename(ticket_id: str) -> str:
    """A file name from a task id that is safe on every OS: ``refcount:_IS_OP`` -> ``refcount-_IS_OP.md``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", ticket_id).strip("-") + ".md"


def write_tickets(taskset: TaskSet, out: str | Path, renderer: Renderer,
                  links: Links | None = None) -> list[Path]:
    """Write one Markdown file per task plus one per tracking issue (umbrella-KIND.md) into
    ``out``; returns the paths."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create output directory: {exc.strerror}") from None
    tickets, umbrellas = render_all(taskset, renderer, links)
    written = []
    for ticket in tickets + umbrellas:
        path = out / ticket_filename(ticket.id)
        try:
            path.write_text(ticket.document(), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
        written.append(path)
    return written
