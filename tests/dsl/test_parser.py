"""The DSL parser on our own small inputs, one construct at a time."""

from __future__ import annotations

import textwrap

import pytest

from tracker.dsl import (
    CacheItem, FamilyDef, InstDef, LabelDef, MacroDef, PseudoDef, StackItem, UopRef, parse_text,
)
from tracker.errors import DSLError

HEADER = "// a test file\n// BEGIN BYTECODES //\n"  # definitions start on line 3
FOOTER = "// END BYTECODES //\n"


def parse(dsl: str, filename: str = "t.c"):
    return parse_text(HEADER + textwrap.dedent(dsl) + FOOTER, filename).definitions


def one(dsl: str):
    defs = parse(dsl)
    assert len(defs) == 1
    return defs[0]


_read: list[str] = []


def line_text(e) -> str:
    """The line a diagnostic points at, in the text :func:`error` read last."""
    return _read[-1].split("\n")[e.line - 1]


def error(dsl: str, markers: bool = True):
    """The first diagnostic of ``dsl``: the error that refuses the file, else the warning
    of the first definition skipped (there must be one)."""
    text = HEADER + textwrap.dedent(dsl) + FOOTER if markers else dsl
    _read.append(text)
    try:
        parsed = parse_text(text, "bad.c")
    except DSLError as exc:
        return exc
    assert parsed.warnings, "neither an error nor a warning"
    return parsed.warnings[0]


# -- markers -------------------------------------------------------------------------

def test_only_text_between_the_markers_is_read():
    text = textwrap.dedent("""\
        #include "x.h"
        /* inst(IN_COMMENT, (--)) { } */
        static void f(void) { if (x) { y(); } }
        inst(BEFORE, (--)) { }
        // BEGIN BYTECODES //
        inst(INSIDE, (--)) {
        }
        // END BYTECODES //
        inst(AFTER, (--)) { }
        static int g(void) { return '}'; }
        unbalanced { { (
        """)
    defs = parse_text(text, "m.c").definitions
    assert [d.name for d in defs] == ["INSIDE"]
    assert defs[0].loc.line == 6


def test_markers_must_stand_alone_on_their_line():
    text = textwrap.dedent("""\
        const char *s = "// BEGIN BYTECODES //";
           // BEGIN BYTECODES //   
        inst(A, (--)) { }
        /* a comment naming // END BYTECODES // is not the marker */
        inst(B, (--)) { }
        // END BYTECODES //
        """)
    defs = parse_text(text, "m.c").definitions
    # the marker inside a string is not a marker; blanks around a marker are allowed
    assert [d.name for d in defs] == ["A", "B"]


def test_markers_off_reads_everything():
    defs = parse_text("inst(A, (--)) { }\nop(_B, (--)) { }\n", "x.c", markers=False).definitions
    assert [d.name for d in defs] == ["A", "_B"]


def test_no_definitions_between_markers_is_fine():
    assert parse("\n   // nothing here\n") == ()


# -- inst and op, annotations ----------------------------------------------------------

@pytest.mark.parametrize("annotation", [
    "pure", "override", "specializing", "register", "replaced", "tier1", "tier2",
    "no_save_ip", "split", "guard",
])
def test_each_annotation(annotation):
    d = one(f"{annotation} op(_X, (--)) {{ }}\n")
    assert isinstance(d, InstDef)
    assert d.kind == "op"
    assert d.annotations == (annotation,)


def test_replicate_count_and_range_keep_their_order_with_other_annotations():
    a, b = parse("""\
        replicate(8) pure op(_A, (-- v)) { }
        tier2 replicate(1:4) op(_B, (-- v)) { }
        """)
    assert a.annotations == ("replicate(8)", "pure")
    assert b.annotations == ("tier2", "replicate(1:4)")


def test_annotations_may_span_lines_and_count_in_the_location():
    d = one("""\
        pure
        tier1
        inst(A, (--)) {
        }
        """)
    assert d.annotations == ("pure", "tier1")
    assert (d.loc.line, d.loc.col, d.loc.end_line) == (3, 1, 6)


def test_unknown_annotation_is_an_error_at_it():
    e = error("""\
        pure inst(A, (--)) { }
        pure fancy op(_B, (--)) { }
        """)
    assert (e.file, e.line, e.col) == ("bad.c", 4, 6)
    assert "unknown annotation 'fancy'" in e.message
    assert "pure fancy op" in line_text(e)


def test_replicate_needs_a_number():
    e = error("replicate(N) op(_A, (--)) { }\n")
    assert (e.line, e.col) == (3, 11)
    assert "replication count" in e.message


def test_inst_and_op_keep_keyword_name_and_body():
    i, o = parse("""\
        inst(LOAD, (-- v)) {
            v = 1;
        }
        op(_STORE, (v --)) { use(v); }
        """)
    assert (i.kind, i.name, o.kind, o.name) == ("inst", "LOAD", "op", "_STORE")
    assert i.body.text == "{\n    v = 1;\n}"
    assert o.body.text == "{ use(v); }"
    assert (i.loc.line, i.loc.end_line, o.loc.line, o.loc.end_line) == (3, 5, 6, 6)


def test_legacy_inst_without_stack_effect():
    d = one("inst(OLD) { legacy(); }\n")
    assert (d.kind, d.name, d.inputs, d.outputs) == ("inst", "OLD", (), ())


# -- stack effects ---------------------------------------------------------------------

def test_stack_effect_items():
    d = one("""\
        op(_X, (counter/1, version/2, unused, a, b: PyObject *, c: int, arr[oparg-1],
                dbl[oparg*2], odd[1 + (oparg & 1)], opt if (oparg & 1)
                -- res, unused[oparg], maybe: PyObject * if (oparg), nested[f((a), b[1])])) { }
        """)
    assert d.inputs == (
        CacheItem("counter", 1), CacheItem("version", 2),
        StackItem("unused"), StackItem("a"), StackItem("b", type="PyObject *"),
        StackItem("c", type="int"), StackItem("arr", size="oparg-1"),
        StackItem("dbl", size="oparg*2"), StackItem("odd", size="1 + (oparg & 1)"),
        StackItem("opt", cond="oparg & 1"),
    )
    assert d.outputs == (
        StackItem("res"), StackItem("unused", size="oparg"),
        StackItem("maybe", type="PyObject *", cond="oparg"),
        StackItem("nested", size="f((a), b[1])"),
    )
    assert d.caches == (CacheItem("counter", 1), CacheItem("version", 2))
    assert [i.name for i in d.stack_inputs] == ["unused", "a", "b", "c", "arr", "dbl", "odd", "opt"]
    assert d.stack_inputs[0].is_unused and d.stack_inputs[4].is_array
    assert not d.stack_inputs[1].is_array


@pytest.mark.parametrize("effect, n_in, n_out", [
    ("(--)", 0, 0), ("( -- )", 0, 0), ("(a --)", 1, 0), ("(-- a)", 0, 1), ("(a, b -- c)", 2, 1),
])
def test_either_side_may_be_empty(effect, n_in, n_out):
    d = one(f"inst(A, {effect}) {{ }}\n")
    assert (len(d.inputs), len(d.outputs)) == (n_in, n_out)


def test_cache_entry_only_among_inputs():
    e = error("op(_A, (a -- b/1)) { }\n")
    assert "only allowed among the inputs" in e.message
    assert (e.line, e.col) == (3, 15)


def test_array_with_a_type_is_an_error():
    e = error("op(_A, (a: int[2] --)) { }\n")
    assert "cannot also have a type" in e.message


def test_items_round_trip_to_text_and_json():
    d = one("op(_A, (c/1, t: PyObject *, arr[oparg], x if (oparg) -- r)) { }\n")
    assert [str(i) for i in d.inputs] == ["c/1", "t: PyObject *", "arr[oparg]", "x if (oparg)"]
    assert [i.to_json() for i in d.inputs] == [
        {"name": "c", "cache": 1},
        {"name": "t", "size": None, "type": "PyObject *"},
        {"name": "arr", "size": "oparg"},
        {"name": "x", "size": None, "cond": "oparg"},
    ]


# -- macro, family, pseudo, label ------------------------------------------------------

def test_macro_parts_and_cache_entries():
    d = one("""\
        macro(BIG) =
            unused/1 + _FIRST + counter/2
            + _SECOND;
        """)
    assert isinstance(d, MacroDef)
    assert d.kind == "macro"
    assert [str(p) for p in d.parts] == ["unused/1", "_FIRST", "counter/2", "_SECOND"]
    assert d.uop_names == ["_FIRST", "_SECOND"]
    assert isinstance(d.parts[1], UopRef) and (d.parts[1].loc.line, d.parts[1].loc.col) == (4, 16)
    assert (d.loc.line, d.loc.end_line) == (3, 5)
    assert d.to_json()["parts"] == ["unused/1", "_FIRST", "counter/2", "_SECOND"]


def test_super_is_a_macro_with_its_own_kind():
    d = one("super(A__B) = A + B;\n")
    assert isinstance(d, MacroDef)
    assert d.kind == "super" and d.uop_names == ["A", "B"]


def test_macro_needs_semicolon():
    e = error("macro(M) = _A + _B\ninst(X, (--)) { }\n")
    assert "expected '+' or ';' in macro M" in e.message
    assert (e.line, e.col) == (4, 1)


def test_family_with_and_without_trailing_comma():
    a, b, c = parse("""\
        family(HEAD, INLINE_CACHE_ENTRIES_HEAD) = {
            HEAD_ONE,
            HEAD_TWO,
        };
        family(OTHER, 2) = { OTHER_ONE, OTHER_TWO };
        family(BARE) = { BARE_ONE };
        """)
    assert isinstance(a, FamilyDef)
    assert (a.name, a.size, a.members) == ("HEAD", "INLINE_CACHE_ENTRIES_HEAD", ("HEAD_ONE", "HEAD_TWO"))
    assert [(loc.line, loc.col) for loc in a.member_locs] == [(4, 5), (5, 5)]
    assert (a.loc.line, a.loc.end_line) == (3, 6)
    assert (b.size, b.members) == ("2", ("OTHER_ONE", "OTHER_TWO"))
    assert (c.size, c.members) == ("", ("BARE_ONE",))


def test_family_needs_members():
    e = error("family(HEAD, 1) = { };\n")
    assert "expected an instruction name in family HEAD" in e.message


@pytest.mark.parametrize("text, flags", [
    ("pseudo(P, (a -- b)) = { X, Y };", ()),
    ("pseudo(P, (a -- b), (HAS_ARG, HAS_JUMP)) = { X, Y, };", ("HAS_ARG", "HAS_JUMP")),
    ("pseudo(P, (a -- b), (HAS_ARG | HAS_JUMP)) = { X, Y };", ("HAS_ARG", "HAS_JUMP")),
])
def test_pseudo_with_effect_and_flags(text, flags):
    d = one(text + "\n")
    assert isinstance(d, PseudoDef)
    assert d.inputs == (StackItem("a"),) and d.outputs == (StackItem("b"),)
    assert d.flags == flags
    assert d.targets == ("X", "Y") and not d.as_sequence


def test_pseudo_forms_of_older_releases_and_sequences():
    bare, flagged, seq = parse("""\
        pseudo(OLD) = { X, };
        pseudo(OLD_FLAGS, (HAS_ARG, HAS_LOCAL)) = { X, Y };
        pseudo(SEQ, (--)) = [ X, Y ];
        """)
    assert (bare.inputs, bare.flags, bare.targets) == ((), (), ("X",))
    assert (flagged.inputs, flagged.outputs, flagged.flags) == ((), (), ("HAS_ARG", "HAS_LOCAL"))
    assert seq.as_sequence and seq.targets == ("X", "Y")
    assert seq.to_json()["as_sequence"] is True
    assert [(loc.line, loc.col) for loc in seq.target_locs] == [(5, 23), (5, 26)]


def test_labels_and_spilled_labels():
    a, b = parse("""\
        label(pop_error) {
            goto error;
        }
        spilled label(resume) { DISPATCH(); }
        """)
    assert isinstance(a, LabelDef) and isinstance(b, LabelDef)
    assert (a.name, a.spilled, a.loc.line, a.loc.end_line) == ("pop_error", False, 3, 5)
    assert (b.name, b.spilled, b.loc.line, b.loc.col) == ("resume", True, 6, 1)
    assert a.to_json()["annotations"] == [] and b.to_json()["annotations"] == ["spilled"]
    assert b.body.text == "{ DISPATCH(); }"


def test_spilled_must_be_followed_by_label():
    e = error("spilled inst(A, (--)) { }\n")
    assert "expected 'label' after 'spilled'" in e.message


# -- C bodies --------------------------------------------------------------------------

def test_bodies_skip_braces_in_comments_strings_chars_and_preprocessor_lines():
    defs = parse(r"""
        inst(TRICKY, (--)) {
            if (a) { if (b) { c(); } }   // a comment with a } brace
            /* a block comment { with braces }
               over two lines } */
            const char *s = "}{ \"}\" {";
            char c1 = '}', c2 = '\'', c3 = '"', c4 = '{';
            #define OPEN_BRACE {
            #define LONG_MACRO(x) \
                { (x) + \
                  1 }
            #if defined(A) && B > 1
            d(s);
            #else
            e(c1);
            #endif
        }
        op(_NEXT, (--)) {
        }
        """)
    assert [d.name for d in defs] == ["TRICKY", "_NEXT"]
    assert (defs[0].loc.line, defs[0].loc.end_line) == (4, 19)
    assert defs[1].loc.line == 20


def test_preprocessor_lines_between_definitions_are_skipped():
    defs = parse("""\
        #ifdef SOMETHING
        inst(A, (--)) { }
        #else
        #define X(y) \\
            (y) {
        inst(B, (--)) { }
        #endif
        """)
    assert [(d.name, d.loc.line) for d in defs] == [("A", 4), ("B", 8)]


def test_body_tokens_keep_special_calls_with_line_and_column():
    d = one("""\
        op(_GUARD, (left, right -- res)) {
            DEOPT_IF(!ok(left));
            if (x) { EXIT_IF(y); }
            // ERROR_IF(in_a_comment) is not a token
            char *s = "DECREF_INPUTS()";
            res = f(left, right);
            DECREF_INPUTS();
            ERROR_IF(res == NULL);
          SYNC_SP(); DEAD(left);
        }
        """)
    specials = [(t.text, t.line, t.col) for t in d.body.tokens if t.kind == "special"]
    assert specials == [
        ("DEOPT_IF", 4, 5), ("EXIT_IF", 5, 14), ("DECREF_INPUTS", 9, 5),
        ("ERROR_IF", 10, 5), ("SYNC_SP", 11, 3), ("DEAD", 11, 14),
    ]
    first = d.body.tokens[0]
    assert (first.kind, first.text, first.line, first.col) == ("op", "{", 3, 34)
    assert d.body.tokens[-1].text == "}"
    kinds = {t.kind for t in d.body.tokens}
    assert {"ident", "special", "op", "string"} <= kinds
    assert "comment" not in kinds


def test_body_code_masks_comments_and_literals_but_keeps_offsets():
    d = one("""\
        op(_A, (v --)) {
            use(v); // DECREF_INPUTS();
            s = "DEOPT_IF";
        }
        """)
    assert d.body.uses("use") and d.body.uses("v")
    assert not d.body.uses("DECREF_INPUTS") and not d.body.uses("DEOPT_IF")
    assert len(d.body.code) == len(d.body.text)
    i = d.body.code.index("use")
    assert d.body.line_col(i) == (4, 5)


def test_the_file_name_is_kept_on_every_definition():
    defs = parse("inst(A, (--)) { }\nmacro(M) = A;\nfamily(A) = { M };\nlabel(l) { }\n",
                 filename="dir/file.c")
    assert {d.loc.file for d in defs} == {"dir/file.c"}
    assert [d.to_json()["file"] for d in defs] == ["dir/file.c"] * 4


# -- header syntax errors ----------------------------------------------------------------

@pytest.mark.parametrize("dsl, line, col, message", [
    ("inst(A, (--))\nop(_B, (--)) { }\n", 4, 1, "expected '{' to start the body of inst A"),
    ("inst(A (--)) { }\n", 3, 8, "expected ',' after the name 'A'"),
    ("inst((--)) { }\n", 3, 6, "expected the name of the inst"),
    ("op(_A, (a, -- b)) { }\n", 3, 12, "expected a stack item name"),
    ("op(_A, (a b -- c)) { }\n", 3, 11, "expected '--' between inputs and outputs"),
    ("op(_A, (a -- b c)) { }\n", 3, 16, "expected ',' or ')' in the stack effect"),
    ("op(_A, (c/x --)) { }\n", 3, 11, "the size of the cache entry"),
    ("x = 1;\n", 3, 1, "expected a definition"),
    ("42 inst(A, (--)) { }\n", 3, 1, "expected a definition"),
    ("inst(A, (--)) { }\n}\n", 4, 1, "expected a definition"),
    ("pseudo(P, (a -- b)) = X;\n", 3, 23, "expected '{' or '['"),
    ("pseudo(P, (a -- b), (F G)) = { X };\n", 3, 24, "to close the flags"),
    ("label(l) ;\n", 3, 10, "expected '{' to start the body of label l"),
])
def test_header_errors_point_at_the_problem(dsl, line, col, message):
    e = error(dsl)
    assert (e.line, e.col) == (line, col), str(e)
    assert message in e.message
    assert line_text(e) == (HEADER + dsl).split("\n")[line - 1]


def test_error_renders_like_a_compiler():
    e = error("op(_A, (a -- c)) { /* open\n")
    assert isinstance(e, DSLError)
    assert str(e).splitlines()[:3] == [
        "bad.c:3:20: error: comment is never closed ('/*' without '*/')",
        "    op(_A, (a -- c)) { /* open",
        "                       ^",
    ]


def test_warning_says_where_why_and_what_was_skipped():
    e = error("op(_A, (a b -- c)) { }\n")
    assert str(e) == ("bad.c:3:11: warning: expected '--' between inputs and outputs of the "
                      "stack effect, found 'b'; skipped op _A (line 3)")


# -- robustness ----------------------------------------------------------------------------

def test_preprocessor_and_c_outside_the_markers_are_ignored():
    text = textwrap.dedent("""\
        #if defined(X) && \\
            defined(Y)
        #  define OPEN { \\
              (
        #else
        #  define CLOSE }
        #endif
        static const char *s = "{";
        // BEGIN BYTECODES //
        inst(A, (--)) { }
        // END BYTECODES //
        #define AFTER \\
            "unterminated
        """)
    assert [d.name for d in parse_text(text, "p.c").definitions] == ["A"]


def test_crlf_line_endings_parse_like_lf():
    lf = HEADER + "pure inst(A, (x -- y)) {\n    f(); // c\n}\nmacro(M) = A;\n" + FOOTER
    crlf = lf.replace("\n", "\r\n")
    a, b = parse_text(lf, "f.c").definitions, parse_text(crlf, "f.c").definitions
    assert [(d.kind, d.name, d.loc.line, d.loc.end_line) for d in a] == \
           [(d.kind, d.name, d.loc.line, d.loc.end_line) for d in b]
    assert a[0].inputs == b[0].inputs and a[0].annotations == b[0].annotations


def _dsl_region(text: str) -> tuple[str, str, str]:
    begin = text.index("// BEGIN BYTECODES //\n") + len("// BEGIN BYTECODES //\n")
    end = text.index("// END BYTECODES //")
    return text[:begin], text[begin:end], text[end:]


def _parse_or_dsl_error(text: str) -> None:
    try:
        parsed = parse_text(text, "cut.c")
    except DSLError as e:
        assert e.line >= 1 and e.col >= 1
        str(e)
        return
    for d in parsed.definitions:
        body = getattr(d, "body", None)
        if body is not None:
            try:
                body.tokens
            except DSLError:
                pass


def test_every_truncation_of_the_definitions_fails_cleanly():
    """Cut the definitions anywhere: a DSLError with a location or a parse, never a crash."""
    from pathlib import Path

    text = (Path(__file__).parent.parent / "fixtures" / "dsl" / "syntax_3_14.c").read_text()
    head, dsl, tail = _dsl_region(text)
    for cut in range(0, len(dsl), 3):
        _parse_or_dsl_error(head + dsl[:cut] + "\n" + tail)


def test_deleting_any_character_fails_cleanly():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "fixtures" / "dsl" / "syntax_3_15.c").read_text()
    head, dsl, tail = _dsl_region(text)
    for i in range(len(dsl)):
        _parse_or_dsl_error(head + dsl[:i] + dsl[i + 1:] + tail)


@pytest.mark.parametrize("dsl", [
    "op(_A, (c/1f --)) { }\n",
    "macro(M) = c/2.5 + _A;\n",
    "replicate(1e3) op(_A, (--)) { }\n",
])
def test_counts_and_cache_sizes_must_be_whole_numbers(dsl):
    e = error(dsl)
    assert "(a whole number)" in e.message


@pytest.mark.parametrize("size, kept", [
    ('opa"rg', None), ("opar'g", None),  # a literal never closed: the rest cannot be read
    ("oparg--2", ["B"]), ("a @ b", ["B"]),
    ("#x", []),  # a preprocessor line to its end, as in C: B's header is swallowed too
])
def test_an_array_size_that_is_no_expression_costs_its_definition_or_the_file(size, kept):
    text = HEADER + f"op(_A, (a, b[{size}] -- c)) {{ }}\ninst(B, (--)) {{ }}\n" + FOOTER
    if kept is None:
        with pytest.raises(DSLError) as info:
            parse_text(text, "x.c")
        assert "literal is never closed on its line" in info.value.message
        assert info.value.line == 3
        return
    parsed = parse_text(text, "x.c")
    assert [d.name for d in parsed.definitions] == kept
    assert parsed.warnings[0].line in (3, 4) and parsed.warnings[0].skipped.startswith("op _A (line")


@pytest.mark.parametrize("release", ["3_12", "3_13", "3_14", "3_15"])
def test_mutations_cost_definitions_or_refuse_the_file_cleanly(release):
    """Insert, delete or repeat a few characters anywhere: the file is read (a warning
    for each definition skipped, located inside the file) or refused with a DSLError."""
    import random
    from pathlib import Path

    text = (Path(__file__).parent.parent / "fixtures" / "dsl" / f"syntax_{release}.c").read_text()
    rnd = random.Random(release)
    for _ in range(300):
        i = rnd.randrange(len(text))
        j = min(len(text), i + rnd.randrange(1, 4))
        mutated = rnd.choice([
            text[:i] + text[j:],
            text[:j] + text[i:j] + text[j:],
            text[:i] + rnd.choice("{}()[]\"'/*#,-:;|+= \nab1") + text[i:],
        ])
        try:
            parsed = parse_text(mutated, "x.c")
        except DSLError:
            continue
        lines = mutated.count("\n") + 1
        for w in parsed.warnings:
            assert 1 <= w.line <= lines and w.col >= 1 and w.skipped, (i, j, str(w))
