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
from .aliases import array_views
from .config import Rules
from .pops import defined, is_pop, proposal
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
            elements = _LazyElements(uop)
            for call in calls_named(uop.body, relevant):
                if call.depth > 1 and _on_error_path(call, rules):
                    continue
                _classify(call, names, ordered, borrowed, rules, finding, elements)
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
              rules: Rules, finding: Finding, elements: "_LazyElements | dict[str, str] | None" = None) -> None:
    """Record what ``call`` releases; ``elements`` maps locals holding an element of an
    array input (``arg = args[0]``) to that array."""
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
        elif elements and target in elements:
            finding.released.append(ReleasedInput(target, call.line, call.name, call.depth > 1, "element"))
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


class _LazyElements:
    """Locals holding an element of an array input -> the array; read only when a close
    names something that is not an input (rare), as it scans the body."""

    def __init__(self, uop: Uop):
        self.uop = uop
        self.map: dict[str, str] | None = None

    def _get(self) -> dict[str, str]:
        if self.map is None:
            self.map = {a: v.array for v in array_views(self.uop).values() for a in v.elements}
        return self.map

    def __contains__(self, name: object) -> bool:
        return any(i.is_array for i in self.uop.inputs) and name in self._get()

    def __bool__(self) -> bool:
        return True


def _on_error_path(call: Call, rules: Rules) -> bool:
    """Whether the release is only on the way out: its block then leaves by an error exit."""
    exits = rules.refcount.error_exits
    return bool(exits) and any(s in exits for s in call.statements_after())


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
        if is_pop(part.text, model, rules) or is_pop(part.name, model, rules):
            pops.append(part.text)
        else:
            break
    return pops


def pop_for(inp: str, uop: Uop, inst: Instruction | None, finding: Finding, rules: Rules,
            model: Model | None = None) -> str:
    """The pop that fits input ``inp``, as the tree names it (see :mod:`.pops`)."""
    return proposal(_pop_kind_for(inp, uop, inst, rules), model, rules)


def _pop_kind_for(inp: str, uop: Uop, inst: Instruction | None, rules: Rules) -> str:
    """From the type guards before the uop, the type checks it exits on, or its dealloc."""
    rc = rules.refcount
    stack = [i.name for i in uop.inputs]
    by_name = {i.name: i for i in uop.inputs}
    if inp in by_name and by_name[inp].is_array:
        return rc.array_pop
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
    checked = _exit_checks(uop, rules).get(inp)
    return checked or rc.default_pop


def _exit_checks(uop: Uop, rules: Rules) -> dict[str, str]:
    """Inputs the uop exits on unless they have an exact type: input -> that type's pop.

    ``EXIT_IF(!PyLong_CheckExact(value_o))`` at the top level of the body, on the input
    or on the object borrowed from it, leaves only ints past that point.
    """
    rc = rules.refcount
    checks = [n for n in call_names(uop.body) if n in rc.type_checks]
    if not checks:
        return {}
    names = {i.name for i in uop.inputs}
    borrowed = borrowed_locals(uop.body, rc.borrow_re)
    out: dict[str, str] = {}
    for call in calls_named(uop.body, checks):
        if call.depth != 1:
            continue
        before = uop.body.code[: call._at].rstrip()
        if not re.search(r"\b(?:EXIT_IF|DEOPT_IF)\s*\(\s*!$", before):
            continue
        arg = call.args[0] if call.args else ""
        target = call.arg_ident(0)
        m = re.match(r"\s*(?:\w+)\s*\(\s*([A-Za-z_]\w*)\s*\)\s*$", arg)  # a borrow of an input
        if m and m.group(1) in names:
            target = m.group(1)
        target = borrowed.get(target or "", target)
        if target in names:
            out.setdefault(target, rc.type_checks[call.name])
    return out


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
    movable = _movable(finding)
    arrays = [i.name for i in movable if i.is_array]
    for r in finding.released:  # old values of overwritten frame slots, once per release
        if r.what == "overwritten":
            movable.append(StackItem(r.name if r.name not in [m.name for m in movable]
                                     else f"{r.name}{len(movable) + 1}"))
    all_inputs = [str(i) for i in uop.definition.inputs]
    outputs = [str(o) for o in uop.outputs]
    new_outputs = outputs + [f"{i.name}_out" + (f"[{i.size}]" if i.is_array else "") for i in movable]
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
            pops = [pop_for(i.name, uop, pair[0] if k < len(pair[0].parts) else pair[1], finding, rules, model)
                    for k, part in enumerate(parts) if part.uop is uop for i in reversed(movable)]
            out["macros"].append({
                "instruction": inst_name,
                "before": f"super-instruction of {pair[0].name} + {pair[1].name}",
                "after": f"unchanged: it follows {' and '.join(sorted({h.name for h in pair}))}",
                "pops": pops,
            })
            continue
        pops = [pop_for(i.name, uop, inst, finding, rules, model) for i in reversed(movable)]
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
        array_pop = proposal(rules.refcount.array_pop, model, rules)
        taken = [v.takes_in for v in array_views(uop).values() if v.takes_in and v.array in arrays]
        whole = f" together with {', '.join(taken)} below it (the body shifts onto it)" if taken else ""
        if defined(array_pop, model, rules):
            out["design_decision"] = (
                f"pop array input(s) {', '.join(arrays)}{whole} with {array_pop}, the pop "
                f"uop taking oparg that this tree defines")
        else:
            out["design_decision"] = (
                f"array input(s) {', '.join(arrays)}{whole} need a pop uop taking oparg, which "
                f"this tree does not define yet: add {array_pop} (args[oparg] --), releasing each "
                f"element, then append it")
            out["new_pop_uop"] = array_pop
    case = uop.optimizer_case
    if case is not None:
        case_in = [str(i) for i in case.inputs]
        case_out = [str(o) for o in case.outputs]
        case_names = [i.name for i in case.stack_inputs]
        extra = []
        assigns = []
        input_names = [x.name for x in uop.inputs]
        elements = {a for v in array_views(uop).values() for a in v.elements}
        for i in movable:
            extra.append(f"{i.name}_out")
            if i.name not in input_names:
                what = "an element of an array input" if i.name in elements else "old value of the slot"
                assigns.append(f"{i.name}_out = sym_new_unknown(ctx);  /* {what} */")
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


def _movable(finding: Finding) -> list[StackItem]:
    """The released inputs to hand on as outputs, in stack order (bottom first).

    An array input is handed on whole (one array pop), with the input below it when the
    body shifts onto it; when the body only reads constant elements of it through
    locals (``arg = args[0]``), those elements are handed on one by one instead.
    """
    uop = finding.uop
    released = {r.name for r in finding.released if r.what in ("input", "element")}
    views = array_views(uop)
    taken_in = {v.takes_in for v in views.values() if v.takes_in}
    items: list[StackItem] = []
    for inp in uop.inputs:
        if inp.is_unused or inp.name in taken_in:
            continue
        if not inp.is_array:
            if inp.name in released:
                items.append(inp)
            continue
        view = views.get(inp.name)
        whole = inp.name in released or (view is not None and view.takes_in in released)
        elements = sorted(view.elements, key=view.elements.__getitem__) if view else []
        if whole and elements and not view.used_whole:  # type: ignore[union-attr]
            items.extend(StackItem(e) for e in elements)
        elif any(e in released for e in elements):
            items.extend(StackItem(e) for e in elements if e in released)
        elif whole:
            items.append(inp)
    return items


def array_elements(uop: Uop) -> set[str]:
    return {a for v in array_views(uop).values() for a in v.elements}


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
    released_inputs |= {i.name for i in movable if i.name in array_elements(finding.uop)}
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
