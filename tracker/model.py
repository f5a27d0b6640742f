"""The resolved model: instructions, uops, families, pseudos, labels and optimizer cases.

The parser gives definitions in file order; this layer links them the way CPython's
analyzer does: an ``inst`` is an instruction made of one implicit uop ``_NAME``, a
``macro`` is an instruction made of the uops it names (a bare instruction name in a
macro means that instruction's implicit uop, as in ``... + POP_TOP``), a ``family``
links specialised instructions to their head (the generators of 2022-2023 also took
an ``op`` as a member: one that super-instructions were built from), and
``optimizer_bytecodes.c`` supplies abstract cases keyed by uop name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dsl import (
    Body, CacheItem, DSLWarning, FamilyDef, InstDef, LabelDef, Location, MacroDef, ParsedFile,
    PseudoDef, StackItem, UopRef, parse_text,
)
from .sources import SourceSet


@dataclass(eq=False)
class Uop:
    """A micro-op: an ``op``, or the single uop an ``inst`` stands for."""

    name: str
    definition: InstDef
    implicit: bool  # True for the uop of an ``inst``
    instructions: list[str] = field(default_factory=list)  # instructions using it, in order
    optimizer_case: InstDef | None = None

    @property
    def annotations(self) -> tuple[str, ...]:
        return self.definition.annotations

    @property
    def inputs(self) -> tuple[StackItem, ...]:
        return self.definition.stack_inputs

    @property
    def outputs(self) -> tuple[StackItem, ...]:
        return self.definition.outputs

    @property
    def caches(self) -> tuple[CacheItem, ...]:
        return self.definition.caches

    @property
    def body(self) -> Body:
        return self.definition.body

    @property
    def loc(self) -> Location:
        return self.definition.loc


@dataclass(frozen=True)
class Part:
    """One step of an instruction: a uop, or cache words it skips (``unused/1``)."""

    text: str  # as written in the macro
    uop: Uop | None  # None for a cache entry
    cache: CacheItem | None = None

    @property
    def name(self) -> str:
        return self.uop.name if self.uop else self.text


@dataclass(eq=False)
class Instruction:
    name: str
    kind: str  # "inst" or "macro"
    definition: InstDef | MacroDef
    parts: list[Part]
    family: str | None = None  # the head's name, for the head and its members
    specialized: bool = False  # a member of a family (not its head)

    @property
    def uops(self) -> list[Uop]:
        return [p.uop for p in self.parts if p.uop is not None]

    @property
    def loc(self) -> Location:
        return self.definition.loc


@dataclass(frozen=True)
class Family:
    head: str
    size: str
    members: tuple[str, ...]
    loc: Location


@dataclass(frozen=True)
class Pseudo:
    name: str
    targets: tuple[str, ...]
    flags: tuple[str, ...]
    loc: Location


@dataclass(frozen=True)
class Label:
    name: str
    spilled: bool
    loc: Location
    body: Body


Definition = InstDef | MacroDef | FamilyDef | PseudoDef | LabelDef

# (family head, instruction) that CPython's analyzer adds to a family by name.
INPLACE_MEMBER = ("BINARY_OP", "BINARY_OP_INPLACE_ADD_UNICODE")


@dataclass(eq=False)
class Model:
    instructions: dict[str, Instruction]
    uops: dict[str, Uop]
    families: dict[str, Family]
    pseudos: dict[str, Pseudo]
    labels: dict[str, Label]
    optimizer_cases: dict[str, InstDef]
    files: list[ParsedFile]
    sources: SourceSet | None = None
    # definitions skipped, by the parser (not understood) or here (naming what is not there)
    warnings: list[DSLWarning] = field(default_factory=list)

    @property
    def definitions(self) -> list[Definition]:
        return [d for f in self.files for d in f.definitions]

    def uop(self, name: str) -> Uop | None:
        return self.uops.get(name)


def build(bytecodes: ParsedFile, optimizer: ParsedFile | None = None,
          sources: SourceSet | None = None) -> Model:
    """Resolve parsed files into a model.

    A definition that names what is not there (a uop missing from a macro, a family
    head that is no instruction) or repeats an op without ``override`` is left out
    with a warning, as is a family member or pseudo target that is no instruction (a
    pseudo left with no target goes too); the parser's warnings come first.
    """
    ops: dict[str, Uop] = {}
    inst_uops: dict[str, Uop] = {}
    instructions: dict[str, Instruction] = {}
    families: dict[str, Family] = {}
    pseudos: dict[str, Pseudo] = {}
    labels: dict[str, Label] = {}
    seen: dict[str, Location] = {}
    defs = bytecodes.definitions
    warnings: list[DSLWarning] = list(bytecodes.warnings)
    if optimizer is not None:
        warnings.extend(optimizer.warnings)

    def skip(loc: Location, message: str, what: str, d: Definition) -> None:
        lines = f"line {d.loc.line}" if d.loc.line == d.loc.end_line else \
            f"lines {d.loc.line}-{d.loc.end_line}"
        warnings.append(DSLWarning(loc.file, loc.line, loc.col, message, f"{what} ({lines})"))

    for d in defs:
        if isinstance(d, InstDef) and d.keyword == "op":
            if d.name in ops and "override" not in d.annotations:
                # CPython's analyzer refuses the file; only this op is lost here
                skip(d.loc, f"op {d.name!r} is defined twice (first at line {seen[d.name].line}) "
                     "and not marked 'override'", f"the later op {d.name}", d)
                continue
            seen.setdefault(d.name, d.loc)
            ops[d.name] = Uop(d.name, d, implicit=False)
        elif isinstance(d, InstDef):
            # CPython's analyzer lets a later inst (or macro) replace an earlier
            # instruction of the same name; only an op must say ``override``.
            uop = Uop("_" + d.name, d, implicit=True)
            inst_uops[d.name] = uop
            instructions[d.name] = Instruction(d.name, "inst", d, _inst_parts(d, uop))
        elif isinstance(d, LabelDef):
            labels[d.name] = Label(d.name, d.spilled, d.loc, d.body)

    for d in defs:
        if isinstance(d, MacroDef):
            parts = []
            for p in d.parts:
                if isinstance(p, CacheItem):
                    parts.append(Part(str(p), None, p))
                elif p.name == "flush":
                    parts.append(Part("flush", None))
                else:
                    found = ops.get(p.name) or inst_uops.get(p.name)
                    if found is None:
                        skip(p.loc, f"unknown uop {p.name!r} in {d.kind} {d.name}",
                             f"{d.kind} {d.name}", d)
                        break
                    parts.append(Part(p.name, found))
            else:
                instructions[d.name] = Instruction(d.name, "macro", d, parts)

    # a later family of the same (written) name replaces the earlier, as the analyzers'
    # dicts by name do (3.12 has two family(for_iter, ...), the first one SEND's)
    last_family = {d.name: d for d in defs if isinstance(d, FamilyDef)}
    for d in defs:
        if isinstance(d, FamilyDef) and last_family[d.name] is not d:
            continue
        if isinstance(d, FamilyDef):
            head_name, members, member_locs = d.name, d.members, d.member_locs
            if head_name not in instructions and members and members[0] in instructions:
                # 3.12: family(lower_case_name, SIZE) = { HEAD, MEMBER, ... };
                head_name, members, member_locs = members[0], members[1:], member_locs[1:]
            head = instructions.get(head_name)
            if head is None:
                skip(d.loc, f"family head {d.name!r} is not an instruction", f"family {d.name}", d)
                continue
            head.family = head_name
            kept = []
            for member, loc in zip(members, member_locs):
                inst = instructions.get(member)
                if inst is None:
                    if member in ops:  # 2022-2023: an op that super-instructions are built from
                        kept.append(member)
                        continue
                    warnings.append(DSLWarning(
                        loc.file, loc.line, loc.col,
                        f"unknown instruction {member!r} in family {d.name}",
                        f"member {member} of family {d.name}"))
                    continue
                kept.append(member)
                inst.family = head_name
                inst.specialized = True
            families[head_name] = Family(head_name, d.size, tuple(kept), d.loc)
        elif isinstance(d, PseudoDef):
            targets = []
            for target, loc in zip(d.targets, d.target_locs):
                if target in instructions:
                    targets.append(target)
                else:
                    warnings.append(DSLWarning(
                        loc.file, loc.line, loc.col,
                        f"unknown instruction {target!r} in pseudo {d.name}",
                        f"target {target} of pseudo {d.name}"))
            if targets:
                pseudos[d.name] = Pseudo(d.name, tuple(targets), d.flags, d.loc)

    # CPython's analyzer makes BINARY_OP_INPLACE_ADD_UNICODE a member of BINARY_OP's
    # family although the family definition does not list it (its size differs).
    extra = instructions.get(INPLACE_MEMBER[1])
    if extra is not None and INPLACE_MEMBER[0] in families and extra.family is None:
        fam = families[INPLACE_MEMBER[0]]
        families[fam.head] = Family(fam.head, fam.size, fam.members + (extra.name,), fam.loc)
        extra.family = fam.head
        extra.specialized = True

    uops: dict[str, Uop] = {}
    for u in list(ops.values()) + list(inst_uops.values()):
        uops.setdefault(u.name, u)
    for inst in instructions.values():
        for u in inst.uops:
            if inst.name not in u.instructions:
                u.instructions.append(inst.name)

    cases: dict[str, InstDef] = {}
    if optimizer is not None:
        for d in optimizer.definitions:
            if isinstance(d, InstDef):
                cases[d.name] = d
                if d.name in uops:
                    uops[d.name].optimizer_case = d

    files = [bytecodes] + ([optimizer] if optimizer is not None else [])
    return Model(instructions, uops, families, pseudos, labels, cases, files, sources, warnings)


def _inst_parts(d: InstDef, uop: Uop) -> list[Part]:
    """An inst's parts as CPython's analyzer sees them.

    Its ``unused/N`` cache entries are words the instruction skips, not inputs of its
    uop: each becomes a part of its own, in place, and the uop stands where its first
    real input is (or last, when there is none).
    """
    parts: list[Part] = []
    placed = False
    for item in d.inputs:
        if isinstance(item, CacheItem) and item.name == "unused":
            parts.append(Part(str(item), None, item))
        elif not placed:
            parts.append(Part(d.name, uop))
            placed = True
    if not placed:
        parts.append(Part(d.name, uop))
    return parts


def load(sources: SourceSet) -> Model:
    """Parse and resolve a source set."""
    bytecodes = parse_text(sources.bytecodes.text, sources.bytecodes.name)
    optimizer = (
        parse_text(sources.optimizer.text, sources.optimizer.name)
        if sources.optimizer is not None
        else None
    )
    return build(bytecodes, optimizer, sources)
