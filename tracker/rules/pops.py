"""The pop uops of a tree, derived from their definitions, and the pop to propose.

A pop uop takes stack inputs, has no outputs and no cache entries, and does nothing
but release (or mark dead) its inputs. Its kind is read from its body: a specialised
close names the type's deallocator (``_POP_TOP_INT``), an array input makes it the
array pop (``_POP_TOP_OPARG``). Recipes propose the tree's own pop of a kind when it
has one, else the name from ``rules.yaml`` (and say that it must be added).
"""

from __future__ import annotations

import re

from ..model import Model, Uop
from .body import call_names, calls_named
from .config import Rules

_CALLED = re.compile(r"([A-Za-z_]\w*)\s*\(")
_HARMLESS = frozenset({"DEAD", "INPUTS_DEAD", "assert", "static_assert"})


def tree_pops(model: Model, rules: Rules) -> dict[str, str | None]:
    """Name as used in a macro (op name, or inst name) -> the rules' name of its kind."""
    memo = model.__dict__.get("_tree_pops")
    if memo is None:
        memo = model.__dict__["_tree_pops"] = {}
    key = id(rules)
    if key not in memo:
        out: dict[str, str | None] = {}
        for uop in model.uops.values():
            if uop.definition.outputs or not uop.definition.inputs:
                continue  # the common case, decided before any look at the body
            kind = _pop_kind(uop, rules)
            if kind is not False:  # by the name a macro uses: an inst's own name
                out[uop.definition.name if uop.implicit else uop.name] = kind  # type: ignore[assignment]
        memo[key] = out
    return memo[key]


def is_pop(name: str, model: Model | None, rules: Rules) -> bool:
    return name in rules.refcount.pop_uops or (model is not None and name in tree_pops(model, rules))


def proposal(kind: str, model: Model | None, rules: Rules) -> str:
    """The tree's pop of the kind ``kind`` (a rules name), or ``kind`` itself."""
    if model is None:
        return kind
    pops = tree_pops(model, rules)
    if kind in pops or kind == rules.refcount.default_pop:
        return kind  # a plain pop has many look-alikes (END_FOR): only its own name counts
    for name, k in pops.items():
        if k == kind:
            return name
    return kind


def defined(name: str, model: Model | None, rules: Rules) -> bool:
    return model is not None and name in tree_pops(model, rules)


def _asserted(uop: Uop) -> set[str]:
    """Names called only to be checked: inside ``assert(...)`` (compiled out of releases)."""
    out: set[str] = set()
    for call in calls_named(uop.body, ["assert"]):
        for arg in call.args:
            out.update(_CALLED.findall(arg))
    return out


def _pop_kind(uop: Uop, rules: Rules) -> str | None | bool:
    """False for a uop that is no pop; else the rules' name of its kind (None: no kind)."""
    rc = rules.refcount
    inputs = uop.inputs
    if not inputs or uop.outputs or any(c.name != "unused" for c in uop.caches):
        return False
    if any(i.is_unused for i in inputs):
        return False
    releases = rc.close_calls | rc.release_all_calls
    called = call_names(uop.body)
    harmless = _HARMLESS | rc.borrow_calls | rc.type_checks.keys()
    others = [n for n in called if n not in releases and n not in harmless]
    if others and not set(others) <= _asserted(uop):
        return False
    if not any(n in releases or n in ("DEAD", "INPUTS_DEAD") for n in called):
        return False
    if len(inputs) == 1 and inputs[0].is_array:
        return rc.array_pop
    if len(inputs) > 1:
        return None
    special = "PyStackRef_CLOSE_SPECIALIZED"
    if special in called:
        for call in calls_named(uop.body, [special]):
            dealloc = call.arg_ident(1)
            if dealloc in rc.specialized_deallocs:
                return rc.specialized_deallocs[dealloc]
    for name in called:
        if name in rc.type_checks:
            return rc.type_checks[name]
    return rc.default_pop if any(n in releases for n in called) else None
