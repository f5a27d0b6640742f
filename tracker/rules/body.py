"""Reading C bodies: calls with their arguments, nesting depth, borrowed locals.

Works on the masked code of a body (comments and literals blanked), so a call named
in a comment or a string never counts.
"""

from __future__ import annotations

import re

from ..dsl import Body

_LEADING_IDENT = re.compile(r"\s*(?:\(\s*[A-Za-z_]\w*\s*\**\s*\)\s*)?[&*]?\s*([A-Za-z_]\w*)")
_CONTROL = frozenset({"if", "while", "for", "switch", "return", "sizeof"})


class Call:
    """A call in a body; its arguments and position are worked out only when asked."""

    __slots__ = ("name", "_body", "_at", "_args")

    def __init__(self, name: str, body: Body, at: int):
        self.name = name
        self._body = body
        self._at = at  # index of the name in the body's code
        self._args: tuple[str, ...] | None = None

    @property
    def args(self) -> tuple[str, ...]:
        if self._args is None:
            code = self._body.code
            self._args = _split_args(code, code.index("(", self._at) + 1)
        return self._args

    @property
    def depth(self) -> int:
        """Brace depth inside the body: 1 at the body's top level."""
        code = self._body.code
        return code.count("{", 0, self._at) - code.count("}", 0, self._at)

    @property
    def line(self) -> int:
        return self._body.line_col(self._at)[0]

    @property
    def col(self) -> int:
        return self._body.line_col(self._at)[1]

    def statements_after(self) -> list[str]:
        """The statements after this call's own, to the end of its block (blanks removed),
        skipping nested blocks: what always runs next on the call's path."""
        code = self._body.code
        i = code.find(";", self._at)
        out: list[str] = []
        if i < 0:
            return out
        depth = 0
        start = i + 1
        for j in range(start, len(code)):
            c = code[j]
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    break
                depth -= 1
                if depth == 0:
                    start = j + 1
            elif c == ";" and depth == 0:
                out.append("".join(code[start:j].split()))
                start = j + 1
        return out

    def arg_ident(self, index: int) -> str | None:
        """The variable an argument is about: ``x`` for ``x``, ``values[i]``, ``(T*)x``."""
        args = self.args
        if index >= len(args):
            return None
        m = _LEADING_IDENT.match(args[index])
        return m.group(1) if m else None


def call_names(body: Body) -> list[str]:
    """Names of the functions and macros the body calls, first occurrence first."""
    cached = body.__dict__.get("_call_names")
    if cached is None:
        cached = body.__dict__["_call_names"] = [n for n in body.called if n not in _CONTROL]
    return cached


def calls_named(body: Body, names: list[str]) -> list[Call]:
    """The calls of the given names only, in order.

    Found with plain substring search: far cheaper than a regex alternation, which
    would be tried at every position of the body.
    """
    code = body.code
    n = len(code)
    out = []
    for name in names:
        start = 0
        while True:
            i = code.find(name, start)
            if i < 0:
                break
            start = i + len(name)
            if i and (code[i - 1].isalnum() or code[i - 1] == "_"):
                continue  # the end of a longer name
            j = start
            while j < n and code[j] in " \t\r\n\f\v":
                j += 1
            if j < n and code[j] == "(":
                out.append(Call(name, body, i))
    out.sort(key=lambda c: c._at)
    return out


_ARG_PUNCT = re.compile(r"[()\[\]{},]")


def _split_args(code: str, start: int) -> tuple[str, ...]:
    """Top-level comma-separated arguments from just after '(' to its matching ')'."""
    depth = 0
    args = []
    current = start
    for m in _ARG_PUNCT.finditer(code, start):
        c = m.group()
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(code[current : m.start()].strip())
                break
            depth -= 1
        elif depth == 0:
            args.append(code[current : m.start()].strip())
            current = m.end()
    return tuple(a for a in args if a)


def borrow_pattern(borrow_calls: frozenset[str]) -> re.Pattern[str]:
    """Matches ``local = BORROW(item`` for any of the borrowing calls."""
    names = "|".join(re.escape(n) for n in sorted(borrow_calls)) or r"(?!x)x"
    # possessive repeats: a name that is not followed by '=' fails at once
    return re.compile(rf"\b([A-Za-z_]\w*+)\s*+=\s*+(?:{names})\s*+\(\s*+([A-Za-z_]\w*+)")


def borrowed_locals(body: Body, pattern: re.Pattern[str]) -> dict[str, str]:
    """Locals holding an object borrowed from a stack item: ``{'left_o': 'left'}``."""
    code = body.code
    if "=" not in code:
        return {}
    return {m.group(1): m.group(2) for m in pattern.finditer(code)}
