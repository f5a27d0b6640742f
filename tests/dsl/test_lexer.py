"""The lexer: token kinds and positions, body skipping, masking, and its errors."""

from __future__ import annotations

import pytest

from tracker.dsl.lexer import DSL_SPECIALS, SourceFile, mask_code
from tracker.errors import DSLError


def toks(text: str, **kw):
    src = SourceFile("t.c", text)
    return [(t.kind, t.text) for t in src.tokens(0, len(text), **kw)]


def test_token_kinds():
    text = 'x = f(0x1F, 2.5e3f, 10UL) + "s\\"}" + \'{\'; a->b -= ~c; DEOPT_IF(x); ...'
    assert toks(text) == [
        ("ident", "x"), ("op", "="), ("ident", "f"), ("op", "("), ("number", "0x1F"),
        ("op", ","), ("number", "2.5e3f"), ("op", ","), ("number", "10UL"), ("op", ")"),
        ("op", "+"), ("string", '"s\\"}"'), ("op", "+"), ("char", "'{'"), ("op", ";"),
        ("ident", "a"), ("op", "->"), ("ident", "b"), ("op", "-="), ("op", "~"), ("ident", "c"),
        ("op", ";"), ("special", "DEOPT_IF"), ("op", "("), ("ident", "x"), ("op", ")"),
        ("op", ";"), ("op", "..."),
    ]


def test_comments_are_dropped_unless_asked_for():
    text = "a // one\n/* two\nthree */ b"
    assert toks(text) == [("ident", "a"), ("ident", "b")]
    assert toks(text, keep_comments=True) == [
        ("ident", "a"), ("comment", "// one"), ("comment", "/* two\nthree */"), ("ident", "b"),
    ]


def test_preprocessor_line_with_continuations_is_one_token():
    text = "#define TWICE(x) \\\n    ((x) + \\\n     (x))\nafter"
    assert toks(text) == [("pp", "#define TWICE(x) \\\n    ((x) + \\\n     (x))"), ("ident", "after")]


def test_positions_are_one_based_lines_and_columns():
    text = "ab\n\tcd  ef\n\nDEAD"
    src = SourceFile("t.c", text)
    got = [(t.text, t.line, t.col, t.offset) for t in src.tokens(0, len(text))]
    assert got == [("ab", 1, 1, 0), ("cd", 2, 2, 4), ("ef", 2, 6, 8), ("DEAD", 4, 1, 12)]
    assert src.line_col(len(text)) == (4, 5)
    assert src.line_text(2) == "\tcd  ef"
    assert src.line_text(0) == "" and src.line_text(9) == ""


def test_specials_are_the_dsl_calls():
    assert {"DEOPT_IF", "EXIT_IF", "ERROR_IF", "DECREF_INPUTS", "SYNC_SP", "DEAD"} <= DSL_SPECIALS
    assert toks("ERROR_IF(x) DEOPT_IFY") == [
        ("special", "ERROR_IF"), ("op", "("), ("ident", "x"), ("op", ")"), ("ident", "DEOPT_IFY"),
    ]


@pytest.mark.parametrize("body", [
    "{ }",
    "{ { } { { } } }",
    "{ s = \"}\"; }",
    "{ c = '}'; d = '\\''; }",
    "{ // }\n }",
    "{ /* } */ }",
    "{ x = a / b; }",
    "{\n#define X }\n}",
    "{\n  #if A }\n#endif\n}",
    "{\n#define M \\\n  } \\\n  }\n}",
    "{" * 6 + " x; " + "}" * 6,  # as deep as the one-match pattern goes
    "{" * 7 + " x; " + "}" * 7,  # deeper: the careful scanner
    "{ if (a) { " + "{ s = \"}\"; " * 12 + "}" * 12 + " } }",
])
def test_skip_body_finds_the_matching_brace(body):
    text = body + " tail"
    src = SourceFile("t.c", text)
    assert src.skip_body(0, len(text)) == len(body)


@pytest.mark.parametrize("text, message, line, col", [
    ("{ { }", "body is never closed", 1, 1),
    ("{\n  /* open", "comment is never closed", 2, 3),
    ("{\n  s = \"open;\n}", "string literal is never closed on its line", 2, 7),
    ("{\n  c = 'x;\n}", "character literal is never closed on its line", 2, 7),
])
def test_skip_body_errors(text, message, line, col):
    src = SourceFile("t.c", text)
    with pytest.raises(DSLError) as info:
        src.skip_body(0, len(text))
    e = info.value
    assert message in e.message
    assert (e.line, e.col) == (line, col)


def test_skip_body_stops_at_the_limit():
    text = "{ x; } }"
    src = SourceFile("t.c", text)
    with pytest.raises(DSLError):
        src.skip_body(0, 4)  # the '}' lies beyond the limit


def test_tokens_reject_characters_c_does_not_have():
    src = SourceFile("t.c", "a @ b")
    with pytest.raises(DSLError) as info:
        src.tokens(0, 5)
    assert (info.value.col, info.value.message) == (3, "unexpected character '@'")


def test_mask_code_blanks_comments_and_literal_contents_only():
    text = 'a = "x{y"; // c\nb = \'}\'; /* d\ne */ f;'
    masked = mask_code(text)
    assert masked == 'a = "   ";     \nb = \' \';     \n     f;'
    assert len(masked) == len(text)
    assert [i for i, ch in enumerate(text) if ch == "\n"] == [i for i, ch in enumerate(masked) if ch == "\n"]
