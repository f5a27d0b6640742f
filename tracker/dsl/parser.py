"""Parser of the instruction-definition DSL, as read by CPython's Tools/cases_generator.

Only the text between ``// BEGIN BYTECODES //`` and ``// END BYTECODES //`` is DSL.
The grammar accepted is the union of what CPython 3.12 through current main use:

    definition := annotation* ("inst" | "op") "(" NAME "," effect ")" body
                | annotation* "inst" "(" NAME ")" body                     (3.12, legacy)
                | ("macro" | "super") "(" NAME ")" "=" part ("+" part)* ";"  (super: 3.12)
                | "family" "(" NAME ["," (NAME | NUMBER)] ")" "=" "{" NAME ("," NAME)* [","] "}" ";"
                | "pseudo" "(" NAME ["," effect] ["," flags] ")" "=" ("{" names "}" | "[" names "]") ";"
                | ["spilled"] "label" "(" NAME ")" body
    flags      := "(" NAME (("," | "|") NAME)* ")"
    effect     := "(" [input ("," input)*] "--" [item ("," item)*] ")"
    input      := NAME "/" NUMBER | item
    item       := NAME [":" [NAME ["*"]] ["&" typeprop]] ["[" cexpr "]"] ["if" "(" cexpr ")"]
    typeprop   := NAME | "(" NAME ["+" NAME] ")"                           (early 2024)
    part       := NAME ["/" NUMBER]
    annotation := one of lexer.ANNOTATIONS, "replicate" "(" N [":" N] ")"
"""

from __future__ import annotations

import re

from .ast import (
    Body,
    CacheItem,
    Definition,
    DSLWarning,
    FamilyDef,
    InputItem,
    InstDef,
    LabelDef,
    Location,
    MacroDef,
    MacroPart,
    ParsedFile,
    PseudoDef,
    StackItem,
    UopRef,
)
from .lexer import ANNOTATIONS, FileError, HeaderScanner, SourceFile, describe
from ..errors import DSLError

BEGIN_MARKER = "// BEGIN BYTECODES //"
END_MARKER = "// END BYTECODES //"

_DEF_STARTERS = ("inst", "op", "macro", "super", "family", "pseudo", "label", "spilled")
_DEF_HINT = "a definition starts with inst, op, macro, family, pseudo or label"

Tok = tuple[str, str, int, int]


def parse_text(text: str, filename: str = "<string>", markers: bool = True) -> ParsedFile:
    """Parse DSL ``text``. With ``markers``, only the text between the markers is read."""
    src = SourceFile(filename, text)
    if markers:
        begin = _find_marker(text, BEGIN_MARKER)
        if begin < 0:
            if not text.strip():
                raise DSLError(
                    "file is empty: expected instruction definitions",
                    filename, 1, 1, text.strip("\n") or "<empty file>",
                    hint="pass Python/bytecodes.c or Python/optimizer_bytecodes.c of a CPython checkout",
                )
            raise DSLError(
                f"no {BEGIN_MARKER!r} line found: this is not an instruction-definition file",
                filename, 1, 1, src.line_text(1),
                hint="pass Python/bytecodes.c or Python/optimizer_bytecodes.c of a CPython checkout",
            )
        start = text.index("\n", begin) + 1 if "\n" in text[begin:] else len(text)
        end = _find_marker(text, END_MARKER, start)
        if end < 0:
            raise src.error(
                f"no {END_MARKER!r} line after the {BEGIN_MARKER!r} line", begin,
                hint="the definitions must end with a line holding only the end marker",
            )
    else:
        start, end = 0, len(text)
    parser = _Parser(src, start, end)
    definitions = parser.definitions()
    return ParsedFile(src, tuple(definitions), tuple(parser.warnings))


def _find_marker(text: str, marker: str, start: int = 0) -> int:
    """Offset of ``marker`` standing alone on its line (surrounding blanks allowed)."""
    pos = text.find(marker, start)
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start:line_end].strip() == marker:
            return pos
        pos = text.find(marker, pos + 1)
    return -1


class _Parser:
    def __init__(self, src: SourceFile, start: int, end: int):
        self.src = src
        self.scan = HeaderScanner(src, start, end)
        self.end = end
        self.warnings: list[DSLWarning] = []

    # -- helpers ---------------------------------------------------------------

    def loc(self, tok: Tok) -> Location:
        line, col = self.src.line_col(tok[2])
        return Location(self.src.filename, line, col, line)

    def span(self, first: Tok, end_offset: int) -> Location:
        line, col = self.src.line_col(first[2])
        return Location(self.src.filename, line, col, self.src.line_of(max(end_offset - 1, first[2])))

    def error(self, message: str, tok: Tok, hint: str | None = None) -> DSLError:
        return self.src.error(message, tok[2], hint)

    # -- top level -------------------------------------------------------------

    def definitions(self) -> list[Definition]:
        """Every definition; one that cannot be understood is skipped with a warning.

        Only an error that leaves the rest of the file unreadable (a comment, literal or
        body never closed: :class:`FileError`) refuses the file.
        """
        out: list[Definition] = []
        scan = self.scan
        while True:
            tok = scan.peek()
            if tok[0] == "eof":
                return out
            try:
                out.append(self.definition(tok))
            except FileError:
                raise
            except DSLError as err:
                end, skipped = self._skip_definition(tok)
                self.warnings.append(DSLWarning(err.file, err.line, err.col, err.message, skipped))
                scan.reset(end)

    def _skip_definition(self, first: Tok) -> tuple[int, str]:
        """Where a definition that could not be parsed ends, and what it was.

        It ends after its body (a ``{ ... }`` at any depth, and a ``;`` just after it),
        at a ``;``, or just before the next definition's keyword at the top level once a
        parenthesis has been seen (a header without a body). Raises :class:`FileError`
        when the rest of the file cannot be read.
        """
        scan = self.scan
        scan.reset(first[2])
        depth = 0
        opened = False
        keyword = name = None
        end = first[2]
        while True:
            try:
                tok = scan.peek()
            except FileError:
                raise
            except DSLError as err:  # a stray character: step over it
                scan.reset(self.src.offset(err.line, err.col) + 1)
                continue
            if tok[0] == "eof":
                end = tok[2]
                break
            text = tok[1]
            if tok[0] == "ident":
                if depth == 0 and opened and (text in _DEF_STARTERS or text in ANNOTATIONS):
                    break  # the next definition: this one had no body
                if not opened and (keyword is None or text in _DEF_STARTERS):
                    keyword = text  # the last word before '(': 'op' of 'pure op(...)'
                elif name is None and opened:
                    name = text
            if text == "{" and tok[0] == "op":
                end = self.src.skip_body(tok[2], self.end)
                scan.reset(end)
                semi = scan.peek()
                if semi[1] == ";":
                    end = semi[3]
                break
            scan.next()
            end = tok[3]
            if text == ";":
                break
            if text in ("(", "["):
                depth += 1
                opened = True
            elif text in (")", "]"):
                depth = max(depth - 1, 0)
        first_line = self.src.line_of(first[2])
        last_line = self.src.line_of(max(end - 1, first[2]))
        what = " ".join(w for w in (keyword, name) if w) or describe(first)
        lines = f"line {first_line}" if first_line == last_line else f"lines {first_line}-{last_line}"
        return end, f"{what} ({lines})"

    def definition(self, first: Tok) -> Definition:
        kind, text = first[0], first[1]
        if kind != "ident":
            raise self.error(f"expected a definition, found {describe(first)}", first, _DEF_HINT)
        if text in ("macro", "super"):
            return self.macro()
        if text == "family":
            return self.family()
        if text == "pseudo":
            return self.pseudo()
        if text in ("label", "spilled"):
            return self.label()
        return self.inst()

    def annotations(self) -> list[str]:
        scan = self.scan
        out: list[str] = []
        while True:
            tok = scan.peek()
            if tok[0] != "ident" or tok[1] in ("inst", "op"):
                return out
            if tok[1] not in ANNOTATIONS:
                nxt = self._lookahead_after(tok)
                if nxt[0] == "ident":
                    raise self.error(
                        f"unknown annotation {tok[1]!r}", tok,
                        "known annotations: " + ", ".join(sorted(ANNOTATIONS)),
                    )
                raise self.error(f"expected a definition, found {describe(tok)}", tok, _DEF_HINT)
            scan.next()
            if tok[1] == "replicate":
                scan.expect("(", "after 'replicate'")
                a = self._number("a replication count")
                if scan.accept(":"):
                    b = self._number("the end of the replication range")
                    out.append(f"replicate({a}:{b})")
                else:
                    out.append(f"replicate({a})")
                scan.expect(")", "to close 'replicate('")
            else:
                out.append(tok[1])

    def _lookahead_after(self, tok: Tok) -> Tok:
        save = self.scan.pos
        self.scan.next()
        nxt = self.scan.peek()
        self.scan.reset(save)
        return nxt

    def _number(self, what: str) -> str:
        """A whole-number literal (counts and cache sizes), as written."""
        tok = self.scan.peek()
        if tok[0] != "number" or _INT_LITERAL.fullmatch(tok[1]) is None:
            raise self.error(f"expected {what} (a whole number), found {describe(tok)}", tok)
        self.scan.next()
        return tok[1]

    def inst(self) -> InstDef:
        scan = self.scan
        first = scan.peek()
        annotations = self.annotations()
        kw = scan.peek()
        if kw[1] not in ("inst", "op"):
            raise self.error(
                f"expected 'inst' or 'op' after annotations, found {describe(kw)}", kw, _DEF_HINT
            )
        scan.next()
        scan.expect("(", f"after {kw[1]!r}")
        name = scan.expect_ident(f"the name of the {kw[1]}")
        if kw[1] == "inst" and scan.accept(")"):
            inputs: list[InputItem] = []  # 3.12's legacy form: inst(NAME) { ... }
            outputs: list[StackItem] = []
        else:
            scan.expect(",", f"after the name {name[1]!r}")
            inputs, outputs = self.effect(allow_cache=True)
            scan.expect(")", f"to close {kw[1]}({name[1]}, ...")
        body = self.body(f"{kw[1]} {name[1]}")
        return InstDef(
            name[1], self.span(first, body.end), "inst" if kw[1] == "inst" else "op", tuple(annotations),
            tuple(inputs), tuple(outputs), body,
        )

    def body(self, what: str) -> Body:
        tok = self.scan.peek()
        if tok[1] != "{":
            raise self.error(f"expected '{{' to start the body of {what}, found {describe(tok)}", tok)
        end = self.src.skip_body(tok[2], self.end)
        self.scan.reset(end)
        return Body(self.src, tok[2], end)

    def effect(self, allow_cache: bool) -> tuple[list[InputItem], list[StackItem]]:
        scan = self.scan
        opener = scan.expect("(", "to start the stack effect '(inputs -- outputs)'")
        inputs: list[InputItem] = []
        outputs: list[StackItem] = []
        tok = scan.peek()
        if tok[1] != "--":
            while True:
                inputs.append(self.item(allow_cache, opener))
                if not scan.accept(","):
                    break
        tok = scan.peek()
        if tok[1] != "--":
            raise self.error(
                f"expected '--' between inputs and outputs of the stack effect, found {describe(tok)}",
                tok, "a stack effect reads (inputs -- outputs); either side may be empty",
            )
        scan.next()
        tok = scan.peek()
        if tok[1] != ")":
            while True:
                outputs.append(self.item(False, opener))  # type: ignore[arg-type]
                if not scan.accept(","):
                    break
        tok = scan.peek()
        if tok[1] != ")":
            raise self.error(
                f"expected ',' or ')' in the stack effect opened at line {self.loc(opener).line}, "
                f"found {describe(tok)}", tok,
            )
        scan.next()
        return inputs, outputs

    def item(self, allow_cache: bool, opener: Tok) -> InputItem:
        scan = self.scan
        tok = scan.peek()
        if tok[0] != "ident":
            raise self.error(f"expected a stack item name, found {describe(tok)}", tok,
                             "a stack item reads name, name[size], name: type or name/N (cache)")
        scan.next()
        name = tok[1]
        if scan.peek()[1] == "/":
            slash = scan.next()
            if not allow_cache:
                raise self.error("cache entries ('name/N') are only allowed among the inputs", slash)
            return CacheItem(name, _to_int(self._number("the size of the cache entry")))
        type_text: str | None = None
        size: str | None = None
        cond: str | None = None
        if scan.accept(":"):
            if scan.peek()[1] != "&":
                type_text = scan.expect_ident("a type after ':'")[1]
                if scan.accept("*"):
                    type_text += " *"
            if scan.accept("&"):
                self._type_property()
        if scan.peek()[1] == "[":
            bracket = scan.next()
            if type_text:
                raise self.error("an array item cannot also have a type", bracket)
            size = self.c_expression(bracket, "]")
        if scan.peek()[1] == "if":
            scan.next()
            paren = scan.expect("(", "after 'if' in a conditional stack item")
            cond = self.c_expression(paren, ")")
        return StackItem(name, type_text, size, cond)

    def _type_property(self) -> None:
        """``&NAME``, ``&(NAME)`` or ``&(NAME + REFINEMENT)`` after an item's ':' (early
        2024: the type the optimizer of then knew an output to have). Read and dropped:
        no rule of ours uses it, and no generator after 2024-02 has it."""
        scan = self.scan
        paren = scan.accept("(")
        scan.expect_ident("a type name after '&'")
        if scan.accept("+"):
            scan.expect_ident("a refinement after '+'")
        if paren:
            scan.expect(")", "to close '&('")

    def c_expression(self, opener: Tok, closer: str) -> str:
        """Consume a C expression up to the ``closer`` that balances ``opener``."""
        scan = self.scan
        pairs = {"(": ")", "[": "]"}
        stack: list[Tok] = [opener]
        start = scan.peek()[2]
        while True:
            tok = scan.peek()
            if tok[0] == "eof" or tok[1] in (";", "{", "}", "--"):
                open_tok = stack[-1]
                line, col = self.src.line_col(open_tok[2])
                raise self.error(
                    f"unbalanced brackets: {open_tok[1]!r} opened at {line}:{col} is never closed "
                    f"(found {describe(tok)})", tok,
                    f"close it with {pairs[open_tok[1]]!r}",
                )
            if tok[1] in pairs:
                stack.append(tok)
            elif tok[1] in (")", "]"):
                open_tok = stack.pop()
                if tok[1] != pairs[open_tok[1]]:
                    line, col = self.src.line_col(open_tok[2])
                    raise self.error(
                        f"unbalanced brackets: {tok[1]!r} does not match {open_tok[1]!r} "
                        f"opened at {line}:{col}", tok,
                        f"expected {pairs[open_tok[1]]!r} here",
                    )
                if not stack:
                    text = self.src.text[start : tok[2]].strip()
                    if not text:
                        raise self.error("expected an expression", tok)
                    scan.next()
                    return text
            scan.next()

    def macro(self) -> MacroDef:
        scan = self.scan
        first = scan.next()
        scan.expect("(", f"after {first[1]!r}")
        name = scan.expect_ident(f"the name of the {first[1]}")
        scan.expect(")", f"after the macro name {name[1]!r}")
        scan.expect("=", f"after macro({name[1]})")
        parts: list[MacroPart] = []
        while True:
            tok = scan.peek()
            if tok[0] != "ident":
                raise self.error(f"expected a uop name or cache entry in macro {name[1]}, "
                                 f"found {describe(tok)}", tok)
            scan.next()
            if scan.accept("/"):
                neg = scan.accept("-")
                size = _to_int(self._number("the size of the cache entry"))
                parts.append(CacheItem(tok[1], -size if neg else size))
            else:
                parts.append(UopRef(tok[1], self.loc(tok)))
            if not scan.accept("+"):
                break
        semi = scan.peek()
        if semi[1] != ";":
            raise self.error(f"expected '+' or ';' in macro {name[1]}, found {describe(semi)}", semi)
        scan.next()
        return MacroDef(name[1], self.span(first, semi[3]), tuple(parts), first[1])  # type: ignore[arg-type]

    def names(self, closer: str, what: str) -> tuple[list[str], list[Location]]:
        scan = self.scan
        names: list[str] = []
        locs: list[Location] = []
        while True:
            tok = scan.peek()
            if tok[1] == closer and names:
                scan.next()
                return names, locs
            if tok[0] != "ident":
                raise self.error(f"expected an instruction name in {what}, found {describe(tok)}", tok)
            scan.next()
            names.append(tok[1])
            locs.append(self.loc(tok))
            tok = scan.peek()
            if tok[1] == ",":
                scan.next()
            elif tok[1] != closer:
                raise self.error(f"expected ',' or {closer!r} in {what}, found {describe(tok)}", tok)

    def family(self) -> FamilyDef:
        scan = self.scan
        first = scan.next()
        scan.expect("(", "after 'family'")
        name = scan.expect_ident("the name of the family's head instruction")
        size = ""
        if scan.accept(","):
            tok = scan.peek()
            if tok[0] not in ("ident", "number"):
                raise self.error(f"expected the family's cache size, found {describe(tok)}", tok)
            size = scan.next()[1]
        scan.expect(")", f"to close family({name[1]}")
        scan.expect("=", f"after family({name[1]}, ...)")
        scan.expect("{", f"to start the members of family {name[1]}")
        members, locs = self.names("}", f"family {name[1]}")
        semi = scan.expect(";", f"after the members of family {name[1]}")
        return FamilyDef(name[1], self.span(first, semi[3]), size, tuple(members), tuple(locs))

    def pseudo(self) -> PseudoDef:
        scan = self.scan
        first = scan.next()
        scan.expect("(", "after 'pseudo'")
        name = scan.expect_ident("the name of the pseudo instruction")
        inputs: list[InputItem] = []
        outputs: list[StackItem] = []
        flags: list[str] = []
        if not scan.accept(")"):  # 3.12/3.13: pseudo(NAME) and pseudo(NAME, (FLAGS))
            scan.expect(",", f"after the name {name[1]!r}")
            if self._is_effect():
                inputs, outputs = self.effect(allow_cache=False)
                if scan.accept(","):
                    flags = self.flags()
            else:
                flags = self.flags()
            scan.expect(")", f"to close pseudo({name[1]}, ...")
        scan.expect("=", f"after pseudo({name[1]}, ...)")
        opener = scan.peek()
        if opener[1] not in ("{", "["):
            raise self.error(f"expected '{{' or '[' for the targets of {name[1]}, found {describe(opener)}", opener)
        scan.next()
        closer = "}" if opener[1] == "{" else "]"
        targets, locs = self.names(closer, f"pseudo {name[1]}")
        semi = scan.expect(";", f"after the targets of pseudo {name[1]}")
        return PseudoDef(
            name[1], self.span(first, semi[3]), tuple(inputs), tuple(outputs), tuple(flags),
            tuple(targets), opener[1] == "[", tuple(locs),
        )

    def flags(self) -> list[str]:
        """``(FLAG, FLAG)`` or ``(FLAG | FLAG)``."""
        scan = self.scan
        scan.expect("(", "to start the flags of the pseudo instruction")
        flags = []
        while True:
            flags.append(scan.expect_ident("a flag name")[1])
            if not (scan.accept(",") or scan.accept("|")):
                break
        scan.expect(")", "to close the flags")
        return flags

    def _is_effect(self) -> bool:
        """Whether the parenthesis ahead holds a stack effect (has '--') rather than flags."""
        scan = self.scan
        save = scan.pos
        try:
            if not scan.accept("("):
                return True  # let effect() report what is wrong
            depth = 0
            while True:
                tok = scan.next()
                if tok[0] == "eof" or tok[1] in (";", "{", "}"):
                    return True
                if tok[1] == "--" and depth == 0:
                    return True
                if tok[1] in ("(", "["):
                    depth += 1
                elif tok[1] in (")", "]"):
                    if depth == 0:
                        return False
                    depth -= 1
        finally:
            scan.reset(save)

    def label(self) -> LabelDef:
        scan = self.scan
        first = scan.next()
        spilled = first[1] == "spilled"
        if spilled:
            scan.expect("label", "after 'spilled'")
        scan.expect("(", "after 'label'")
        name = scan.expect_ident("the name of the label")
        scan.expect(")", f"after the label name {name[1]!r}")
        body = self.body(f"label {name[1]}")
        return LabelDef(name[1], self.span(first, body.end), spilled, body)


_INT_LITERAL = re.compile(r"(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*")


def _to_int(text: str) -> int:
    text = text.rstrip("uUlL")
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    return int(text, 10)
