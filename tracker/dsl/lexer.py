"""Tokens of the instruction-definition DSL and of the C bodies it wraps.

Speed matters here (a full scan must stay well under a tenth of CPython's own
generator), so the lexer is a single compiled regular expression, positions are
plain offsets turned into line/column only when asked, and C bodies are skipped
by a brace matcher rather than tokenized; their tokens are produced on demand.
"""

from __future__ import annotations

import bisect
from itertools import accumulate, repeat
from operator import add
import re
from .cache import cached as cached_property
from collections import namedtuple

from ..errors import DSLError

# Calls and names that the DSL gives a meaning of its own inside C bodies.
DSL_SPECIALS = frozenset(
    {
        "DEOPT_IF", "EXIT_IF", "ERROR_IF", "ERROR_NO_POP", "DECREF_INPUTS",
        "SYNC_SP", "DEAD", "INPUTS_DEAD", "CHECK_PERIODIC", "DISPATCH",
        "DISPATCH_INLINED", "DISPATCH_SAME_OPARG", "GO_TO_INSTRUCTION", "JUMPBY",
        "SAVE_STACK", "RELOAD_STACK", "AT_END_EXIT_IF", "HANDLE_PENDING_AND_DEOPT_IF",
        "LLTRACE_RESUME_FRAME", "PyStackRef_CLOSE", "PyStackRef_XCLOSE",
        "PyStackRef_CLOSE_SPECIALIZED", "INSTRUCTION_SIZE", "this_instr", "oparg",
        "oparg1", "oparg2", "exception_unwind",
    }
)

# Keywords of the DSL's top level. `family` and `pseudo` are ordinary identifiers in C.
DSL_KEYWORDS = frozenset({"inst", "op", "macro", "family", "pseudo", "label", "spilled"})

ANNOTATIONS = frozenset(
    {
        "pure", "override", "specializing", "register", "replaced", "tier1", "tier2",
        "no_save_ip", "split", "guard", "replicate",
    }
)

# A token of a C body (or any span), with the blanks before it folded into the match
# so that blanks cost no loop turn of their own.
# The significant tokens of C and the DSL, shared by both token patterns below.
_TOKENS = r"""
      (?P<badcomment>/\*)
     |(?P<ident>[A-Za-z_][A-Za-z_0-9]*)
     |(?P<number>(?:0[xX][0-9a-fA-F]+|[0-9]+\.?[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)[uUlLfF]*)
     |(?P<string>"(?:[^"\\\n]|\\.)*")
     |(?P<char>'(?:[^'\\\n]|\\.)*')
     |(?P<badstring>["'])
     |(?P<op>\.\.\.|<<=|>>=|->|\+\+|--|&&|\|\||<<|>>|[-+*/%&|^!=<>]=|[-+*/%&|^!=<>~?:;,.(){}\[\]\\])
     |(?P<bad>\S)
"""

# Any token of a C body, comments and preprocessor lines included. Compiled on first use
# (``re`` keeps it): a scan reads bodies as text and never tokenizes one.
_BODY_TOKEN = (
    r"""
    [ \t\r\f\v\n]*
    (?:(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)
    |(?P<pp>\#(?:[^\n\\]|\\[\s\S])*)
    |""" + _TOKENS + ")"
)

# One significant token of the DSL's top level, after any blanks, comments and
# preprocessor lines (one regex match per token keeps header scanning cheap).
_HEADER_TOKEN = re.compile(
    r"""
    (?:[ \t\r\f\v\n]+|//[^\n]*|/\*[\s\S]*?\*/|\#(?:[^\n\\]|\\[\s\S])*)*
    (?:""" + _TOKENS + ")?",
    re.X,
)

# Where something interesting for brace matching may start in a C body.
_BODY_STOP = re.compile(r"""[{}"'/]|\n[ \t]*\#""")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\.)*'")
_PP_LINE = re.compile(r"\n[ \t]*\#(?:[^\n\\]|\\[\s\S])*")

# A whole body with up to six levels of nested braces, in one match: the common case
# (CPython's bodies of 2025-26 nest five deep at most; each level more costs ~0.3 ms of
# start-up to compile). Anything it cannot match (deeper nesting, an unclosed literal or
# comment) goes to the careful scanner in skip_body, which also reports the errors.
_BODY_ATOM = r"""(?:[^{}"'/\n]++|\n(?:[ \t]*+\#(?:[^\n\\]|\\[\s\S])*+)?|//[^\n]*+|/\*[\s\S]*?\*/|"(?:[^"\\\n]|\\.)*+"|'(?:[^'\\\n]|\\.)*+'|/(?![/*]))"""
_nested = r"\{(?:" + _BODY_ATOM + r")*+\}"
for _ in range(5):
    _nested = r"\{(?:" + _BODY_ATOM + "|" + _nested + r")*+\}"
_WHOLE_BODY = re.compile(_nested)
del _nested

# Comments and literals, blanked out of bodies so that rules can search code only.
_MASKABLE = re.compile(r"""//[^\n]*|/\*[\s\S]*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")


def _blank(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0] in "\"'":
        return text[0] + " " * (len(text) - 2) + text[-1]
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(line) for line in text.split("\n"))


def mask_code(text: str) -> str:
    """Return ``text`` with comments and the insides of literals replaced by spaces.

    Offsets and line breaks are unchanged, so a match in the masked text points at
    the same place in the original.
    """
    return _MASKABLE.sub(_blank, text)


class FileError(DSLError):
    """A syntax error not confined to one definition (a comment, literal or body that is
    never closed): the rest of the file cannot be read, so the file is refused."""


class Token(namedtuple("Token", "kind text line col offset")):
    """One token of a body: ``kind`` (ident, special, number, string, char, op, pp,
    comment), ``text``, ``line``, ``col``, ``offset``; a named tuple because bodies hold
    tens of thousands."""

    __slots__ = ()


class SourceFile:
    """The text of one input file, with cheap offset → line/column conversion."""

    def __init__(self, filename: str, text: str):
        self.filename = filename
        self.text = text

    @cached_property
    def _line_starts(self) -> list[int]:
        # offsets just past each newline, summed in C: no Python loop over lines
        lengths = map(len, self.text.split("\n"))
        starts = list(accumulate(map(add, lengths, repeat(1)), initial=0))
        starts.pop()  # the end of the text is not a line start
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def offset(self, line: int, col: int) -> int:
        """The offset of 1-based ``line`` and ``col`` (the inverse of :meth:`line_col`)."""
        return self._line_starts[line - 1] + col - 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def line_text(self, line: int) -> str:
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return ""
        begin = starts[line - 1]
        end = self.text.find("\n", begin)
        return self.text[begin : end if end >= 0 else len(self.text)]

    def lines_text(self, first: int, last: int) -> str:
        """Text of lines ``first`` to ``last`` (1-based, inclusive)."""
        starts = self._line_starts
        first = max(first, 1)
        if first > len(starts):
            return ""
        begin = starts[first - 1]
        end = starts[last] - 1 if last < len(starts) else len(self.text)
        return self.text[begin:end]

    def error(self, message: str, offset: int, hint: str | None = None,
              whole_file: bool = False) -> DSLError:
        """An error at ``offset``; ``whole_file`` when what follows cannot be read."""
        line, col = self.line_col(offset)
        cls = FileError if whole_file else DSLError
        return cls(message, self.filename, line, col, self.line_text(line), hint)

    def skip_body(self, open_offset: int, limit: int) -> int:
        """Given the offset of a body's ``{``, return the offset just past its ``}``."""
        whole = _WHOLE_BODY.match(self.text, open_offset, limit)
        if whole is not None:
            return whole.end()
        text = self.text
        depth = 0
        pos = open_offset
        search = _BODY_STOP.search
        while True:
            m = search(text, pos, limit)
            if m is None:
                break
            pos = m.start()
            c = text[pos]
            if c == "{":
                depth += 1
                pos += 1
            elif c == "}":
                depth -= 1
                pos += 1
                if depth == 0:
                    return pos
            elif c == "/":
                nxt = text[pos + 1 : pos + 2]
                if nxt == "/":
                    eol = text.find("\n", pos, limit)
                    pos = limit if eol < 0 else eol
                elif nxt == "*":
                    close = text.find("*/", pos + 2, limit)
                    if close < 0:
                        raise self.error("comment is never closed ('/*' without '*/')", pos, whole_file=True)
                    pos = close + 2
                else:
                    pos += 1
            elif c == "\n":
                pos = _PP_LINE.match(text, pos, limit).end()  # type: ignore[union-attr]
            else:
                lit = (_STRING if c == '"' else _CHAR).match(text, pos, limit)
                if lit is None:
                    what = "string" if c == '"' else "character"
                    raise self.error(f"{what} literal is never closed on its line", pos, whole_file=True)
                pos = lit.end()
        raise self.error(
            "body is never closed: no matching '}' for this '{'",
            open_offset,
            hint="check for a missing '}' in this definition or a stray '{' in it",
            whole_file=True,
        )

    def tokens(self, start: int, end: int, keep_comments: bool = False) -> list[Token]:
        """Tokenize ``text[start:end]`` (a C body or any other span)."""
        out: list[Token] = []
        text = self.text
        starts = self._line_starts
        find = bisect.bisect_right
        line = find(starts, start)  # line of the current token, and where it starts
        line_start, next_start = starts[line - 1], starts[line] if line < len(starts) else len(text) + 1
        for m in re.compile(_BODY_TOKEN, re.X).finditer(text, start, end):
            kind = m.lastgroup
            if kind is None or (kind == "comment" and not keep_comments):
                continue  # trailing blanks, or a comment not asked for
            pos = m.start(kind)
            if pos >= next_start:
                line = find(starts, pos, line)
                line_start = starts[line - 1]
                next_start = starts[line] if line < len(starts) else len(text) + 1
            if kind == "badcomment":
                raise self.error("comment is never closed ('/*' without '*/')", pos, whole_file=True)
            if kind == "badstring":
                what = "string" if text[pos] == '"' else "character"
                raise self.error(f"{what} literal is never closed on its line", pos, whole_file=True)
            if kind == "bad":
                raise self.error(f"unexpected character {m.group(kind)!r}", pos)
            value = m.group(kind)
            if kind == "ident" and value in DSL_SPECIALS:
                kind = "special"
            out.append(Token(kind, value, line, pos - line_start + 1, pos))
        return out


class HeaderScanner:
    """Token-at-a-time scanner for the DSL's top level (definition headers).

    Headers are short, so they are scanned one token at a time; bodies are jumped
    over with :meth:`SourceFile.skip_body`.
    """

    __slots__ = ("src", "text", "pos", "end", "_peeked")

    def __init__(self, src: SourceFile, start: int, end: int):
        self.src = src
        self.text = src.text
        self.pos = start
        self.end = end
        self._peeked: tuple[str, str, int, int] | None = None

    def peek(self) -> tuple[str, str, int, int]:
        """Next significant token as (kind, text, start, end); kind 'eof' at the end."""
        if self._peeked is not None:
            return self._peeked
        end = self.end
        m = _HEADER_TOKEN.match(self.text, self.pos, end)
        kind = m.lastgroup if m is not None else None
        if kind is not None:
            pos = m.start(kind)  # type: ignore[union-attr]
            if kind == "badcomment":
                raise self.src.error("comment is never closed ('/*' without '*/')", pos, whole_file=True)
            if kind == "badstring":
                what = "string" if self.text[pos] == '"' else "character"
                raise self.src.error(f"{what} literal is never closed on its line", pos, whole_file=True)
            if kind == "bad":
                raise self.src.error(f"unexpected character {m.group(kind)!r}", pos)  # type: ignore[union-attr]
            self.pos = pos
            self._peeked = (kind, m.group(kind), pos, m.end())  # type: ignore[union-attr]
            return self._peeked
        self.pos = end
        self._peeked = ("eof", "", end, end)
        return self._peeked

    def next(self) -> tuple[str, str, int, int]:
        tok = self.peek()
        self._peeked = None
        self.pos = tok[3]
        return tok

    def accept(self, text: str) -> tuple[str, str, int, int] | None:
        tok = self.peek()
        if tok[1] == text and tok[0] in ("op", "ident"):
            return self.next()
        return None

    def expect(self, text: str, what: str) -> tuple[str, str, int, int]:
        tok = self.peek()
        if tok[1] == text and tok[0] in ("op", "ident"):
            return self.next()
        raise self.src.error(f"expected {text!r} {what}, found {describe(tok)}", tok[2])

    def expect_ident(self, what: str) -> tuple[str, str, int, int]:
        tok = self.peek()
        if tok[0] == "ident":
            return self.next()
        raise self.src.error(f"expected {what}, found {describe(tok)}", tok[2])

    def reset(self, pos: int) -> None:
        self.pos = pos
        self._peeked = None


def describe(tok: tuple[str, str, int, int]) -> str:
    if tok[0] == "eof":
        return "end of input"
    text = tok[1] if len(tok[1]) <= 40 else tok[1][:37] + "..."
    return repr(text)
