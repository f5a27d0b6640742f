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
            if of_kind or strict:
                return of_kind
        kinds = {self.tasks[t].kind for t in found}
        if len(kinds) > 1:  # the uop itself beats a task named after its instruction
            exact = [t for t in found if self.tasks[t].uop in (name, "_" + name.lstrip("_"))]
            found = exact if len({self.tasks[t].kind for t in exact}) == 1 else []
        return found

    def _candidates(self, name: str, family: bool) -> list[str]:
        bare = name.lstrip("_")
        if family:
            out = [tid for uop, ids in self.by_uop.items() if uop.lstrip("_").startswith(bare) for tid in ids]
            out += [tid for ins, ids in self.by_instruction.items() if ins.startswith(bare) for tid in ids]
            return sorted(set(out))
        # the uop as written, with or without "_" (split:IS has no uop, refcount:_IS has)
        out = [tid for uop in dict.fromkeys((name, "_" + bare, bare)) for tid in self.by_uop.get(uop, [])]
        return out or list(self.by_instruction.get(bare, []))

    def find(self, text: str, kind: str | None = None, vague_after: re.Pattern | None = None,
             vague_before: re.Pattern | None = None, family_after: re.Pattern | None = None,
             strict: bool = False) -> list[Found]:
        """Every name in ``text`` that resolves to tasks, in order; vague mentions left out."""
        out: list[Found] = []
        plain = text.replace("\\_", "_")
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
