"""Which uops and instructions tier 2 can run, and why not.

Mirrors the conditions under which CPython's generator leaves an instruction out of
``_PyOpcode_macro_expansion``; the conditions themselves are data (``rules.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Instruction, Model, Part, Uop
from .config import Rules


@dataclass(frozen=True)
class Viability:
    ok: bool
    reason: str | None = None
    uop: str | None = None  # the uop that makes it so


def uop_tier1_reason(uop: Uop, rules: Rules) -> str | None:
    """Why ``uop`` cannot run in tier 2, or None when it can (computed once per uop)."""
    memo = uop.__dict__.setdefault("_tier1_reason", {})
    key = id(rules)
    if key not in memo:
        memo[key] = _tier1_reason(uop, rules)
    return memo[key]


def _tier1_reason(uop: Uop, rules: Rules) -> str | None:
    t2 = rules.tier2
    name = uop.name
    if name in t2.always_viable:
        return None
    for anno in uop.annotations:
        if anno in t2.tier1_annotations:
            return f"is annotated '{anno}' (tier 1 only)"
    for needle, why in t2.name_contains.items():
        if needle in name:
            return why
    bare = name[1:] if uop.implicit else name
    if bare in t2.names or name in t2.names:
        return t2.names.get(bare) or t2.names[name]
    if "replaced" in uop.annotations:
        return "is replaced"
    for ident, why in t2.identifiers.items():
        if uop.body.uses(ident):
            return why
    caches = [c for c in uop.caches if c.name != "unused"]
    if len(caches) > t2.max_cache_entries:
        return f"has too many cache entries ({len(caches)} > {t2.max_cache_entries})"
    # the rarer kind first: most bodies never exit without popping
    without_pop = any(uop.body.uses(n) for n in t2.error_without_pop)
    if without_pop and any(uop.body.uses(n) for n in t2.error_with_pop):
        return "has both popping and non-popping error exits"
    return None


def is_superinstruction(inst: Instruction, rules: Rules) -> bool:
    uops = inst.uops
    return (
        len(inst.parts) == 1 and len(uops) == 1
        and uops[0].body.uses(rules.tier2.superinstruction_marker)
    )


def halves(inst: Instruction, model: Model, rules: Rules) -> tuple[Instruction, Instruction] | None:
    """The two instructions a super-instruction is made of, found from its name.

    CPython's generator splits the name into two halves of as many words each
    (``A_B_C_D`` is ``A_B`` + ``C_D``) and expands the super-instruction into the
    parts of both; tier 2 never runs the super-instruction's own body. Other split
    points are tried when the even split names no instructions.
    """
    if not is_superinstruction(inst, rules):
        return None
    words = inst.name.split("_")
    middle = len(words) / 2
    for cut in sorted(range(1, len(words)), key=lambda c: abs(c - middle)):
        first, second = "_".join(words[:cut]), "_".join(words[cut:])
        a, b = model.instructions.get(first), model.instructions.get(second)
        if a is not None and b is not None and a is not inst and b is not inst:
            return a, b
    return None


def expansion(inst: Instruction, model: Model, rules: Rules) -> list[Part]:
    """The parts tier 2 runs for ``inst``: a super-instruction's halves, else its own."""
    memo = inst.__dict__.setdefault("_expansion", {})
    key = id(rules)
    if key not in memo:
        pair = halves(inst, model, rules)
        memo[key] = (list(inst.parts) if pair is None
                     else [p for half in pair for p in half.parts])
    return memo[key]


def tier2_users(model: Model, rules: Rules) -> dict[str, list[str]]:
    """Uop name -> the tier-2 instructions whose expansion runs it."""
    memo = model.__dict__.setdefault("_tier2_users", {})
    key = id(rules)
    if key not in memo:
        users: dict[str, list[str]] = {}
        viable = [i for i in model.instructions.values() if instruction_viability(i, rules).ok]
        # an instruction made of the uop first, the super-instructions it is a half of after
        for inst in sorted(viable, key=lambda i: halves(i, model, rules) is not None):
            for part in expansion(inst, model, rules):
                if part.uop is not None:
                    names = users.setdefault(part.uop.name, [])
                    if inst.name not in names:
                        names.append(inst.name)
        memo[key] = users
    return memo[key]


def instruction_viability(inst: Instruction, rules: Rules) -> Viability:
    """Whether tier 2 can run ``inst`` (computed once per instruction)."""
    memo = inst.__dict__.setdefault("_viability", {})
    key = id(rules)
    if key not in memo:
        memo[key] = _viability(inst, rules)
    return memo[key]


def _viability(inst: Instruction, rules: Rules) -> Viability:
    if is_superinstruction(inst, rules):
        return Viability(True, None)  # its halves are what tier 2 runs
    for uop in inst.uops:
        if any(a in rules.tier2.skip_annotations for a in uop.annotations):
            continue
        reason = uop_tier1_reason(uop, rules)
        if reason:
            where = "" if uop.implicit else f"its uop {uop.name} "
            return Viability(False, f"{where}{reason}", uop.name)
    return Viability(True, None)


def by_design(name: str, rules: Rules) -> str | None:
    for pattern, why in rules.curated.by_design:
        if pattern.search(name):
            return why
    return None


def instruction_facts(model: Model, rules: Rules) -> list[dict]:
    """Every instruction with its uops, family and tier-2 status (for `instructions`)."""
    out = []
    for inst in model.instructions.values():
        v = instruction_viability(inst, rules)
        fact = {
            "name": inst.name,
            "kind": inst.kind,
            "uops": [p.name for p in inst.parts if p.uop is not None],
            "family": inst.family,
            "specialized": inst.specialized,
            "tier2": v.ok,
            "reason": v.reason,
            "by_design": None if v.ok else by_design(inst.name, rules),
            "file": inst.loc.file,
            "line": inst.loc.line,
        }
        out.append(fact)
    return out


def tier2_uops(model: Model, rules: Rules) -> dict[str, Uop]:
    """Uops tier 2 can run: viable themselves, and run by a tier-2 instruction (or by none,
    like a tier-2-only op). A super-instruction's own uop is never run: its halves are."""
    out = {}
    users = tier2_users(model, rules)
    for uop in model.uops.values():
        if uop_tier1_reason(uop, rules):
            continue
        if any(a in rules.tier2.skip_annotations for a in uop.annotations):
            continue
        if uop.instructions and uop.name not in users:
            continue
        out[uop.name] = uop
    return out
