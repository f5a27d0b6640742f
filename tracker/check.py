"""Review a change: what two scans of the definitions say about it.

``review(base, head)`` compares the tasks and models of two trees (a pull request's
base and head, or a commit and its parent) and says what the change does for the
campaign:

- **completed**: tasks done (converted) or removed (their subject was deleted or
  decomposed), with the tracking issue and the task issue they close;
- **recipe checks** of each conversion: pops appended against the recipe (a plain
  ``POP_TOP`` where an int guard allows ``_POP_TOP_INT``), inputs returned but never
  popped, optimizer cases whose outputs no longer match the uop;
- **new problems**: a tier-2 uop that now releases its inputs, a new uop with results
  and no optimizer case, an instruction tier 2 could run before and cannot now, a
  definition the parser had to skip;
- **opened** tasks and changes of difficulty, and one line saying it all.

Pure: it reads what it is handed (models, task sets, the rules) and prints nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .model import Model, Uop
from .rules import Rules, default_rules
from .rules.refcount import pops_after
from .tasks import Task, TaskSet


@dataclass
class Side:
    """One tree of the comparison: its model and its tasks."""

    model: Model
    tasks: TaskSet
    # names the optimizer's C code writes (Python/optimizer_analysis.c), when it was read:
    # uops it emits during or after its analysis, beside those its cases emit
    emitted: frozenset[str] = frozenset()

    @classmethod
    def scan(cls, sources: Any, rules: Rules | None = None, analysis: str | None = None) -> "Side":
        """Parse, resolve and analyse a source set, keeping the model beside the tasks;
        ``analysis`` is the text of the optimizer's C code, if at hand."""
        from .model import load
        from .rules import find_tasks

        model = load(sources)
        emitted = frozenset(n for n in _UOP_NAME.findall(analysis) if n in model.uops) if analysis else frozenset()
        return cls(model, find_tasks(model, rules), emitted)


@dataclass
class Note:
    """One remark, where it applies (``file:line`` in the head tree when known)."""

    what: str  # wrong_pop | missing_pop | extra_pop | optimizer_mismatch | releases | no_optimizer_case | tier2_lost | skipped
    message: str
    task: str | None = None
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "message": self.message, "task": self.task,
                "file": self.file, "line": self.line}


@dataclass
class Completed:
    task: str
    how: str  # "done" (converted, the subject is still there) or "removed" (deleted or decomposed)
    kind: str
    subject: str
    instructions: list[str]
    tracking: str | None = None  # "python/cpython#134584" or a URL: the issue tracking its kind
    issue: str | None = None  # the task's own issue, when one is known
    adopted: bool = False  # the tracking issue is someone else's: tick the item by hand
    pops: dict[str, list[str]] = field(default_factory=dict)  # instruction -> pops appended
    checks: list[Note] = field(default_factory=list)  # the recipe check of a conversion

    def to_json(self) -> dict[str, Any]:
        return {"task": self.task, "how": self.how, "kind": self.kind, "subject": self.subject,
                "instructions": list(self.instructions), "tracking": self.tracking,
                "issue": self.issue, "adopted": self.adopted,
                "pops": {k: list(v) for k, v in self.pops.items()},
                "checks": [n.to_json() for n in self.checks]}


@dataclass
class Moved:
    """A task opened, reopened, or whose difficulty changed."""

    task: str
    what: str  # opened | reopened | difficulty | left_tier2 (gone because tier 2 no longer runs its uop)
    before: str | None = None  # the difficulty before, for "difficulty"
    after: str | None = None
    title: str = ""
    file: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"task": self.task, "what": self.what, "before": self.before, "after": self.after,
                "title": self.title, "file": self.file, "line": self.line}


@dataclass
class Review:
    base: dict[str, Any]
    head: dict[str, Any]
    completed: list[Completed] = field(default_factory=list)
    problems: list[Note] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)

    @property
    def checks(self) -> list[Note]:
        return [n for c in self.completed for n in c.checks]

    @property
    def opened(self) -> list[Moved]:
        return [m for m in self.moved if m.what in ("opened", "reopened")]

    @property
    def left_tier2(self) -> list[Moved]:
        return [m for m in self.moved if m.what == "left_tier2"]

    @property
    def difficulty(self) -> list[Moved]:
        return [m for m in self.moved if m.what == "difficulty"]

    def summary(self) -> str:
        """What the change does for the campaign, in one line."""
        parts = []
        if self.completed:
            by_tracking: dict[str, list[str]] = {}
            for c in self.completed:
                by_tracking.setdefault(c.tracking or c.kind, []).append(c.subject)
            done = "; ".join(f"{', '.join(names)} ({where})" for where, names in by_tracking.items())
            parts.append(f"completes {_count(len(self.completed), 'task')}: {done}")
        else:
            parts.append("completes no task")
        if self.checks:
            parts.append(_count(len(self.checks), "recipe remark"))
        parts.append(_count(len(self.problems), "new problem") if self.problems else "no new problem")
        if self.opened:
            parts.append(f"opens {_count(len(self.opened), 'task')}")
        if self.difficulty:
            parts.append(f"changes the difficulty of {_count(len(self.difficulty), 'task')}")
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."

    def to_json(self) -> dict[str, Any]:
        return {"base": dict(self.base), "head": dict(self.head), "summary": self.summary(),
                "completed": [c.to_json() for c in self.completed],
                "recipe_checks": [n.to_json() for n in self.checks],
                "problems": [n.to_json() for n in self.problems],
                "opened": [m.to_json() for m in self.opened],
                "difficulty": [m.to_json() for m in self.difficulty],
                "left_tier2": [m.to_json() for m in self.left_tier2]}


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- the review


def review(base: Side, head: Side, *, rules: Rules | None = None,
           tracking: Mapping[str, tuple[str, bool]] | None = None,
           issues: Mapping[str, str] | None = None) -> Review:
    """What changed from ``base`` to ``head``.

    ``tracking`` maps a kind to (its tracking issue, adopted?); ``issues`` a task id to
    its own issue (both as the caller wants them shown: ``#12`` or a URL).
    """
    rules = rules or default_rules()
    tracking = tracking or {}
    issues = issues or {}
    out = Review(dict(base.tasks.source), dict(head.tasks.source))
    before, after = base.tasks.by_id(), head.tasks.by_id()
    dropped = no_longer_emitted(base, head)
    for old in before.values():  # decomposed: the optimizer emits its uop no more
        still = after.get(old.id)
        if old.uop in dropped and old.status == "open" and still is not None and still.status != "done":
            kind_tracking = tracking.get(old.kind)
            out.completed.append(Completed(
                old.id, "removed", old.kind, old.subject, list(old.instructions),
                tracking=kind_tracking[0] if kind_tracking else None,
                adopted=bool(kind_tracking and kind_tracking[1]), issue=issues.get(old.id)))
    for change in _changes(base, head):
        was, now = before.get(change.task_id), after.get(change.task_id)
        if change.what in ("done", "removed"):
            task = was or now
            assert task is not None
            if change.what == "done" and now is None and not _run_by_tier2(task, head):
                # gone because tier 2 no longer runs its uop, not because it was converted
                out.moved.append(Moved(task.id, "left_tier2", title=task.title, file=task.file, line=task.line))
                continue
            kind_tracking = tracking.get(task.kind)
            item = Completed(task.id, change.what, task.kind, task.subject, list(task.instructions),
                             tracking=kind_tracking[0] if kind_tracking else None,
                             adopted=bool(kind_tracking and kind_tracking[1]),
                             issue=issues.get(task.id))
            if change.what == "done" and now is not None and task.kind == "refcount":
                item.pops = {k: list(v) for k, v in (now.recipe.get("pops_in") or {}).items()}
                if was is not None and now.uop:
                    item.checks = _recipe_check(was, now, head.model, rules)
            out.completed.append(item)
        elif change.what in ("opened", "reopened"):
            assert now is not None
            out.moved.append(Moved(now.id, change.what, title=now.title, file=now.file, line=now.line))
            problem = _problem_of(change.what, was, now, base, head)
            if problem is not None:
                out.problems.append(problem)
        elif change.what == "difficulty" and was is not None and now is not None:
            out.moved.append(Moved(now.id, "difficulty", was.difficulty, now.difficulty,
                                   title=now.title, file=now.file, line=now.line))
    by_uop = {after[c.task].uop: c for c in out.completed if c.how == "done" and c.task in after}
    for name, note in _optimizer_mismatches(base.model, head.model):
        owner = by_uop.get(name)
        if owner is not None:  # part of a conversion: its recipe check
            note.task = owner.task
            owner.checks.append(note)
        else:
            out.problems.append(note)
    out.problems.extend(_new_warnings(base.model, head.model))
    return out


def _run_by_tier2(task: Task, head: Side) -> bool:
    """Whether tier 2 still runs the uop ``task`` is about (in the head's instruction facts)."""
    if not task.uop:
        return True
    return any(f.get("tier2") and task.uop in (f.get("uops") or ()) for f in head.tasks.instructions)


def _changes(base: Side, head: Side) -> list[Any]:
    """What moved, with the head tree's own names deciding done (subject still there)
    from removed (deleted or decomposed)."""
    from .changes import compare

    names = set(head.model.uops) | set(head.model.instructions)
    return compare(base.tasks, head.tasks, exists=names)


# --------------------------------------------------------------------------- recipe checks


def _recipe_check(was: Task, now: Task, model: Model, rules: Rules) -> list[Note]:
    """The pops a conversion appended against what the recipe asked for."""
    notes: list[Note] = []
    uop = model.uops.get(now.uop or "")
    if uop is None:
        return notes
    expected = {m["instruction"]: list(m.get("pops") or []) for m in was.recipe.get("macros") or []}
    returned = returned_inputs(uop)
    for inst_name in now.instructions or list(expected):
        inst = model.instructions.get(inst_name)
        if inst is None:
            continue
        actual = pops_after(inst, uop, rules, model)
        want = expected.get(inst_name)
        file, line = _rel(inst.definition.loc.file, model), inst.definition.loc.line
        n = min(len(actual), len(want or ()))
        if want is not None and actual[:n] != want[:n]:
            got, asked = actual[:n], want[:n]
            plain = all(g == a or g == rules.refcount.default_pop for g, a in zip(got, asked))
            why = _why(next(a for g, a in zip(got, asked) if g != a)) if plain else "the recipe"
            verb = "allows" if plain and why != "the recipe" else "proposes"
            notes.append(Note("wrong_pop", f"{inst_name} appends {' + '.join(got)} where {why} "
                              f"{verb} {' + '.join(asked)}", now.id, file, line))
        needed = max(len(want or ()), len(returned))
        if len(actual) < needed:
            unpopped = returned[: len(returned) - len(actual)] if returned else []
            what = (f"{', '.join(unpopped)} {'is' if len(unpopped) == 1 else 'are'} returned by "
                    f"{uop.name} but never popped" if unpopped else
                    f"appends {len(actual)} pop(s), the recipe asks for {needed}")
            notes.append(Note("missing_pop", f"{inst_name}: {what} (the recipe: "
                              f"{' + '.join(want or ['?'])})", now.id, file, line))
        elif want is not None and len(actual) > len(want) and len(actual) > len(returned):
            notes.append(Note("extra_pop", f"{inst_name} appends {len(actual)} pops, the recipe asks "
                              f"for {len(want)} ({' + '.join(want)})", now.id, file, line))
    return notes


def _why(pop: str) -> str:
    m = re.match(r"_POP_TOP_(\w+)$", pop)
    if m and m.group(1) not in ("OPARG", "NOP"):
        return f"the {m.group(1).lower()} guard"
    if pop.endswith("OPARG"):
        return "an array input"
    return "the recipe"


def returned_inputs(uop: Uop) -> list[str]:
    """Outputs of ``uop`` fed from its inputs (``l = left;``), in stack order: what its
    pops must take. Outputs named like an input (a guard's pass-through) are not."""
    inputs = {i.name for i in uop.inputs if not i.is_unused}
    if not inputs:
        return []
    body = uop.body.code
    out = []
    for o in uop.outputs:
        if o.name in inputs:
            continue
        for name in inputs:
            if re.search(rf"\b{re.escape(o.name)}\s*=\s*{re.escape(name)}\s*;", body):
                out.append(o.name)
                break
    return out


def _optimizer_mismatches(base: Model, head: Model) -> list[tuple[str, Note]]:
    """Uops whose stack effect changed while their optimizer case kept the old outputs."""
    notes = []
    for name, uop in head.uops.items():
        case = uop.optimizer_case
        if case is None:
            continue
        now = _shape(uop.outputs)
        if _shape(case.outputs) == now:
            continue
        old = base.uops.get(name)
        if old is not None and _shape(old.outputs) == now:
            continue  # the uop did not change: an old mismatch is no news of this change
        notes.append((name, Note(
            "optimizer_mismatch",
            f"the optimizer case of {name} still has the outputs ({_items(case.outputs)}) while "
            f"{name} now has ({_items(uop.outputs)})",
            None, _rel(case.loc.file, head), case.loc.line)))
    return notes


def _shape(items: Any) -> list[tuple[bool, str | None]]:
    return [(i.is_array, i.size) for i in items]


def _items(items: Any) -> str:
    return ", ".join(str(i) for i in items) or "none"


def _problem_of(what: str, was: Task | None, now: Task, base: Side, head: Side) -> Note | None:
    """What a task opened by the change says is wrong with it, if anything.

    A uop that no instruction runs and that an optimizer case emits (``REPLACE_OP``,
    ``ADD_OP``) is written by the optimizer after its analysis: it needs no abstract case,
    and what it releases is the optimizer's own choice (the task stays listed among those
    opened). One that no instruction runs and no case emits (a ``_TIER_TWO`` uop the trace
    translator emits) goes through the optimizer like any other."""
    if now.kind in ("refcount", "optimizer") and not now.instructions and now.uop \
            and (now.uop in optimizer_emitted(head.model) or now.uop in head.emitted
                 or now.uop in no_longer_emitted(base, head)):
        return None
    if now.kind == "refcount":
        names = []
        for r in now.released_inputs:
            if r.name not in names:
                names.append(r.name)
        line = min((r.line for r in now.released_inputs), default=now.line)
        again = " again" if what == "reopened" else ""
        return Note("releases", f"{now.uop} now releases its input{'s' if len(names) > 1 else ''} "
                    f"{', '.join(names)} itself{again} "
                    f"({', '.join(sorted({r.call for r in now.released_inputs}))})",
                    now.id, now.file, line)
    if now.kind == "optimizer":
        new = now.uop not in base.model.uops
        return Note("no_optimizer_case",
                    f"{'new uop ' if new else ''}{now.uop} has results but no optimizer case",
                    now.id, now.file, now.line)
    if now.kind == "tier2":
        inst = now.instructions[0] if now.instructions else now.subject
        before = {f["name"]: f for f in base.tasks.instructions}
        if before.get(inst, {}).get("tier2"):
            reason = (now.reasons or ["?"])[0]
            return Note("tier2_lost", f"tier 2 could run {inst} before and cannot now: {_it(reason)}",
                        now.id, now.file, now.line)
        if inst not in base.model.instructions:
            return Note("tier2_lost", f"new instruction {inst} cannot run in tier 2: "
                        f"{_it((now.reasons or ['?'])[0])}", now.id, now.file, now.line)
    return None


_UOP_NAME = re.compile(r"\b_[A-Z][A-Z0-9_]*\b")


def optimizer_emitted(model: Model) -> set[str]:
    """Uops the optimizer's cases name in their bodies: the ones it emits itself."""
    found = model.__dict__.get("_optimizer_emitted")
    if found is None:
        found = set()
        for name, case in model.optimizer_cases.items():
            found.update(n for n in _UOP_NAME.findall(case.body.code) if n != name and n in model.uops)
        model.__dict__["_optimizer_emitted"] = found
    return found


def no_longer_emitted(base: Side, head: Side) -> set[str]:
    """Uops an optimizer case emitted in ``base`` and nothing emits or runs in ``head``, and
    whose own case is gone: decomposed (gh-148211's shape: the optimizer writes the parts
    instead), though still defined. Their open tasks are moot: removed."""
    run = {u for f in head.tasks.instructions if f.get("tier2") for u in (f.get("uops") or ())}
    # its own case went too: what C code of the optimizer emits, the two files do not show
    # by the cases alone: the C code names uops it rewrites as well as those it writes
    # (gh-148211's tables that decompose a uop name it), so it cannot tell a uop gone
    return {u for u in optimizer_emitted(base.model) - optimizer_emitted(head.model)
            if u in head.model.uops and u not in run and u in base.model.optimizer_cases
            and u not in head.model.optimizer_cases}


def _it(reason: str) -> str:
    """A reason as the rules word it ("uses this_instr", "its uop ... is annotated"), as a clause."""
    return reason if reason.startswith(("its ", "it ")) else f"it {reason}"


def _new_warnings(base: Model, head: Model) -> list[Note]:
    """Definitions the parser skipped in ``head`` that it did not skip in ``base`` (compared
    without line numbers: the change moves lines)."""
    def key(w: Any) -> tuple[str, str]:
        return (re.sub(r"\d+", "#", str(getattr(w, "message", w))),
                re.sub(r"\d+", "#", str(getattr(w, "skipped", ""))))
    seen = {key(w) for w in getattr(base, "warnings", None) or ()}
    notes = []
    for w in getattr(head, "warnings", None) or ():
        if key(w) in seen:
            continue
        skipped = getattr(w, "skipped", "") or "a definition"
        notes.append(Note("skipped", f"the parser skipped {skipped}: {getattr(w, 'message', w)}",
                          None, _rel(getattr(w, "file", None), head), getattr(w, "line", None)))
    return notes


def _rel(file: str | None, model: Model) -> str | None:
    """A checkout's file as ``Python/bytecodes.c``, wherever it was read."""
    if not file:
        return file
    origin = getattr(model.sources, "origin", None) if model.sources is not None else None
    if origin and origin not in ("files",) and not origin.startswith(("git:", "github:")):
        prefix = origin.rstrip("/\\") + "/"
        if file.startswith(prefix):
            return file[len(prefix):]
    return file


__all__ = ["Side", "Note", "Completed", "Moved", "Review", "review", "returned_inputs", "optimizer_emitted"]
