"""Uop and instruction names in free text, resolved to task ids.

People write `_CALL_LEN`, CALL_LEN, ``_CALL_LEN``, or `_CONTAINS_{OP|OP_SET}`; a name
resolves to tasks of the campaign's kind first (the tracking issue's kind), then of any
kind when that is unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ..tasks import Task

# An upper-case identifier with an underscore (CALL_LEN, _CALL_LEN) or a leading
# underscore (_NOP); braces expand alternatives: _CONTAINS_{OP|OP_SET}.
NAME_RE = re.compile(r"(?<![\w{|])(_?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+|_?\{[A-Z0-9_|,]+\})*(?:_[A-Z0-9]+)*)(?![\w}])")
BRACE_RE = re.compile(r"\{([A-Z0-9_|,]+)\}")
TICKED_RE = re.compile(r"`+\s*([A-Za-z_][A-Za-z0-9_{}|,]*)\s*`+")


# Shorthands people title their work with, spelled out before names are looked for:
#   [_POP_TWO/_INSERT_2]_LOAD_CONST_INLINE_BORROW  -> the prefix alternatives, each joined to the rest
#   _LOAD_CONST_UNDER_INLINE(_BORROW)             -> with and without the part in parentheses
#   _POP_CALL(_ONE/_TWO)                           -> _POP_CALL, _POP_CALL_ONE, _POP_CALL_TWO
PREFIX_ALT_RE = re.compile(r"\[((?:_?[A-Z][A-Z0-9_]*)(?:\s*/\s*_?[A-Z][A-Z0-9_]*)+)\](_[A-Z][A-Z0-9_]*)")
OPTIONAL_RE = re.compile(r"(?<![\w{|])(_?[A-Z][A-Z0-9_]*[A-Z0-9])\(((?:_[A-Z0-9][A-Z0-9_]*)(?:\s*/\s*_[A-Z0-9][A-Z0-9_]*)*)\)")
# X stands for one or more name segments: _COMPARE_OP_X, X_INT
WILDCARD = "X"
MAX_WILDCARD = 8  # a wildcard matching more tasks than this says nothing about which


def spell_out(text: str) -> str:
    """Title shorthands replaced by the names they stand for, separated by spaces."""
    def alternatives(m: re.Match) -> str:
        return " ".join(a.strip() + m.group(2) for a in m.group(1).split("/"))

    def optional(m: re.Match) -> str:
        return " ".join([m.group(1)] + [m.group(1) + a.strip() for a in m.group(2).split("/")])
    if "[" in text:
        text = PREFIX_ALT_RE.sub(alternatives, text)
    if "(" in text:
        text = OPTIONAL_RE.sub(optional, text)
    return text


def expand(name: str) -> list[str]:
    """``_CONTAINS_{OP|OP_SET}`` -> ``_CONTAINS_OP``, ``_CONTAINS_OP_SET``."""
    m = BRACE_RE.search(name)
    if not m:
        return [name]
    out = []
    for alt in re.split(r"[|,]", m.group(1)):
        out += expand(name[:m.start()] + alt + name[m.end():])
    return out


@dataclass
class Found:
    """A name as written, where it ends in the sentence, and the tasks it stands for."""

    text: str
    start: int
    end: int
    tasks: list[str]


@dataclass
class NameIndex:
    """Task ids by uop name and by instruction name."""

    tasks: dict[str, Task] = field(default_factory=dict)
    by_uop: dict[str, list[str]] = field(default_factory=dict)
    by_instruction: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, tasks: Iterable[Task]) -> "NameIndex":
        index = cls()
        for t in tasks:
            index.tasks[t.id] = t
            subject = t.uop or t.subject
            index.by_uop.setdefault(subject, []).append(t.id)
            for name in t.instructions:
                index.by_instruction.setdefault(name, []).append(t.id)
        return index

    def resolve(self, name: str, kind: str | None = None, family: bool = False, strict: bool = False) -> list[str]:
        """Task ids ``name`` stands for: of ``kind`` when any, else (unless ``strict``) of one kind only."""
        found = self._candidates(name, family)
        if kind:
            of_kind = [t for t in found if self.tasks[t].kind == kind]
            if WILDCARD in name.lstrip("_").split("_"):
                return of_kind if len(of_kind) <= MAX_WILDCARD else []
            if of_kind or strict:
                return of_kind
        if WILDCARD in name.lstrip("_").split("_"):
            return []  # a wildcard only within the campaign's kind
        kinds = {self.tasks[t].kind for t in found}
        if len(kinds) > 1:  # the uop itself beats a task named after its instruction
            exact = [t for t in found if self.tasks[t].uop in (name, "_" + name.lstrip("_"))]
            found = exact if len({self.tasks[t].kind for t in exact}) == 1 else []
        return found

    def _candidates(self, name: str, family: bool) -> list[str]:
        bare = name.lstrip("_")
        parts = bare.split("_")
        if WILDCARD in parts and len(parts) > 1:  # _COMPARE_OP_X, X_INT
            return self._wildcard(parts)
        if family:
            out = [tid for uop, ids in self.by_uop.items() if uop.lstrip("_").startswith(bare) for tid in ids]
            out += [tid for ins, ids in self.by_instruction.items() if ins.startswith(bare) for tid in ids]
            return sorted(set(out))
        # the uop as written, with or without "_" (split:IS has no uop, refcount:_IS has)
        out = [tid for uop in dict.fromkeys((name, "_" + bare, bare)) for tid in self.by_uop.get(uop, [])]
        return out or list(self.by_instruction.get(bare, []))

    def _wildcard(self, parts: list[str]) -> list[str]:
        """X stands for one segment (none or one inside a name: _POP_CALL_X_LOAD_...). A
        leading X (X_INT) may follow any prefix: of the uops it fits, those sharing the most
        common prefix are meant (_BINARY_OP_{ADD,SUBTRACT,MULTIPLY}_INT), none on a tie."""
        text = "(?P<prefix>(?:_[A-Z0-9]+)*?)" if parts[0] == WILDCARD else ""
        for i, p in enumerate(parts):
            if p != WILDCARD:
                text += "_" + re.escape(p)
            elif 0 < i < len(parts) - 1:
                text += "(?:_[A-Z0-9]+)?"
            else:
                text += "_[A-Z0-9]+"
        pattern = re.compile(text)
        groups: dict[str, list[str]] = {}
        for uop, ids in self.by_uop.items():
            m = pattern.fullmatch("_" + uop.lstrip("_"))
            if m:
                groups.setdefault(m.groupdict().get("prefix") or "", []).extend(ids)
        if not groups:
            return []
        sizes = sorted((len(set(v)) for v in groups.values()), reverse=True)
        if len(sizes) > 1 and sizes[0] == sizes[1]:
            return []
        best = max(groups.values(), key=lambda v: len(set(v)))
        return sorted(set(best))

    def find(self, text: str, kind: str | None = None, vague_after: re.Pattern | None = None,
             vague_before: re.Pattern | None = None, family_after: re.Pattern | None = None,
             strict: bool = False) -> list[Found]:
        """Every name in ``text`` that resolves to tasks, in order; vague mentions left out."""
        out: list[Found] = []
        plain = spell_out((text or "").replace("\\_", "_"))
        for m in NAME_RE.finditer(plain):
            after, before = plain[m.end():], plain[:m.start()]
            if vague_after and vague_after.search(after):
                continue
            if vague_before and vague_before.search(before):
                continue
            family = bool(family_after and family_after.search(after))
            ids: list[str] = []
            for name in expand(m.group(1)):
                for tid in self.resolve(name, kind, family, strict):
                    if tid not in ids:
                        ids.append(tid)
            if ids:
                out.append(Found(m.group(1), m.start(), m.end(), ids))
        return out
