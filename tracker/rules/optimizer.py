"""Uops the JIT optimizer knows nothing about: no abstract case in optimizer_bytecodes.c.

Without a case the optimizer treats every output as an unknown object, so guards
after the uop cannot be removed and constants cannot be propagated through it.
"""

from __future__ import annotations

import re

from ..model import Model, Uop
from .config import Rules
from .inplace import replaced_in_place

_CONSTANTS = {
    "PyStackRef_True": "True", "PyStackRef_False": "False", "PyStackRef_None": "None",
}


def new_outputs(uop: Uop, rules: Rules | None = None) -> list:
    """Outputs the uop produces: not inputs it only leaves in place, but those it writes
    a new value over in place (the optimizer would keep believing the old one)."""
    names = [i.name for i in uop.inputs]
    replaced = ({id(o) for o in replaced_in_place(uop, rules.refcount.close_calls)}
                if rules is not None else set())
    return [o for o in uop.outputs if o.name != "unused" and (o.name not in names or id(o) in replaced)]


def knowledge(uop: Uop, model: Model, rules: Rules) -> list[str]:
    """What is known of the uop's inputs and outputs, for the recipe."""
    known = []
    if "pure" in uop.annotations:
        known.append("annotated 'pure': with constant inputs the optimizer may fold it to a constant")
    for inst_name in uop.instructions:
        inst = model.instructions[inst_name]
        for part in inst.parts:
            if part.uop is uop:
                break
            guard = rules.refcount.guards.get(part.name) or rules.refcount.guards.get(part.text)
            if guard:
                known.append(f"in {inst_name}, {part.text} before it guarantees the type of its "
                             f"{'/'.join(guard.positions)} input")
    idents = uop.body.identifiers
    for ref, value in _CONSTANTS.items():
        if ref in idents:
            known.append(f"an output can be the constant {value}")
    if ({"PyStackRef_True", "PyStackRef_False"} & idents) and "PyStackRef_None" not in idents:
        known.append("the result is a bool: sym_new_type(ctx, &PyBool_Type)")
    seen = []
    for k in known:
        if k not in seen:
            seen.append(k)
    return seen


def case_skeleton(uop: Uop, rules: Rules | None = None) -> str:
    ins = ", ".join(str(i) for i in uop.definition.inputs)
    outs = ", ".join(str(o) for o in uop.outputs)
    lines = [f"op({uop.name}, ({ins} -- {outs})) {{"]
    for o in new_outputs(uop, rules):
        if o.is_array:
            lines.append(f"    for (int i = 0; i < {o.size}; i++) {{ {o.name}[i] = sym_new_not_null(ctx); }}")
        else:
            lines.append(f"    {o.name} = sym_new_not_null(ctx);  /* or a type/constant the inputs imply */")
    lines.append("}")
    return "\n".join(lines)
