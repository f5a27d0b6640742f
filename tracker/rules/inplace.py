"""Outputs a uop writes over in place (the 2026 conversion shape of gh-148171).

A uop may list an input again as the output in the same stack position
(``(callable, self_or_null, args[oparg] -- callable, self_or_null, args[oparg])``) and
write its result over it, releasing the old value itself
(``tmp = callable; callable = <result>; PyStackRef_CLOSE(tmp);``). The other inputs stay
on the stack for the pops appended to the macro. Such an output is a new value: the
optimizer needs a case for it, and the refcount rule counts the uop as converted when
pops follow it.
"""

from __future__ import annotations

import re

from ..model import StackItem, Uop
from .body import calls_named


def in_place(uop: Uop) -> list[StackItem]:
    """Outputs that are the input in the same stack position (counted from the bottom)."""
    ins = uop.inputs
    return [o for k, o in enumerate(uop.outputs)
            if k < len(ins) and o.name == ins[k].name and o.name != "unused"]


def replaced_in_place(uop: Uop, close_calls) -> list[StackItem]:
    """In-place outputs the body assigns a new value to after releasing the old one
    (directly, or through a local that took the old value)."""
    out = []
    memo = uop.__dict__.setdefault("_replaced_in_place", {})
    key = tuple(sorted(close_calls))
    if key in memo:
        return memo[key]
    candidates = [o for o in in_place(uop) if not o.is_array]
    if candidates:
        code = uop.body.code
        closed = {c.arg_ident(0) for c in calls_named(uop.body, list(close_calls))}
        for o in candidates:
            name = re.escape(o.name)
            if not re.search(rf"(?<![\w.>]){name}\s*=(?!=)", code):
                continue  # never written: left in place
            holders = {o.name} | {m.group(1) for m in
                                  re.finditer(rf"\b([A-Za-z_]\w*)\s*=\s*{name}\s*;", code)}
            if holders & closed:
                out.append(o)
    memo[key] = out
    return out
