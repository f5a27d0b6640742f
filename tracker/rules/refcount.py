"""Refcount elimination (the gh-134584 pattern).

A tier-2 uop that releases one of its own stack inputs hides a decref, and its branch
to deallocation, from the JIT optimizer. The conversion returns the released inputs
as extra outputs and appends explicit pop uops to the instruction's macro, which the
optimizer can then drop when a reference is borrowed or immortal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dsl import StackItem
from ..model import Instruction, Model, Uop
from ..tasks import ReleasedInput
from .body import Call, borrowed_locals, call_names, calls_named
from .config import Rules
from .tier2 import expansion, halves, tier2_users


@dataclass
class Finding:
    """What the refcount rule saw in one uop."""

    uop: Uop
    instructions: list[str] = field(default_factory=list)  # the traceable ones using it
    released: list[ReleasedInput] = field(default_factory=list)
    helpers: list[str] = field(default_factory=list)  # consuming helpers inputs go to
    escaping: list[str] = field(default_factory=list)
    converted_in: list[str] = field(default_factory=list)  # instructions already popping
    pops_seen: list[str] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        if self.released:
            return "open"
        if self.converted_in:
            return "done"
        return None


def analyse(uop: Uop, model: Model, rules: Rules, traceable: set[str] | None = None) -> Finding:
    """Find the inputs ``uop`` releases, or whether it is already converted.

    The users of the uop are the tier-2 instructions whose expansion runs it (a
    super-instruction's halves included); with ``traceable`` given, only those in it:
    an instrumented or tier-1-only instruction is never part of a task.
    """
    rc = rules.refcount
    users = [i for i in tier2_users(model, rules).get(uop.name, ())
             if traceable is None or i in traceable]
    finding = Finding(uop, users)
    inputs = [i for i in uop.inputs if not i.is_unused]
    names = {i.name for i in inputs}
    if names:
        called = call_names(uop.body)
        relevant = [n for n in called if _relevant(n, rules)]
        finding.escaping = [n for n in called if n not in relevant and _escapes(n, rules)]
        if relevant:
            borrowed = (borrowed_locals(uop.body, rc.borrow_re)
                        if any(n in rc.decref_calls for n in relevant) else {})
            slots = _overwritten_slots(uop, names, rules)
            ordered = [i.name for i in inputs]
            for call in calls_named(uop.body, relevant):
                _classify(call, names, ordered, borrowed, rules, finding)
                if call.name in rc.close_calls and call.arg_ident(0) in slots:
                    finding.released.append(ReleasedInput(
                        call.arg_ident(0), call.line, call.name, call.depth > 1, "overwritten"))
    if not finding.released:
        for inst_name in finding.instructions:
            pops = pops_after(model.instructions[inst_name], uop, rules, model)
            if pops and (_returns_inputs(uop) or _returns_slot(uop, rules)):
                finding.converted_in.append(inst_name)
                finding.pops_seen = pops
    return finding


def _classify(call: Call, names: set[str], ordered: list[str], borrowed: dict[str, str],
              rules: Rules, finding: Finding) -> None:
    rc = rules.refcount

    def release(name: str) -> None:
        finding.released.append(ReleasedInput(name, call.line, call.name, call.depth > 1))

    if call.name in rc.release_all_calls:
        for n in ordered:
            release(n)
    elif call.name in rc.close_calls:
        target = call.arg_ident(0)
        if target in names:
            release(target)
    elif call.name in rc.decref_calls:
        target = call.arg_ident(0)
        if target in borrowed and borrowed[target] in names:
            release(borrowed[target])
    elif call.name not in rc.transfer_calls and rc.consuming.search(call.name):
        hit = False
        for i in range(len(call.args)):
            target = call.arg_ident(i)
            if target in names:
                release(target)
                hit = True
        if hit and call.name not in finding.helpers:
            finding.helpers.append(call.name)


_RELEVANT: dict[tuple[int, str], bool] = {}


def _relevant(name: str, rules: Rules) -> bool:
    """Whether a call can release an input: a release call or a consuming helper."""
    key = (id(rules), name)
    if key not in _RELEVANT:
        rc = rules.refcount
        _RELEVANT[key] = (
            name in rc.release_all_calls or name in rc.close_calls or name in rc.decref_calls
            or (name not in rc.transfer_calls and rc.consuming.search(name) is not None)
        )
    return _RELEVANT[key]


_ESCAPES: dict[tuple[int, str], bool] = {}


def _escapes(name: str, rules: Rules) -> bool:
    """Whether a call may run arbitrary code (memoised: the same names recur everywhere)."""
    key = (id(rules), name)
    if key not in _ESCAPES:
        _ESCAPES[key] = rules.refcount.non_escaping_any.search(name) is None
    return _ESCAPES[key]


def _overwritten_slots(uop: Uop, inputs: set[str], rules: Rules) -> set[str]:
    """Locals holding a frame slot's old value, when the uop stores an input in the slot."""
    reads = rules.refcount.slot_reads
    if not any(uop.body.uses(r) for r in reads):
        return set()
    code = uop.body.code
    names = "|".join(re.escape(r) for r in sorted(reads))
    stores_input = any(
        m.group(1) in inputs
        for m in re.finditer(rf"\b(?:{names})\s*\([^;]*?\)\s*=\s*([A-Za-z_]\w*)\s*;", code)
    )
    if not stores_input:
        return set()
    return {m.group(1) for m in re.finditer(rf"\b([A-Za-z_]\w*)\s*=\s*(?:{names})\s*\(", code)}


def _returns_slot(uop: Uop, rules: Rules) -> bool:
    """Converted shape of the frame-slot pattern: an output takes the slot's old value."""
    reads = rules.refcount.slot_reads
    if not any(uop.body.uses(r) for r in reads):
        return False
    names = "|".join(re.escape(r) for r in sorted(reads))
    return any(
        re.search(rf"\b{re.escape(o.name)}\s*=\s*(?:{names})\s*\(", uop.body.code)
        for o in uop.outputs
    )


def _returns_inputs(uop: Uop) -> bool:
    """Converted shape: more outputs than the uop's own results, fed from inputs."""
    inputs = [i for i in uop.inputs if not i.is_unused]
    if not inputs:
        return False
    body = uop.body.code
    for out in uop.outputs:
        for inp in inputs:
            if out.name == inp.name:
                continue
            if re.search(rf"\b{re.escape(out.name)}\s*=\s*{re.escape(inp.name)}\s*;", body):
                return True
    return False


def pops_after(inst: Instruction, uop: Uop, rules: Rules, model: Model | None = None) -> list[str]:
    """The pop uops that directly follow ``uop`` in ``inst`` (cache entries skipped).

    With ``model``, in what tier 2 runs for ``inst`` (a super-instruction's halves).
    """
    pops: list[str] = []
    seen = False
    for part in (expansion(inst, model, rules) if model is not None else inst.parts):
        if part.uop is uop:
            seen = True
            pops = []
            continue
        if not seen or part.uop is None:
            continue
        if part.text in rules.refcount.pop_uops or part.name in rules.refcount.pop_uops:
            pops.append(part.text)
        else:
            break
    return pops


def pop_for(inp: str, uop: Uop, inst: Instruction | None, finding: Finding, rules: Rules) -> str:
    """The pop uop that fits input ``inp``: from type guards before the uop, or its dealloc."""
    rc = rules.refcount
    stack = [i.name for i in uop.inputs]
    position = None
    if inp in stack:  # not for the old value of an overwritten slot
        position = {0: "tos", 1: "nos", 2: "third"}.get(len(stack) - 1 - stack.index(inp))
    if inst is not None and position:
        for part in inst.parts:
            if part.uop is uop:
                break
            guard = rc.guards.get(part.name) or rc.guards.get(part.text)
            if guard and position in guard.positions:
                return guard.pop
    special = "PyStackRef_CLOSE_SPECIALIZED"
    specialized = calls_named(uop.body, [special]) if special in call_names(uop.body) else []
    for call in specialized:
        if call.arg_ident(0) == inp:
            dealloc = call.arg_ident(1)
            if dealloc in rc.specialized_deallocs:
                return rc.specialized_deallocs[dealloc]
    return rc.default_pop


def effect_text(inputs: list[str], outputs: list[str]) -> str:
    """A stack effect as CPython writes it: ``(a, b -- c)``, ``(a --)``, ``(-- c)``."""
    left = ", ".join(inputs) + " " if inputs else ""
    right = " " + ", ".join(outputs) if outputs else ""
    return f"({left}--{right})"


def recipe(finding: Finding, model: Model, rules: Rules) -> dict:
    """The concrete conversion: stack effect, macros with pops, optimizer case, test."""
    uop = finding.uop
    released = []
    for r in finding.released:
        if r.name not in released:
            released.append(r.name)
    by_name = {i.name: i for i in uop.inputs}
    arrays = [n for n in released if n in by_name and by_name[n].is_array]
    movable = [n for n in uop.inputs if n.name in released and not n.is_array]
    for r in finding.released:  # old values of overwritten frame slots, once per release
        if r.what == "overwritten":
            movable.append(StackItem(r.name if r.name not in [m.name for m in movable]
                                     else f"{r.name}{len(movable) + 1}"))
    all_inputs = [str(i) for i in uop.definition.inputs]
    outputs = [str(o) for o in uop.outputs]
    new_outputs = outputs + [f"{i.name}_out" for i in movable]
    out: dict = {
        "stack_effect_before": effect_text(all_inputs, outputs),
        "stack_effect_after": effect_text(all_inputs, new_outputs),
        "body_change": _body_change(finding, movable),
        "macros": [],
    }
    if uop.implicit:
        out["split"] = (
            f"turn inst({uop.definition.name}, ...) into op({uop.name}, ...) and add "
            f"macro({uop.definition.name}) = {uop.name} + <pops>; move any unused/N cache "
            f"entries of the inst into the macro"
        )
    for inst_name in finding.instructions:
        inst = model.instructions[inst_name]
        pair = halves(inst, model, rules)
        if pair is not None:  # nothing to change in it: tier 2 runs its halves
            parts = expansion(inst, model, rules)
            pops = [pop_for(i.name, uop, pair[0] if k < len(pair[0].parts) else pair[1], finding, rules)
                    for k, part in enumerate(parts) if part.uop is uop for i in reversed(movable)]
            out["macros"].append({
                "instruction": inst_name,
                "before": f"super-instruction of {pair[0].name} + {pair[1].name}",
                "after": f"unchanged: it follows {' and '.join(sorted({h.name for h in pair}))}",
                "pops": pops,
            })
            continue
        pops = [pop_for(i.name, uop, inst, finding, rules) for i in reversed(movable)]
        before = _macro_text(inst)
        after_parts = []
        for part in inst.parts:
            after_parts.append(uop.name if (uop.implicit and part.uop is uop) else part.text)
            if part.uop is uop:
                after_parts.extend(pops)
        out["macros"].append({
            "instruction": inst_name,
            "before": before,
            "after": f"macro({inst_name}) = {' + '.join(after_parts)};",
            "pops": pops,
        })
    if arrays:
        out["array_inputs"] = arrays
        out["design_decision"] = (
            f"array input(s) {', '.join(arrays)} cannot be popped one by one with a fixed "
            f"number of pop uops; decide between a pop uop taking oparg (like _POP_TOP_OPARG), "
            f"a non-releasing helper, or leaving the release where it is"
        )
    case = uop.optimizer_case
    if case is not None:
        case_in = [str(i) for i in case.inputs]
        case_out = [str(o) for o in case.outputs]
        case_names = [i.name for i in case.stack_inputs]
        extra = []
        assigns = []
        input_names = [x.name for x in uop.inputs]
        for i in movable:
            extra.append(f"{i.name}_out")
            if i.name not in input_names:
                assigns.append(f"{i.name}_out = sym_new_unknown(ctx);  /* old value of the slot */")
                continue
            idx = input_names.index(i.name)
            src_name = case_names[idx] if idx < len(case_names) else i.name
            if src_name == "unused":
                assigns.append(f"name the input {i.name} instead of unused, then {i.name}_out = {i.name};")
            else:
                assigns.append(f"{i.name}_out = {src_name};")
        out["optimizer_change"] = {
            "file": case.loc.file, "line": case.loc.line,
            "before": f"op({uop.name}, {effect_text(case_in, case_out)})",
            "after": f"op({uop.name}, {effect_text(case_in, case_out + extra)})",
            "assign": assigns,
        }
    pop_names = sorted({p for m in out["macros"] for p in m["pops"]}) or [rules.refcount.default_pop]
    example = finding.instructions[0] if finding.instructions else uop.name
    out["test"] = (
        f"In Lib/test/test_capi/test_opt.py, run a loop that executes {example} with operands "
        f"that are borrowed or immortal, get the executor's uops, and assert that "
        f"{' / '.join(pop_names)} became _POP_TOP_NOP (or disappeared) while {uop.name} is "
        f"still there; run the test suite with the JIT build (--enable-experimental-jit) too."
    )
    return out


def _macro_text(inst: Instruction) -> str:
    if inst.kind == "inst":
        return f"inst({inst.name}, ...) (no macro yet)"
    return f"macro({inst.name}) = {' + '.join(p.text for p in inst.parts)};"


def _body_change(finding: Finding, movable: list[StackItem]) -> list[str]:
    steps = []
    calls_seen: dict[str, list[str]] = {}
    for r in finding.released:
        calls_seen.setdefault(r.call, [])
        if r.name not in calls_seen[r.call]:
            calls_seen[r.call].append(r.name)
    for call, names in calls_seen.items():
        if call in finding.helpers:
            steps.append(f"call a variant of {call} that does not consume {', '.join(names)}")
        else:
            steps.append(f"remove {call}(...) of {', '.join(names)}")
    released_inputs = {r.name for r in finding.released if r.what == "input"}
    assigns = " ".join(f"{i.name}_out = {i.name};" for i in movable if i.name in released_inputs)
    if assigns:
        steps.append(f"at the end, hand the inputs on: {assigns} and mark them dead with INPUTS_DEAD() or DEAD()")
    slots = [i.name for i in movable if i.name not in released_inputs]
    if slots:
        steps.append("instead of releasing a frame slot's old value, hand it on as an output: "
                     + ", ".join(f"{n}_out" for n in slots) + " (one per release)")
    if any(r.conditional for r in finding.released):
        steps.append("the release happens on some paths only: make every path (errors included) "
                     "leave the inputs alive for the pops, e.g. with ERROR_IF before any release")
    return steps
