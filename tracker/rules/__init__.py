"""The rules: what is not yet JIT-friendly, why, and the recipe to fix it.

``find_tasks(model)`` turns a resolved model into a :class:`TaskSet`:
``refcount`` tasks (uops releasing their own inputs), ``optimizer`` tasks (uops with
results and no abstract case), ``tier2`` tasks (instructions tier 2 cannot run),
plus the ``helper`` and ``split`` tasks those depend on.
"""

from __future__ import annotations

from functools import lru_cache

from ..model import Model, Uop, load
from ..sources import SourceSet, strip_root
from ..tasks import Task, TaskSet
from . import optimizer as opt_rule
from . import refcount as rc_rule
from . import tier2 as t2_rule
from .config import Rules, load_rules
from .finding import Finding
from .pops import is_pop
from .recipe import recipe as make_recipe

__all__ = ["Rules", "find_tasks", "load_rules", "scan", "default_rules"]


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()


def scan(sources: SourceSet, rules: Rules | None = None) -> TaskSet:
    """Parse, resolve and analyse a source set."""
    return find_tasks(load(sources), rules)


def find_tasks(model: Model, rules: Rules | None = None) -> TaskSet:
    rules = rules or default_rules()
    tasks: list[Task] = []
    facts = t2_rule.instruction_facts(model, rules)
    viable_uops = t2_rule.tier2_uops(model, rules)
    traceable = {f["name"] for f in facts if f["tier2"]}

    helper_users: dict[str, list[Task]] = {}
    for uop in viable_uops.values():
        if is_pop(uop.name, model, rules) or is_pop(uop.definition.name, model, rules):
            continue  # releasing its inputs is all a pop does
        finding = rc_rule.analyse(uop, model, rules, traceable)
        if finding.status is None:
            continue
        task = _refcount_task(finding, model, rules)
        tasks.append(task)
        if task.status == "open":
            for h in finding.helpers:
                helper_users.setdefault(h, []).append(task)

    for name, users in sorted(helper_users.items()):
        first = users[0]
        insts = sorted({i for u in users for i in u.instructions})
        tasks.append(Task(
            id=f"helper:{name}", kind="helper",
            title=f"Add a variant of {name} that does not consume its arguments",
            uop=None, instructions=insts, difficulty="medium",
            reasons=[f"{len(users)} conversion(s) wait for it: " + ", ".join(u.uop or u.id for u in users)],
            recipe={"helper": name, "users": [u.id for u in users],
                    "suggestion": f"add a non-stealing twin of {name} (or use an existing "
                                  f"non-stealing API), so callers keep their references and pop them"},
            file=first.file, line=min(r.line for u in users for r in u.released_inputs if r.call == name),
            explanation=f"{name} consumes (steals) stack inputs, so uops that call it cannot "
                        f"leave their inputs on the stack for explicit pops.",
        ))
        for u in users:
            u.prerequisites.append(f"helper:{name}")

    if len(model.files) > 1:  # an optimizer file was read
        for uop in viable_uops.values():
            t = _optimizer_task(uop, model, rules, traceable)
            if t:
                tasks.append(t)

    for fact in facts:
        if fact["tier2"] or fact["by_design"]:
            continue
        inst = model.instructions[fact["name"]]
        tasks.append(Task(
            id=f"tier2:{inst.name}", kind="tier2", title=f"Make {inst.name} traceable in tier 2",
            uop=None, instructions=[inst.name], difficulty="hard" if "this_instr" in (fact["reason"] or "") else "medium",
            reasons=[fact["reason"]], file=inst.loc.file, line=inst.loc.line, end_line=inst.loc.end_line,
            recipe={"reason": fact["reason"], "uops": fact["uops"],
                    "suggestion": _tier2_suggestion(fact["reason"] or "")},
            explanation=f"Tier 2 cannot run {inst.name} because it {fact['reason']}, so every "
                        f"trace stops there.",
            excerpt=_excerpt(model, [inst.definition]),
        ))

    _apply_curated(tasks, rules)
    source = model.sources.provenance() if model.sources is not None else {}
    if model.sources is not None and model.sources.origin not in ("files",) and not model.sources.origin.startswith(("git:", "github:")):
        _relative_paths(tasks, facts, model.sources.origin)
    tasks.sort(key=lambda t: (("refcount", "helper", "split", "optimizer", "tier2").index(t.kind), t.id))
    return TaskSet(source, tasks, facts, uops=sorted(model.uops))


def _relative_paths(tasks: list[Task], facts: list[dict], root: str) -> None:
    """Show files of a checkout as ``Python/bytecodes.c``: the same wherever it was scanned."""
    for t in tasks:
        t.file = strip_root(t.file, root)
        t.recipe = strip_root(t.recipe, root)
    facts[:] = strip_root(facts, root)


def _refcount_task(finding: Finding, model: Model, rules: Rules) -> Task:
    uop = finding.uop
    defs = [uop.definition] + [model.instructions[i].definition for i in finding.instructions
                               if model.instructions[i].definition is not uop.definition]
    base = dict(
        id=f"refcount:{uop.name}", kind="refcount",
        title=f"Eliminate redundant refcounting in {uop.name}",
        uop=uop.name, instructions=list(finding.instructions),
        file=uop.loc.file, line=uop.loc.line, end_line=uop.loc.end_line,
        excerpt=_excerpt(model, defs),
    )
    if finding.status == "done":
        return Task(**base, status="done", difficulty="easy",
                    reasons=["converted: inputs returned as outputs and popped by "
                             + ", ".join(finding.pops_seen)],
                    recipe={"converted_in": finding.converted_in, "pops": finding.pops_seen,
                            "pops_in": finding.pops_in},
                    explanation=f"{uop.name} leaves its inputs for explicit pops the optimizer can remove.")
    recipe = make_recipe(finding, model, rules)
    reasons, points = _difficulty_reasons(finding, recipe, uop, rules)
    difficulty = "easy" if points <= rules.easy_max else "medium" if points <= rules.medium_max else "hard"
    names = []
    for r in finding.released:
        if r.name not in names:
            names.append(r.name)
    calls = sorted({r.call for r in finding.released})
    task = Task(
        **base, status="open", difficulty=difficulty, reasons=reasons,
        released_inputs=finding.released, recipe=recipe,
        explanation=(
            f"{uop.name} releases its input{'s' if len(names) > 1 else ''} {', '.join(names)} itself "
            f"({', '.join(calls)}), which hides a decref and its deallocation branch from the JIT "
            f"optimizer. Returned as outputs and popped by explicit pop uops, they can be dropped "
            f"by the optimizer when a reference is borrowed or immortal."
        ),
    )
    if uop.implicit:
        task.prerequisites.append(f"split:{uop.definition.name}")
    return task


def _difficulty_reasons(finding, recipe, uop: Uop, rules: Rules) -> tuple[list[str], int]:
    p = rules.points
    reasons: list[str] = []
    points = 0
    names = {r.name for r in finding.released}
    reasons.append(f"{len(names)} released input(s): {', '.join(sorted(names))}")
    if len(names) > 2:
        points += p.get("extra_inputs", 1)
        reasons.append("more than two inputs to hand on and pop")
    if recipe.get("array_inputs") and (recipe.get("new_pop_uop") or recipe.get("array_size_mismatch")):
        points += p.get("array_input", 3)
        reasons.append(f"array input(s) {', '.join(recipe['array_inputs'])}: needs a new pop uop "
                       f"taking oparg ({recipe['new_pop_uop']})" if recipe.get("new_pop_uop") else
                       f"array input(s) {', '.join(recipe['array_size_mismatch'])}: sized otherwise "
                       f"than the array pop takes, needs a design decision")
    elif recipe.get("array_inputs"):
        points += p.get("array_input_popped", 1)
        reasons.append(f"array input(s) {', '.join(recipe['array_inputs'])}: popped whole by the "
                       f"tree's array pop")
    if any(r.conditional for r in finding.released):
        points += p.get("conditional", 2)
        reasons.append("released only on some paths")
    if finding.escaping:
        points += p.get("escaping_call", 1)
        shown = ", ".join(finding.escaping[:3]) + ("..." if len(finding.escaping) > 3 else "")
        reasons.append(f"escaping call(s): {shown}")
    if finding.helpers:
        points += p.get("stealing_helper", 2)
        reasons.append(f"stealing helper(s) need a non-stealing twin: {', '.join(finding.helpers)}")
    if "optimizer_change" in recipe:
        points += p.get("optimizer_case", 1)
        reasons.append("its optimizer case must change too")
    if uop.implicit:
        points += p.get("split_inst", 2)
        reasons.append(f"inst {uop.definition.name} must be split into an op and a macro")
    return reasons, points


def _optimizer_task(uop: Uop, model: Model, rules: Rules, traceable: set[str]) -> Task | None:
    outs = opt_rule.new_outputs(uop, rules)
    if not outs:
        return None
    has_case = uop.optimizer_case is not None
    arrays = [o.name for o in outs if o.is_array]
    difficulty = "hard" if arrays else ("easy" if len(outs) == 1 else "medium")
    reasons = [f"{len(outs)} output(s): {', '.join(str(o) for o in outs)}"]
    if arrays:
        reasons.append(f"array output(s): {', '.join(arrays)}")
    return Task(
        id=f"optimizer:{uop.name}", kind="optimizer",
        title=f"Teach the optimizer about {uop.name}",
        uop=uop.name, instructions=[i for i in t2_rule.tier2_users(model, rules).get(uop.name, ())
                                     if i in traceable],
        status="done" if has_case else "open", difficulty=difficulty, reasons=reasons,
        recipe={"known": opt_rule.knowledge(uop, model, rules), "case": opt_rule.case_skeleton(uop, rules),
                "file": "Python/optimizer_bytecodes.c"} if not has_case else
               {"case_at": f"{case.loc.file}:{case.loc.line}" if (case := uop.optimizer_case) else None},
        file=uop.loc.file, line=uop.loc.line, end_line=uop.loc.end_line,
        explanation=(f"{uop.name} has no abstract case in Python/optimizer_bytecodes.c, so the "
                     f"optimizer knows nothing of its result{'s' if len(outs) > 1 else ''} and cannot "
                     f"remove later guards or fold constants through it.") if not has_case else
                    f"The optimizer has an abstract case for {uop.name}.",
        excerpt=_excerpt(model, [uop.definition]) if not has_case else None,
    )


def _tier2_suggestion(reason: str) -> str:
    if "this_instr" in reason:
        return ("replace uses of this_instr with cache entries or oparg, or move the tier-1-only "
                "part into its own uop annotated tier1 that tier 2 can skip")
    if "cache entries" in reason:
        return "reduce the cache entries the uop reads to at most two (e.g. split the uop)"
    if "popping" in reason:
        return "use one kind of error exit: ERROR_IF after the inputs are dead, or ERROR_NO_POP throughout"
    if "tier1" in reason or "tier 1" in reason:
        return "find out why it is tier 1 only; split off the tier-1-only part"
    return "split the offending part into its own uop"


def _excerpt(model: Model, defs: list) -> str | None:
    """Source text of the given definitions, dedented by the first line's indentation."""
    chunks = []
    by_file = {f.filename: f.source for f in model.files}
    for d in defs:
        src = by_file.get(d.loc.file)
        if src is None:
            continue
        text = src.lines_text(d.loc.line, d.loc.end_line)
        first = text[: len(text) - len(text.lstrip(" \t"))]
        if first:  # strip the first line's indentation from every line that has it
            text = text[len(first):].replace("\n" + first, "\n")
        chunks.append(text)
    return "\n\n".join(chunks) if chunks else None


def _apply_curated(tasks: list[Task], rules: Rules) -> None:
    ids = {t.id: t for t in tasks}
    for task_id, entry in rules.curated.blocked.items():
        t = ids.get(task_id)
        if t is not None and t.status == "open":
            t.status = "blocked"
            t.blocked_reason = entry["reason"]
            t.links = list(entry["links"])
    for task_id, prereqs in rules.curated.extra_edges.items():
        t = ids.get(task_id)
        if t is not None:
            for p in prereqs:
                if p not in t.prerequisites:
                    t.prerequisites.append(p)
    # split tasks for every inst that needs one
    splits: dict[str, Task] = {}
    for t in tasks:
        for p in t.prerequisites:
            if p.startswith("split:") and p not in ids:
                splits.setdefault(p, t)
    for sid, user in splits.items():
        name = sid.split(":", 1)[1]
        tasks.append(Task(
            id=sid, kind="split", title=f"Split inst {name} into an op and a macro",
            uop=None, instructions=[name], difficulty="easy",
            reasons=["mechanical: rename the body to an op and add a macro"],
            recipe={"suggestion": user.recipe.get("split", "")},
            file=user.file, line=user.line, end_line=user.end_line,
            explanation=f"{name} is written as an inst; pops can only be appended to a macro.",
        ))
