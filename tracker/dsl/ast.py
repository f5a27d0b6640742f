"""The DSL's syntax tree: frozen dataclasses that remember where they came from."""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass, field

from .cache import cached as cached_property
from .lexer import SourceFile, Token, mask_code

TYPE_CHECKING = False  # typing costs start-up time; it is only needed by type checkers
if TYPE_CHECKING:
    from typing import Any, Literal

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*+\s*+\(?+")


@dataclass(frozen=True, slots=True)
class StackItem:
    """A stack effect: ``name``, ``name: type``, ``name[size]`` or ``name if (cond)``."""

    name: str
    type: str | None = None
    size: str | None = None
    cond: str | None = None

    @property
    def is_array(self) -> bool:
        return self.size is not None

    @property
    def is_unused(self) -> bool:
        return self.name == "unused"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "size": self.size}
        if self.type is not None:
            out["type"] = self.type
        if self.cond is not None:
            out["cond"] = self.cond
        return out

    def __str__(self) -> str:
        text = self.name
        if self.type:
            text += f": {self.type}"
        if self.size is not None:
            text += f"[{self.size}]"
        if self.cond is not None:
            text += f" if ({self.cond})"
        return text


@dataclass(frozen=True, slots=True)
class CacheItem:
    """A cache entry ``name/N``: inline-cache words, not a stack item."""

    name: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "cache": self.size}

    def __str__(self) -> str:
        return f"{self.name}/{self.size}"


InputItem = StackItem | CacheItem


class Location(namedtuple("Location", "file line col end_line")):
    """Where a definition or name is (file, line, col, end_line): a tuple, as thousands
    are made per scan."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Body:
    """A C body ``{ ... }``: a span of its source file, tokenized on demand."""

    source: SourceFile = field(repr=False, compare=False)
    start: int  # offset of '{'
    end: int  # offset just past '}'

    @cached_property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    @cached_property
    def code(self) -> str:
        """The body with comments and literal contents blanked (same offsets)."""
        return mask_code(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        return self.source.tokens(self.start, self.end)

    def line_col(self, index: int) -> tuple[int, int]:
        """Line and column of an index into :attr:`text` / :attr:`code`."""
        return self.source.line_col(self.start + index)

    @cached_property
    def _words(self) -> list[str]:
        # identifiers, each with the blanks and '(' that follow it when it is called
        return _WORD.findall(self.code)

    @cached_property
    def identifiers(self) -> frozenset[str]:
        """Every identifier in the code (not in comments or strings)."""
        return frozenset([w.rstrip(" \t\r\n\f\v(") for w in self._words])

    @cached_property
    def called(self) -> tuple[str, ...]:
        """Names the code calls (``name(``), first occurrence first."""
        return tuple(dict.fromkeys([w[:-1].rstrip() for w in self._words if w[-1] == "("]))

    def uses(self, name: str) -> bool:
        """Whether identifier ``name`` occurs in the code (not in comments or strings)."""
        if name not in self.text:
            return False  # cheap: most questions are about names the body never mentions
        return name in self.identifiers


@dataclass(frozen=True)
class Node:
    name: str
    loc: Location

    kind = "?"

    def header_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "file": self.loc.file, "line": self.loc.line}


@dataclass(frozen=True)
class InstDef(Node):
    """``inst(NAME, (in -- out)) { ... }`` or ``op(...)``, with its annotations."""

    keyword: Literal["inst", "op"]
    annotations: tuple[str, ...]
    inputs: tuple[InputItem, ...]
    outputs: tuple[StackItem, ...]
    body: Body

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.keyword

    @cached_property
    def stack_inputs(self) -> tuple[StackItem, ...]:
        return tuple(i for i in self.inputs if isinstance(i, StackItem))

    @cached_property
    def caches(self) -> tuple[CacheItem, ...]:
        return tuple(i for i in self.inputs if isinstance(i, CacheItem))

    def to_json(self) -> dict[str, Any]:
        out = self.header_json()
        out["end_line"] = self.loc.end_line
        out["annotations"] = list(self.annotations)
        out["inputs"] = [i.to_json() for i in self.inputs]
        out["outputs"] = [o.to_json() for o in self.outputs]
        return out


@dataclass(frozen=True, slots=True)
class UopRef:
    """A uop named as a part of a macro, with where it is named."""

    name: str
    loc: Location

    def __str__(self) -> str:
        return self.name


MacroPart = UopRef | CacheItem


@dataclass(frozen=True)
class MacroDef(Node):
    """``macro(NAME) = part + part ... ;``"""

    parts: tuple[MacroPart, ...]
    keyword: Literal["macro", "super"] = "macro"  # 3.12 also has super(NAME) = A + B;

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.keyword

    @property
    def uop_names(self) -> list[str]:
        return [p.name for p in self.parts if isinstance(p, UopRef)]

    def to_json(self) -> dict[str, Any]:
        out = self.header_json()
        out["end_line"] = self.loc.end_line
        out["annotations"] = []
        out["parts"] = [str(p) for p in self.parts]
        return out


@dataclass(frozen=True)
class FamilyDef(Node):
    """``family(HEAD, SIZE) = { MEMBER, ... };`` (members exclude the head)."""

    size: str
    members: tuple[str, ...]
    member_locs: tuple[Location, ...] = field(compare=False, repr=False)
    kind = "family"

    def to_json(self) -> dict[str, Any]:
        out = self.header_json()
        out["end_line"] = self.loc.end_line
        out["annotations"] = []
        out["size"] = self.size
        out["members"] = list(self.members)
        return out


@dataclass(frozen=True)
class PseudoDef(Node):
    """``pseudo(NAME, (in -- out)[, (FLAGS)]) = { TARGET, ... };``"""

    inputs: tuple[InputItem, ...]
    outputs: tuple[StackItem, ...]
    flags: tuple[str, ...]
    targets: tuple[str, ...]
    as_sequence: bool
    target_locs: tuple[Location, ...] = field(compare=False, repr=False)
    kind = "pseudo"

    def to_json(self) -> dict[str, Any]:
        out = self.header_json()
        out["end_line"] = self.loc.end_line
        out["annotations"] = []
        out["inputs"] = [i.to_json() for i in self.inputs]
        out["outputs"] = [o.to_json() for o in self.outputs]
        out["flags"] = list(self.flags)
        out["targets"] = list(self.targets)
        if self.as_sequence:
            out["as_sequence"] = True
        return out


@dataclass(frozen=True)
class LabelDef(Node):
    """``label(NAME) { ... }`` or ``spilled label(NAME) { ... }``."""

    spilled: bool
    body: Body
    kind = "label"

    def to_json(self) -> dict[str, Any]:
        out = self.header_json()
        out["end_line"] = self.loc.end_line
        out["annotations"] = ["spilled"] if self.spilled else []
        return out


Definition = InstDef | MacroDef | FamilyDef | PseudoDef | LabelDef


@dataclass(frozen=True, slots=True)
class DSLWarning:
    """A definition that could not be understood and was skipped: where, why, and what.

    The rest of the file is read as usual; front ends print these on stderr as
    ``file:line:col: warning: message; skipped what``.
    """

    file: str
    line: int
    col: int
    message: str
    skipped: str  # what was left out, e.g. "op _FOO (lines 7-9)"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}; skipped {self.skipped}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "col": self.col,
                "message": self.message, "skipped": self.skipped}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DSLWarning":
        return cls(str(data["file"]), int(data["line"]), int(data["col"]),
                   str(data["message"]), str(data["skipped"]))


@dataclass(frozen=True)
class ParsedFile:
    """All definitions of one file, in file order, and the definitions skipped."""

    source: SourceFile = field(repr=False)
    definitions: tuple[Definition, ...]
    warnings: tuple[DSLWarning, ...] = ()

    @property
    def filename(self) -> str:
        return self.source.filename
