"""Locals that stand for stack inputs: elements and shifted views of array inputs.

``_PyStackRef arg = args[0]; ... PyStackRef_CLOSE(arg);`` releases an element of the
array input ``args`` through a local; ``_PyStackRef *arguments = args; arguments--;``
makes the array take in the input just below it (``self_or_null``) when that is not
NULL. CPython's conversions hand each such element on and pop it, and pop a whole
array (with the input it takes in) with one pop uop taking oparg.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Uop


@dataclass(frozen=True)
class ArrayView:
    """What a uop's body does with one array input."""

    array: str
    pointers: frozenset[str]  # locals pointing into it: `_PyStackRef *p = args;`
    elements: dict[str, int] = field(default_factory=dict)  # `x = args[0];` -> {'x': 0}
    takes_in: str | None = None  # the input below it, when the body shifts down onto it
    used_whole: bool = False  # passed or indexed as a whole (not only by constant index)


_POINTER = re.compile(r"\*\s*([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;")
_ELEMENT = re.compile(r"\b([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]\s*;")


def array_views(uop: Uop) -> dict[str, ArrayView]:
    """Views of the uop's array inputs, by array name (memoised on the uop)."""
    cached = uop.__dict__.get("_array_views")
    if cached is not None:
        return cached
    out: dict[str, ArrayView] = {}
    stack = [i for i in uop.inputs]
    code = uop.body.code
    for k, item in enumerate(stack):
        if not item.is_array or item.is_unused or not uop.body.uses(item.name):
            continue
        names = {item.name}
        for m in _POINTER.finditer(code):
            if m.group(2) in names:
                names.add(m.group(1))
        elements = {m.group(1): int(m.group(3)) for m in _ELEMENT.finditer(code)
                    if m.group(2) in names and m.group(1) not in names}
        alt = "|".join(re.escape(n) for n in sorted(names))
        shifted = re.search(rf"\b(?:{alt})\s*(?:--|-=\s*1\b)", code) is not None
        below = stack[k - 1] if k > 0 and not stack[k - 1].is_array else None
        out[item.name] = ArrayView(
            item.name, frozenset(names - {item.name}), elements,
            below.name if (shifted and below is not None and not below.is_unused) else None,
            _used_whole(code, alt),
        )
    uop.__dict__["_array_views"] = out
    return out


def _used_whole(code: str, alt: str) -> bool:
    """Whether the array is used other than by constant index, shift, alias or DEAD()."""
    for m in re.finditer(rf"\b(?:{alt})\b", code):
        before = code[: m.start()].rstrip()
        after = code[m.end():].lstrip()
        if re.match(r"\[\s*\d+\s*\]", after) or after.startswith(("--", "-=")):
            continue
        if after.startswith(";") and before.endswith("="):
            continue  # the right side of a pointer alias
        if after.startswith("=") and not after.startswith("=="):
            continue  # the alias being defined
        if after.startswith(")") and re.search(r"\bDEAD\s*\(\s*$", before):
            continue
        return True
    return False
