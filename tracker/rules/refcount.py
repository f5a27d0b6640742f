"""Refcount elimination (the gh-134584 pattern).

A tier-2 uop that releases one of its own stack inputs hides a decref, and its branch
to deallocation, from the JIT optimizer. The conversion returns the released inputs
as extra outputs and appends explicit pop uops to the instruction's macro, which the
optimizer can then drop when a reference is borrowed or immortal. The recipe itself
is in :mod:`.recipe`.
"""

from __future__ import annotations

import re

from ..model import Instruction, Model, Uop
from ..tasks import ReleasedInput
from .aliases import ArrayView, array_views
from .body import Call, borrowed_locals, call_names, calls_named
from .config import Rules
from .finding import Finding
from .inplace import replaced_in_place
from .pops import is_pop
from .tier2 import expansion, tier2_users


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
            aliases = _Aliases(uop)
            # the old value of an output written over in place is the shape of a
            # conversion (gh-148171), not a release to hand on
            replaced = {o.name for o in replaced_in_place(uop, rc.close_calls)}
            for call in calls_named(uop.body, relevant):
                if call.depth > 1 and _on_error_path(call, rules):
                    continue
                if call.name in rc.close_calls and call.arg_ident(0) in replaced:
                    continue
                _classify(call, names, ordered, borrowed, rules, finding, aliases)
                slot = call.arg_ident(0)
                if call.name in rc.close_calls and slot is not None and slot in slots:
                    finding.released.append(ReleasedInput(
                        slot, call.line, call.name, call.depth > 1, "overwritten"))
    if not finding.released:
        for inst_name in finding.instructions:
            pops = pops_after(model.instructions[inst_name], uop, rules, model)
            if pops and (_returns_inputs(uop) or _returns_slot(uop, rules)
                         or replaced_in_place(uop, rc.close_calls)):
                finding.converted_in.append(inst_name)
                finding.pops_seen = pops
                finding.pops_in[inst_name] = pops
    return finding


def _classify(call: Call, names: set[str], ordered: list[str], borrowed: dict[str, str],
              rules: Rules, finding: Finding, aliases: "_Aliases | None" = None) -> None:
    """Record what ``call`` releases. ``aliases`` knows the locals standing for array
    inputs: an element (``arg = args[0]``) or a pointer into one (``p = args``)."""
    rc = rules.refcount

    def release(name: str, what: str = "input") -> None:
        finding.released.append(ReleasedInput(name, call.line, call.name, call.depth > 1, what))

    def input_of(target: str | None) -> tuple[str, str] | None:
        if target in names:
            return target, "input"
        if aliases is None or target is None:
            return None
        if target in aliases.pointers():
            return aliases.pointers()[target], "input"
        if target in aliases.elements():
            return target, "element"
        return None

    if call.name in rc.release_all_calls:
        for n in ordered:
            release(n)
    elif call.name in rc.close_calls:
        found = input_of(call.arg_ident(0))
        if found:
            release(*found)
    elif call.name in rc.decref_calls:
        target = call.arg_ident(0)
        if target in borrowed and borrowed[target] in names:
            release(borrowed[target])
    elif call.name not in rc.transfer_calls and rc.consuming.search(call.name):
        hit = False
        for i in range(len(call.args)):
            found = input_of(call.arg_ident(i))
            if found:
                release(*found)
                hit = True
        if hit and call.name not in finding.helpers:
            finding.helpers.append(call.name)


class _Aliases:
    """Locals standing for array inputs, read from the body only when a release names
    something that is not an input (rare) and the uop has an array input."""

    def __init__(self, uop: Uop):
        self.uop = uop
        self._views: dict[str, ArrayView] | None = None if any(i.is_array for i in uop.inputs) else {}

    def _get(self):
        if self._views is None:
            self._views = array_views(self.uop)
        return self._views

    def elements(self) -> dict[str, str]:
        return {a: v.array for v in self._get().values() for a in v.elements}

    def pointers(self) -> dict[str, str]:
        return {p: v.array for v in self._get().values() for p in v.pointers}


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
    """Converted shape of the frame-slot pattern: an output takes the slot's old value
    (``old = GETLOCAL(oparg)``, or ``tmp = GETLOCAL(oparg); ... trash = tmp;``)."""
    reads = rules.refcount.slot_reads
    if not any(uop.body.uses(r) for r in reads):
        return False
    names = "|".join(re.escape(r) for r in sorted(reads))
    code = uop.body.code
    read = rf"(?:{names})\s*\("
    holders = [m.group(1) for m in re.finditer(rf"\b([A-Za-z_]\w*)\s*=\s*{read}", code)]
    source = read + "".join(rf"|{re.escape(h)}\s*;" for h in holders)
    return any(re.search(rf"\b{re.escape(o.name)}\s*=\s*(?:{source})", code) for o in uop.outputs)


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
    """The pop uops that directly follow ``uop`` in ``inst`` (cache entries skipped), after
    each place it runs.

    With ``model``, in what tier 2 runs for ``inst`` (a super-instruction's halves).
    """
    pops: list[str] = []
    after = False  # just past an occurrence of the uop (a super-instruction may have two)
    for part in (expansion(inst, model, rules) if model is not None else inst.parts):
        if part.uop is uop:
            after = True
            continue
        if not after or part.uop is None:
            continue
        if is_pop(part.text, model, rules) or is_pop(part.name, model, rules):
            pops.append(part.text)
        else:
            after = False
    return pops

