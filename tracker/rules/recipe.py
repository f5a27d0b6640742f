"""The recipe of a refcount task: the new stack effect, the pops to append to each
instruction (the tree's own pops when it has them), the optimizer-case change, a test.

CPython's conversions hand each released input on as an output and pop it: a plain
input with the pop that fits its type (from the guards before the uop, the exact-type
exits in its own body, or its specialised close), an element read through a local
(``arg = args[0]``) with a plain pop, and a whole array input with the array pop.
"""

from __future__ import annotations

import re

from ..dsl import StackItem
from ..model import Instruction, Model, Uop
from .aliases import array_views
from .body import borrowed_locals, call_names, calls_named
from .config import Rules
from .pops import defined, proposal
from .finding import Finding
from .tier2 import expansion, halves


def pop_for(inp: str, uop: Uop, inst: Instruction | None, finding: Finding, rules: Rules,
            model: Model | None = None) -> str:
    """The pop that fits input ``inp``, as the tree names it (see :mod:`.pops`)."""
    return proposal(_pop_kind_for(inp, uop, inst, rules), model, rules)


def _pop_kind_for(inp: str, uop: Uop, inst: Instruction | None, rules: Rules) -> str:
    """From the type guards before the uop (named in rules.yaml, or read from their exits),
    its specialised close, or the exact-type checks it exits on itself."""
    rc = rules.refcount
    stack = [i.name for i in uop.inputs]
    by_name = {i.name: i for i in uop.inputs}
    if inp in by_name and by_name[inp].is_array:
        return rc.array_pop
    depth = len(stack) - 1 - stack.index(inp) if inp in stack else None  # 0: top of stack
    position = {0: "tos", 1: "nos", 2: "third"}.get(depth) if depth is not None else None
    if inst is not None and depth is not None:
        for part in inst.parts:
            if part.uop is uop:
                break
            guard = rc.guards.get(part.name) or rc.guards.get(part.text)
            if guard and position in guard.positions:
                return guard.pop
            if part.uop is not None and depth in _guarded(part.uop, rules):
                return _guarded(part.uop, rules)[depth]
    special = "PyStackRef_CLOSE_SPECIALIZED"
    specialized = calls_named(uop.body, [special]) if special in call_names(uop.body) else []
    for call in specialized:
        if call.arg_ident(0) == inp:
            dealloc = call.arg_ident(1)
            if dealloc in rc.specialized_deallocs:
                return rc.specialized_deallocs[dealloc]
    checked = _exit_checks(uop, rules).get(inp)
    return checked or rc.default_pop


def _guarded(uop: Uop, rules: Rules) -> dict[int, str]:
    """For a guard (a uop that leaves the stack as it is, ``(left, unused -- left, unused)``):
    depth from the top of stack -> the pop of the exact type it exits unless it has."""
    memo = uop.__dict__.setdefault("_guarded", {})
    if id(rules) not in memo:
        ins, outs = [i.name for i in uop.inputs], [o.name for o in uop.outputs]
        checks = _exit_checks(uop, rules) if ins and ins == outs else {}
        memo[id(rules)] = {len(ins) - 1 - ins.index(name): pop for name, pop in checks.items()}
    return memo[id(rules)]


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
        size = _array_pop_size(array_pop, model)
        odd = [f"{i.name}[{i.size}]" for i in movable if i.is_array and i.size != size]
        if odd:
            out["design_decision"] += (
                f"; but {', '.join(odd)} {'is' if len(odd) == 1 else 'are'} not sized {size}, "
                f"which {array_pop} pops: decide how to pop {'it' if len(odd) == 1 else 'them'} "
                f"(another pop uop, or leave the release where it is)")
            out["array_size_mismatch"] = odd
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


def _array_pop_size(name: str, model: Model | None) -> str:
    """How many items the array pop takes: its input's size in the tree, else oparg."""
    uop = model.uops.get(name) if model is not None else None
    if uop is not None and len(uop.inputs) == 1 and uop.inputs[0].is_array:
        return uop.inputs[0].size or "oparg"
    return "oparg"


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
