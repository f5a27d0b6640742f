"""What the TUI shows, computed without Textual: filters, fuzzy search, graph, claims.

Kept apart from the widgets so that filtering 500 tasks is a plain function call
(benchmarked and unit-tested on its own) and so that the screens only lay out what
this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Protocol

from ..errors import TrackerError
from ..tasks import DIFFICULTIES, KINDS, STATUSES, Task, TaskSet

ALL = "all"
# Status filter values: a task's own status, or whether someone claimed it.
STATUS_FILTERS = (ALL, *STATUSES, "claimed", "unclaimed")
SORT_KEYS = ("recommended", "share", "id", "kind", "uop", "instructions", "difficulty", "status", "claimed")
_DIFFICULTY_RANK = {d: i for i, d in enumerate(DIFFICULTIES)}
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}

Report = Callable[[str, "float | None"], None]
"""Progress callback given to loaders: a message and a fraction done (None: unknown)."""


class StoreLike(Protocol):
    """The part of tracker.store.Store the TUI uses (a fake in tests)."""

    def claims(self) -> dict[str, Any]: ...
    def claim(self, task_id: str, by: str, note: str | None = None, *, force: bool = False,
              known: set[str] | None = None, done: set[str] | None = None) -> Any: ...
    def release(self, task_id: str) -> Any: ...
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...
    def issues(self) -> dict[str, dict]: ...
    def is_stale(self, claim: Any, now: Any = None) -> bool: ...
    @property
    def history_file(self) -> Any: ...  # revisions() and contributors(), as tracker.historyfile


class EmptyStore:
    """A store with nothing in it and no writes: for benchmarks and screenshots."""

    def claims(self) -> dict[str, Any]:
        return {}

    def issues(self) -> dict[str, dict]:
        return {}

    @property
    def history_file(self) -> "EmptyStore":
        return self

    def revisions(self) -> list[dict]:
        return []

    def contributors(self) -> list[dict]:
        return []

    def get_setting(self, key: str, default: Any = None) -> Any:
        return default

    def pulls(self) -> dict[str, dict]:
        return {}

    def checklist(self) -> dict[str, dict]:
        return {}


# --------------------------------------------------------------------------- fuzzy search

def fuzzy_score(query: str, text: str) -> int | None:
    """Score ``text`` for a subsequence match of ``query`` (case-insensitive), None if none.

    Consecutive letters and letters at word starts (after ``_ : -`` or a space) score
    higher, so ``addint`` ranks ``_ADD_INT`` above ``_ADD_FLOAT_INT...``. Letters spread
    over more than three times the query's length do not count as a match: scattered
    hits across a long title are noise.
    """
    q = query.lower()
    t = text.lower()
    if not q:
        return 0
    pos = t.find(q)
    if pos >= 0:  # a plain substring beats any scattered match
        return 1000 - pos - len(t) // 10
    best: int | None = None
    start = t.find(q[0])
    while start >= 0:  # try each place the first letter occurs; keep the best compact match
        score = 3 if start == 0 or t[start - 1] in "_:- ." else 0
        last = start
        for ch in q[1:]:
            j = t.find(ch, last + 1)
            if j < 0:
                return best
            score += 5 if j == last + 1 else -min(j - last - 1, 5)
            if t[j - 1] in "_:- .":
                score += 3
            last = j
        if last - start < 3 * len(q) and (best is None or score > best):
            best = score
        start = t.find(q[0], start + 1)
    return best


def search_fields(task: Task) -> list[str]:
    return [task.id, task.uop or "", *task.instructions, task.title]


def match(query: str, task: Task) -> int | None:
    """Every space-separated word must match some field (id, uop, an instruction, title)."""
    words = query.split()
    if not words:
        return 0
    fields = search_fields(task)
    total = 0
    for w in words:
        # a hit in the id or the uop counts a little more than one in an instruction or title
        scores = [s + (2 if i < 2 else 0) for i, s in enumerate(fuzzy_score(w, f) for f in fields)
                  if s is not None]
        if not scores:
            return None
        total += max(scores)
    return total


# --------------------------------------------------------------------------- graph adapter

def _links(taskset: TaskSet) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Prerequisites and dependents per task id (no graph object: networkx costs the
    app's first frame more time than everything else it loads)."""
    from ..graph import links

    return links(taskset.tasks)


def _ready(taskset: TaskSet, prereqs: dict[str, list[str]]) -> set[str]:
    """Open tasks whose prerequisites are all done, on no cycle."""
    from ..graph import ready

    return ready(taskset)


def _campaign(store: Any) -> tuple[dict, dict]:
    """Pull requests and tracking-checklist marks, from a store that keeps them (sync reads them)."""
    pulls = getattr(store, "pulls", None)
    checklist = getattr(store, "checklist", None)
    return (dict(pulls()) if callable(pulls) else {}), (dict(checklist()) if callable(checklist) else {})


def _stale(store: Any, claims: dict[str, Any]) -> set[str]:
    """Claims the store considers abandoned (anyone may take them over)."""
    is_stale = getattr(store, "is_stale", None)
    if is_stale is None:
        return set()
    return {task_id for task_id, claim in claims.items() if is_stale(claim)}


# --------------------------------------------------------------------------- filters

@dataclass(frozen=True)
class Filters:
    kind: str = ALL
    difficulty: str = ALL
    status: str = ALL
    ready_only: bool = False
    query: str = ""
    sort: str = "recommended"
    reverse: bool = False

    def with_(self, **changes: Any) -> "Filters":
        return replace(self, **changes)

    @property
    def active(self) -> bool:
        return (self.kind, self.difficulty, self.status, self.ready_only, self.query) != (
            ALL, ALL, ALL, False, "")

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in
                 (("kind", self.kind), ("difficulty", self.difficulty), ("status", self.status))
                 if value != ALL]
        if self.ready_only:
            parts.append("ready only")
        if self.query:
            parts.append(f'search "{self.query}"')
        return ", ".join(parts) or "no filter"


def cycle(value: str, choices: Iterable[str]) -> str:
    """The next choice after ``value``, wrapping around (for one-key filter cycling)."""
    options = list(choices)
    return options[(options.index(value) + 1) % len(options)] if value in options else options[0]


KIND_FILTERS = (ALL, *KINDS)
DIFFICULTY_FILTERS = (ALL, *DIFFICULTIES)


# --------------------------------------------------------------------------- the data

@dataclass
class TrackerData:
    """A TaskSet joined with the store's claims, issues, history and contributors."""

    taskset: TaskSet
    claims: dict[str, Any] = field(default_factory=dict)
    issues: dict[str, dict] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)
    contributors: list[dict] = field(default_factory=list)
    store_error: str | None = None  # the state file could not be read: claims disabled
    stale: set[str] = field(default_factory=set)  # claims older than the store's stale limit
    pulls: dict[str, dict] = field(default_factory=dict)  # task id -> pull request (sync reads them)
    checklist: dict[str, dict] = field(default_factory=dict)  # task id -> {status} from a tracking issue

    def __post_init__(self) -> None:
        self.tasks: dict[str, Task] = self.taskset.by_id()
        self.prerequisites, self.dependents = _links(self.taskset)
        self.ready: set[str] = _ready(self.taskset, self.prerequisites)

    @classmethod
    def load(cls, taskset: TaskSet, store: StoreLike | None) -> "TrackerData":
        """Join the store's state; a broken state file becomes ``store_error``, not a crash."""
        if store is None:
            return cls(taskset, store_error="no state file: claims are disabled")
        try:
            data = cls(taskset, dict(store.claims()), dict(store.issues()),
                       list(store.history_file.revisions()), list(store.history_file.contributors()))
            data.stale = _stale(store, data.claims)
            data.pulls, data.checklist = _campaign(store)
            return data
        except TrackerError as exc:
            return cls(taskset, store_error=str(exc))

    @staticmethod
    def read_store(store: StoreLike) -> tuple:
        """Claims, issues, stale claims, pull requests and checklist marks as the store has
        them now (safe off the UI thread)."""
        claims = dict(store.claims())
        return (claims, dict(store.issues()), _stale(store, claims), *_campaign(store))

    def apply_store(self, state: tuple) -> None:
        self.claims, self.issues, self.stale, self.pulls, self.checklist = state

    def refresh_store(self, store: StoreLike) -> None:
        self.apply_store(self.read_store(store))

    # -- per task
    def claimed_by(self, task_id: str) -> str:
        c = self.claims.get(task_id)
        return getattr(c, "by", "") if c is not None else ""

    def is_free(self, task_id: str) -> bool:
        """Nobody holds it: never claimed, or the claim went stale."""
        return task_id not in self.claims or task_id in self.stale

    def is_starter(self, task: Task) -> bool:
        """Ready, easy and free (no pull request, not crossed out on its tracking issue):
        what a newcomer should pick first."""
        return (task.id in self.ready and task.difficulty == "easy" and self.is_free(task.id)
                and task.id not in self.pulls and task.id not in self.checklist)

    def pull_status(self, task_id: str) -> str | None:
        """``in review`` (an open pull request), ``merged`` (waiting for a rescan), or None."""
        pr = self.pulls.get(task_id)
        if not pr or getattr(self.tasks.get(task_id), "status", "open") == "done":
            return None
        return "in review" if pr.get("state") == "open" else "merged"

    def issue_url(self, task_id: str) -> str | None:
        issue = self.issues.get(task_id)
        if issue and issue.get("url"):
            return issue["url"]
        claim = self.claims.get(task_id)
        return getattr(claim, "issue", None) or None

    @property
    def done_ids(self) -> set[str]:
        return {t.id for t in self.taskset.tasks if t.status == "done"}

    # -- the list
    def _sort_key(self, key: str) -> Callable[[Task], Any]:
        if key == "recommended":  # good first tasks, then ready ones; the heaviest first in each
            return lambda t: (not self.is_starter(t), t.id not in self.ready,
                              _STATUS_RANK.get(t.status, 9), -(t.weight or 0.0),
                              _DIFFICULTY_RANK.get(t.difficulty, 9), _KIND_RANK.get(t.kind, 9), t.id)
        if key == "share":  # heaviest first (share of executed work), then the recommended order
            recommended = self._sort_key("recommended")
            return lambda t: (-(t.weight or 0.0), recommended(t))
        if key == "difficulty":
            return lambda t: (_DIFFICULTY_RANK.get(t.difficulty, 9), t.id)
        if key == "status":
            return lambda t: (_STATUS_RANK.get(t.status, 9), t.id)
        if key == "claimed":
            return lambda t: (self.claimed_by(t.id) == "", self.claimed_by(t.id).lower(), t.id)
        if key == "uop":
            return lambda t: (t.uop or "", t.id)
        if key == "instructions":
            return lambda t: (", ".join(t.instructions), t.id)
        if key == "kind":
            return lambda t: (t.kind, t.id)
        return lambda t: t.id

    def visible(self, f: Filters) -> list[Task]:
        """The tasks the table shows for these filters, in order (best match first when searching)."""
        out = []
        for t in self.taskset.tasks:
            if f.kind != ALL and t.kind != f.kind:
                continue
            if f.difficulty != ALL and t.difficulty != f.difficulty:
                continue
            if f.status == "claimed":
                if t.id not in self.claims:
                    continue
            elif f.status == "unclaimed":
                if not self.is_free(t.id) or t.status != "open":
                    continue
            elif f.status != ALL and t.status != f.status:
                continue
            if f.ready_only and t.id not in self.ready:
                continue
            out.append(t)
        out.sort(key=self._sort_key(f.sort), reverse=f.reverse)
        if f.query:
            scored = [(score, i, t) for i, t in enumerate(out)
                      if (score := match(f.query, t)) is not None]
            out = [t for _score, _i, t in sorted(scored, key=lambda x: (-x[0], x[1]))]
        return out

    def summary(self, shown: list[Task]) -> dict[str, int]:
        return {
            "shown": len(shown),
            "total": len(self.taskset.tasks),
            "ready": sum(1 for t in shown if t.id in self.ready),
            "starter": sum(1 for t in shown if self.is_starter(t)),
            "claimed": sum(1 for t in shown if t.id in self.claims),
        }

    def progress(self) -> list[dict[str, Any]]:
        """Per kind: total, done, open, blocked, claimed (kinds without tasks left out)."""
        rows = []
        for kind in KINDS:
            ts = [t for t in self.taskset.tasks if t.kind == kind]
            if not ts:
                continue
            rows.append({
                "kind": kind, "total": len(ts),
                "done": sum(t.status == "done" for t in ts),
                "open": sum(t.status == "open" for t in ts),
                "blocked": sum(t.status == "blocked" for t in ts),
                "claimed": sum(t.id in self.claims for t in ts),
            })
        return rows


def recipe_markdown(task: Task) -> str:
    """The recipe as Markdown, item by item as the tickets lay it out."""
    recipe = task.recipe or {}
    if not recipe:
        return "_This task has no recipe yet._"
    from ..tickets import codeblock, markdown_text as md, recipe_items

    out: list[str] = []
    for item in recipe_items(recipe):
        title = md(item["title"])
        if item["kind"] == "text":
            out.append(f"**{title}**: {md(item['text'])}")
        elif item["kind"] == "list":
            out.append(f"**{title}**\n\n" + "\n".join(f"- {md(v)}" for v in item["items"]))
        elif item["kind"] == "block":
            # the code right under its title: apart, a lone "Case" looked like an empty heading
            out.append(f"**{title}:**\n{codeblock(item['text'], 'c')}")
        else:  # a before/after pair
            out.append(f"**{title}**\n\nBefore:\n\n{codeblock(item['before'], 'c')}\n\n"
                       f"After:\n\n{codeblock(item['after'], 'c')}")
            out.extend(f"- {md(n)}" for n in item.get("notes", []))
    files = recipe.get("files")
    if isinstance(files, list) and files:
        out.append("**Files**: " + ", ".join(f"`{f}`" for f in files))
    if recipe.get("test"):
        out.append(f"**Test**: {md(recipe['test'])}")
    return "\n\n".join(out)


_renderer: Any = None


def ticket_markdown(task: Task, taskset: TaskSet, data: "TrackerData | None" = None) -> str:
    """The ticket preview as ``jit-tracker tickets`` renders it; the recipe if that fails."""
    global _renderer
    try:
        from .. import tickets
    except ImportError:  # pragma: no cover - tickets ships with the package
        tickets = None  # type: ignore[assignment]
    if tickets is not None:
        try:
            if _renderer is None:
                _renderer = tickets.Renderer()
            links = None
            if data is not None:
                links = tickets.Links(
                    numbers={k: v["number"] for k, v in data.issues.items() if v.get("number")},
                    claimers={k: getattr(c, "by", "") for k, c in data.claims.items()},
                )
            ticket = _renderer.task(task, taskset, links,
                                    ready=data.ready if data is not None else None)
            body = "\n".join(line for line in ticket.body.splitlines()
                             if not line.startswith("<!-- jit-tracker:"))
            return f"# {ticket.title}\n\n{body.strip()}"
        except TrackerError as exc:
            return f"_The ticket template failed ({exc}); the recipe instead:_\n\n{recipe_markdown(task)}"
    from ..tickets import markdown_text as md

    parts = [f"# {md(task.title)}", md(task.explanation), recipe_markdown(task)]
    return "\n\n".join(p for p in parts if p)
