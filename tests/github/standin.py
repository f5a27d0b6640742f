"""A stand-in python/cpython for the campaign reader: the campaign's issues in each form
CPython uses, a few dozen campaign pull requests among thousands of unrelated ones.

Every sentence here was written for these tests (no commenter's words). The facts follow
python/cpython's campaign threads as read through the search tool: who took which item,
which pull request worked on which uop, titles' shorthands (``_COMPARE_OP_X``, ``X_INT``,
``[_POP_TWO/_INSERT_2]_...``, ``_POP_TOP_LOAD_CONST_INLINE(_BORROW)``), a pull request
closed unmerged, a follow-up opened when the first issue closed, a list kept in a comment
with ``~~done~~`` items, a checklist whose boxes were not ticked when pull requests
merged. Pull requests numbered 16xxxx and people named ``new-*`` are invented, to cover
every form at least once. ``EXPECT_CLAIMS`` / ``EXPECT_PULLS`` are what the threads give:
the person on each task and the pull request working on it.
"""

from __future__ import annotations

from tracker.tasks import Task

REPO = "python/cpython"
LEAD = "Fidget-Spinner"


def _t(tid: str, instructions=()) -> Task:
    kind, subject = tid.split(":", 1)
    return Task(tid, kind, f"{kind} {subject}", subject if subject.startswith("_") else None,
                list(instructions) or [subject.lstrip("_")])


REFCOUNT = ["_IS_OP", "_COMPARE_OP_INT", "_COMPARE_OP_FLOAT", "_COMPARE_OP_STR", "_STORE_ATTR_INSTANCE_VALUE",
            "_LOAD_ATTR_WITH_HINT", "_BINARY_OP_ADD_INT", "_BINARY_OP_SUBTRACT_INT", "_BINARY_OP_MULTIPLY_INT",
            "_BINARY_OP_SUBSCR_TUPLE_INT", "_CALL_TYPE_1", "_MATCH_CLASS", "_BINARY_SLICE",
            "_UNPACK_SEQUENCE_TWO_TUPLE", "_CALL_LEN", "_DICT_UPDATE", "_CALL_ISINSTANCE", "_BINARY_OP_SUBSCR_DICT",
            "_STORE_SUBSCR_DICT", "_CONTAINS_OP", "_CONTAINS_OP_SET", "_CONTAINS_OP_DICT", "_TO_BOOL_STR",
            "_LOAD_SUPER_ATTR", "_BINARY_OP_EXTEND", "_CALL_STR_1", "_CALL_TUPLE_1", "_STORE_SUBSCR_LIST_INT",
            "_UNARY_NEGATIVE", "_UNARY_INVERT", "_DICT_MERGE", "_LIST_EXTEND", "_SET_UPDATE",
            "_STORE_ATTR_WITH_HINT", "_LOAD_ATTR_SLOT", "_UNPACK_SEQUENCE_TUPLE", "_UNPACK_SEQUENCE_LIST",
            "_CALL_LIST_APPEND"]
OPTIMIZER = ["_CHECK_FUNCTION", "_ITER_CHECK_LIST", "_FOR_ITER_TIER_TWO", "_CALL_LEN", "_CONTAINS_OP_SET",
             "_GUARD_NOS_INT", "_SET_IP", "_CHECK_VALIDITY", "_BINARY_OP_SUBSCR_LIST_INT", "_CALL_LIST_APPEND",
             "_GUARD_NOT_EXHAUSTED_LIST", "_LOAD_ATTR_MODULE", "_CALL_BUILTIN_O", "_STORE_FAST",
             "_POP_CALL_TWO_LOAD_CONST_INLINE_BORROW", "_CALL_ISINSTANCE", "_CHECK_IS_NOT_PY_CALLABLE"]
TASKS = [_t(f"refcount:{n}") for n in REFCOUNT] + [_t(f"optimizer:{n}") for n in OPTIMIZER]

EXPECT_CLAIMS: dict[str, str] = {}
EXPECT_PULLS: dict[str, int] = {}


def _claim(task: str, who: str) -> None:
    EXPECT_CLAIMS[task] = who


def _pull(task: str, number: int, who: str) -> None:
    EXPECT_PULLS[task] = number
    EXPECT_CLAIMS[task] = who


def build(fake, unrelated: int = 3000) -> None:
    """Fill ``fake`` (a FakeGitHub for python/cpython) with the stand-in campaign."""
    EXPECT_CLAIMS.clear()
    EXPECT_PULLS.clear()
    fake.next_number = 150000
    noise = iter(range(unrelated))

    def chatter(n: int) -> None:  # unrelated pull requests opened meanwhile
        for _ in range(n):
            i = next(noise, None)
            if i is None:
                return
            what = ("Fix a typo in the tutorial", "Speed up `_CALL_LEN` in the interpreter", "Update the docs",
                    "Add a test for `_IS_OP`", "Refactor the tokenizer")[i % 5]
            fake.add_pull(f"gh-{120000 + i}: {what}", f"* Issue: gh-{120000 + i}", f"someone{i % 97}",
                          state="closed" if i % 3 else "open", merged=i % 3 == 1)

    # ------------------------------------------------------------------ refcount, 2025: gh-134584 (closed)
    body = ("Refcounts cost time in the JIT; convert the ops below so their decrefs become explicit uops.\n\n"
            "- [x] `_IS_OP`\n- [ ] `_COMPARE_OP_INT`\n- [ ] `_COMPARE_OP_FLOAT`\n- [ ] `_COMPARE_OP_STR`\n"
            "- [ ] `_STORE_ATTR_INSTANCE_VALUE`\n- [x] `_LOAD_ATTR_WITH_HINT`\n- [ ] `_BINARY_OP_ADD_INT`\n"
            "- [ ] `_BINARY_OP_SUBTRACT_INT`\n- [ ] `_BINARY_OP_MULTIPLY_INT`\n- [ ] `_BINARY_OP_SUBSCR_TUPLE_INT`\n"
            "- [x] `_CALL_TYPE_1`\n- [ ] `_BINARY_SLICE`\n- [ ] `_UNPACK_SEQUENCE_TWO_TUPLE`\n- [ ] `_CALL_LEN`\n"
            "- [ ] `_TO_BOOL_STR`\n\n### Linked PRs\n* gh-135818\n* gh-142759\n* gh-142765\n")
    old = fake.add_issue("Eliminate redundant refcounting in the JIT", body, labels=["topic-JIT"],
                         number=134584, author=LEAD)
    c = lambda who, text, n=134584: fake.add_comment(n, who, text)  # noqa: E731
    pr = fake.add_pull
    c("tomasr8", "Happy to help here: I'll start with `_CALL_TYPE_1`.")
    c("Zheaoli", "Count me in, though I need a few days to read up on the earlier PRs.")
    c("Zheaoli", "My PR for `_CALL_STR_1` is up; I will try `_CALL_LIST_APPEND` next if you don't mind.")
    _claim("refcount:_CALL_LIST_APPEND", "Zheaoli")
    pr("gh-134584: Eliminate redundant refcounting from `_CALL_ISINSTANCE`", "* Issue: gh-134584", "noamcohen97",
       state="closed", number=136077)
    fake.add_comment(136077, LEAD, "Very nice, but we are blocked on another change; closing for now.")
    pr("gh-134584: Eliminate redundant refcounting from `_CALL_TYPE_1`", "* Issue: gh-134584", "tomasr8",
       merged=True, number=135818)
    _pull("refcount:_CALL_TYPE_1", 135818, "tomasr8")
    chatter(400)
    c("Zheaoli", "Could I work on `_STORE_ATTR_INSTANCE_VALUE`?")
    c(LEAD, "@Zheaoli sure, go ahead!")
    pr("gh-134584: Eliminate redundant refcounting from `_STORE_ATTR_INSTANCE_VALUE`", "* Issue: gh-134584",
       "Zheaoli", merged=True, number=142759)
    _pull("refcount:_STORE_ATTR_INSTANCE_VALUE", 142759, "Zheaoli")
    pr("gh-134584: Eliminate redundant refcounting from `_STORE_ATTR_WITH_HINT`", "* Issue: gh-134584", "Zheaoli",
       merged=True, number=142767)
    _pull("refcount:_STORE_ATTR_WITH_HINT", 142767, "Zheaoli")
    pr("gh-134584: JIT: Eliminate redundant refcount ops for X_INT", "* Issue: gh-134584", LEAD, merged=True,
       number=142765)
    for n in ("_BINARY_OP_ADD_INT", "_BINARY_OP_SUBTRACT_INT", "_BINARY_OP_MULTIPLY_INT"):
        _pull(f"refcount:{n}", 142765, LEAD)
    chatter(300)
    c("cocolato", "I'd like to pick up `_LOAD_ATTR_WITH_HINT` and `_BINARY_OP_SUBSCR_TUPLE_INT`.")
    pr("gh-134584: Eliminate redundant refcounting from `_LOAD_ATTR_WITH_HINT`", "* Issue: gh-134584", "cocolato",
       merged=True, number=143062)
    _pull("refcount:_LOAD_ATTR_WITH_HINT", 143062, "cocolato")
    pr("gh-134584: Eliminate redundant refcounting from `_BINARY_OP_SUBSCR_TUPLE_INT`", "* Issue: gh-134584",
       "cocolato", merged=True, number=143094)
    _pull("refcount:_BINARY_OP_SUBSCR_TUPLE_INT", 143094, "cocolato")
    pr("gh-134584:Eliminate redundant refcounting from `UNPACK_SEQUENCE` family", "* Issue: gh-134584", "cocolato",
       state="closed", number=142949)
    fake.add_comment(142949, "cocolato", "Sorry, my rebase went wrong here; I will open a clean one.")
    pr("gh-134584: Eliminate redundant refcounting from `IS_OP`", "* Issue: gh-134584", "cocolato", merged=True,
       number=143171)
    _pull("refcount:_IS_OP", 143171, "cocolato")
    pr("gh-134584: Eliminate redundant refcounting from `_COMPARE_OP_X`", "* Issue: gh-134584", "cocolato",
       merged=True, number=143186)
    for n in ("_COMPARE_OP_INT", "_COMPARE_OP_FLOAT", "_COMPARE_OP_STR"):
        _pull(f"refcount:{n}", 143186, "cocolato")
    chatter(300)
    pr("gh-134584: Eliminate redundant refcounting from `_LOAD_ATTR_SLOT`", "* Issue: gh-134584", "Zheaoli",
       merged=True, number=143320)
    _pull("refcount:_LOAD_ATTR_SLOT", 143320, "Zheaoli")
    c("new-ravi", "If `_UNPACK_SEQUENCE_TWO_TUPLE` is still free, I would like to do it.")
    c(LEAD, "> If `_UNPACK_SEQUENCE_TWO_TUPLE` is still free, I would like to do it.\n\n"
            "@cocolato has done that one already; their PR just needs merging.")
    _claim("refcount:_UNPACK_SEQUENCE_TWO_TUPLE", "cocolato")
    c("new-lin", "Could you say how to measure the speedup of these changes?")
    c("new-ola", "I'll take `_TO_BOOL_STR`.")
    c("new-ola", "Sorry, I can't finish `_TO_BOOL_STR` after all; anyone can pick it up.")
    c("new-ana", "I'm working on `_CALL_LEN` now.")
    _claim("refcount:_CALL_LEN", "new-ana")
    for i in range(70):  # the rest of 2025's conversions, for uops this stand-in has no task for
        pr(f"gh-134584: Eliminate redundant refcounting from `_OTHER_OP_{i}`", "* Issue: gh-134584",
           f"helper{i % 11}", state="closed" if i % 7 == 0 else "open", merged=i % 7 != 0 and i % 5 != 0,
           number=161000 + i)
        if i % 7 == 0:  # closed unmerged, with a word on why
            fake.add_comment(161000 + i, LEAD, "Closing: this one turned out not to be worth it.")
    for i in range(300):  # the long middle of a busy thread: thanks, benchmarks, questions
        c(f"reader{i % 13}", ("Thanks for the clear write-up!", "The nbody benchmark is 1% faster here.",
                              "Is `_CALL_LEN` escaping?", "What about the free-threaded build?")[i % 4])
    c(LEAD, "This is done now, thanks all. Further work goes in a new issue.")
    old["state"], old["closed_at"] = "closed", "2026-01-12T00:00:00Z"
    # after the close: a pull request still names it, one closed unmerged
    c("cocolato", "Let me take `_BINARY_SLICE` too.", 134584)
    pr("gh-134584: Eliminate redundant refcounting from BINARY_SLICE", "* Issue: gh-134584", "cocolato",
       state="closed", number=144596)
    fake.add_comment(144596, LEAD, "This slows the interpreter down; closing it for now, sorry.")
    pr("gh-134584: Eliminate redundant refcounting in JIT for `MATCH_CLASS`", "* Issue: gh-134584", "Sacul0457",
       merged=True, number=144821)
    _pull("refcount:_MATCH_CLASS", 144821, "Sacul0457")
    chatter(300)

    # ------------------------------------------------------------------ refcount, 2026: gh-145866 (follow-up)
    body = ("Follow-up to gh-134584: the ops still left.\n\n* DICT_UPDATE @Sacul0457\n* `_CALL_ISINSTANCE` @aisk\n"
            "* `_BINARY_OP_SUBSCR_DICT`\n* `_STORE_SUBSCR_DICT` @new-kai\n* `_CONTAINS_OP_{OP|OP_SET|OP_DICT}`\n"
            "* `_DICT_MERGE`\n* `_LIST_EXTEND`\n* `_SET_UPDATE`\n\n### Linked PRs\n* gh-160001\n")
    fake.add_issue("Eliminate redundant refcounting in the JIT (follow-up)", body, labels=["topic-JIT"],
                   number=145866, author=LEAD)
    _claim("refcount:_DICT_UPDATE", "Sacul0457")
    _claim("refcount:_CALL_ISINSTANCE", "aisk")
    _claim("refcount:_STORE_SUBSCR_DICT", "new-kai")
    c = lambda who, text: fake.add_comment(145866, who, text)  # noqa: E731
    pr("gh-145866: Eliminate redundant refcounting from `DICT_UPDATE`", "* Issue: gh-145866", "Sacul0457",
       number=160001)
    _pull("refcount:_DICT_UPDATE", 160001, "Sacul0457")
    c(LEAD, "@new-mia is going to convert `_BINARY_OP_SUBSCR_DICT` next.")
    _claim("refcount:_BINARY_OP_SUBSCR_DICT", "new-mia")
    c("new-kai", "Do I still have `_STORE_SUBSCR_DICT`? I was away for a while.")
    c(LEAD, "@new-kai yes you do")
    c("new-zoe", "@Fidget-Spinner would it be fine if I did the `_CONTAINS_OP` family?")
    c(LEAD, "@new-zoe Sure :)")
    pr("gh-145866: Eliminate redundant refcounting from `_CONTAINS_{OP|OP_SET|OP_DICT}`", "* Issue: gh-145866",
       "new-zoe", number=160002)
    for n in ("_CONTAINS_OP", "_CONTAINS_OP_SET", "_CONTAINS_OP_DICT"):
        _pull(f"refcount:{n}", 160002, "new-zoe")
    c(LEAD, "@new-ivo would you like `_DICT_MERGE`, `_LIST_EXTEND` and `_SET_UPDATE`?")
    c("new-ivo", "100% want to")
    for n in ("_DICT_MERGE", "_LIST_EXTEND", "_SET_UPDATE"):
        _claim(f"refcount:{n}", "new-ivo")
    pr("gh-145866: Eliminate redundant refcounting from `_LIST_EXTEND`", "* Issue: gh-145866", "new-ivo",
       state="closed", number=160003)
    pr("gh-145866: Eliminate redundant refcounting from `_LIST_EXTEND` and `_SET_UPDATE`",
       "Supersedes #160003.\n\n* Issue: gh-145866", "new-ivo", number=160004)
    fake.add_comment(160003, "new-ivo", "Superseded by #160004, which does both.")
    for n in ("_LIST_EXTEND", "_SET_UPDATE"):
        _pull(f"refcount:{n}", 160004, "new-ivo")
    chatter(300)
    # a follow-up of the follow-up, found by the reader (labelled topic-JIT, linking gh-145866)
    fake.add_issue("Eliminate redundant refcounting in the JIT for `_LOAD_SUPER_ATTR`",
                   "A follow-up to https://github.com/python/cpython/issues/145866 for one more op.",
                   labels=["topic-JIT", "type-feature"], number=160100, author="new-sam")
    fake.add_issue("Eliminate redundant refcounting for `_UNARY_NEGATIVE`", "Part of gh-145866, on its own.",
                   labels=["topic-JIT"], number=160101, author="new-kim")
    fake.add_issue("JIT crash in a debug build", "Seen since the changes of gh-145866; traceback below.",
                   labels=["topic-JIT", "type-crash"], number=160102, author="new-lee")  # not part of it
    # one-item issues
    fake.add_issue("Eliminate redundant refcounting in the JIT for `_BINARY_OP_EXTEND`",
                   "As a follow-up to gh-134584.\n\n### Linked PRs\n* gh-160005\n", labels=["topic-JIT"],
                   number=143995, author="aisk")
    pr("gh-143995: Eliminate redundant refcounting in the JIT for BINARY_OP_EXTEND", "* Issue: gh-143995", "aisk",
       merged=True, number=160005)
    _pull("refcount:_BINARY_OP_EXTEND", 160005, "aisk")
    fake.add_issue("Eliminate redundant refcounting for `_CALL_STR_1` and friends", "Small one.",
                   labels=["topic-JIT"], number=148171, author=LEAD)
    fake.add_comment(148171, "new-eli", "I'd like to work on this")
    _claim("refcount:_CALL_STR_1", "new-eli")
    chatter(300)

    # ------------------------------------------------------------------ optimizer: gh-131798 (open, <details>)
    body = ("Uops the optimizer ignores; I'll ~cross out~ the ones that make no sense.\n\n<details>\n\n"
            "- [ ] ~`_SET_IP`~ (12.1%)\n- [ ] ~`_CHECK_VALIDITY`~ (10.1%)\n- [x] `_GUARD_NOS_INT` (1.5%)\n"
            "- [ ] ~`_BINARY_OP_SUBSCR_LIST_INT`~ (1.0%)\n- [ ] `_CHECK_FUNCTION` (1.0%)\n"
            "- [ ] `_ITER_CHECK_LIST` (0.7%)\n- [x] `_CONTAINS_OP_SET` (0.6%)\n- [ ] `_FOR_ITER_TIER_TWO` (0.6%)\n"
            "- [ ] ~`_GUARD_NOT_EXHAUSTED_LIST`~ (0.6%)\n- [x] `_CALL_LEN` (0.5%)\n- [ ] `_CALL_LIST_APPEND` (0.4%)\n"
            "- [ ] `_LOAD_ATTR_MODULE` (0.3%)\n- [ ] `_CALL_BUILTIN_O` (0.2%)\n\n</details>\n\n"
            "### Linked PRs\n* gh-134268\n* gh-134369\n")
    fake.add_issue("Better uop coverage in the JIT optimizer", body, labels=["topic-JIT"], number=131798,
                   author="brandtbucher")
    c = lambda who, text: fake.add_comment(131798, who, text)  # noqa: E731
    pr("gh-131798: JIT: Narrow the return type of _CALL_LEN to int", "* Issue: gh-131798", "diegorusso",
       merged=True, number=132940)
    _pull("optimizer:_CALL_LEN", 132940, "diegorusso")
    pr("gh-131798: JIT: Narrow what `isinstance` returns for known arguments", "* Issue: gh-131798", "tomasr8",
       merged=True, number=133172)
    pr("gh-131798: JIT: Add `_POP_CALL_TWO_LOAD_CONST_INLINE_BORROW`", "* Issue: gh-131798", "tomasr8",
       merged=True, number=134268)
    pr("gh-131798: JIT: Optimize `_POP_CALL_TWO_LOAD_CONST_INLINE_BORROW`", "* Issue: gh-131798", "tomasr8",
       merged=True, number=134369)
    _pull("optimizer:_POP_CALL_TWO_LOAD_CONST_INLINE_BORROW", 134369, "tomasr8")
    c("new-tara", "Can I take `_ITER_CHECK_LIST`?")
    c("brandtbucher", "Sure :)")
    _claim("optimizer:_ITER_CHECK_LIST", "new-tara")
    c("brandtbucher", "@new-uma do you want `_FOR_ITER_TIER_TWO`?")
    c("new-uma", "100% want to")
    _claim("optimizer:_FOR_ITER_TIER_TWO", "new-uma")
    pr("gh-131798: JIT: Narrow the function version in `_CHECK_FUNCTION`", "* Issue: gh-131798", "new-vic",
       merged=True, number=160010)  # merged; the box stayed unticked
    _pull("optimizer:_CHECK_FUNCTION", 160010, "new-vic")
    pr("gh-131798: JIT: optimize `_CALL_LIST_APPEND`", "* Issue: gh-131798", "new-wes", number=160011)
    _pull("optimizer:_CALL_LIST_APPEND", 160011, "new-wes")
    pr("gh-131798: JIT: Further optimize `_CALL_ISINSTANCE` for class tuples", "* Issue: gh-131798", "tomasr8",
       number=134543)
    fake.add_comment(134543, "brandtbucher", "Why can't this one narrow to True? The result is known.")
    _pull("optimizer:_CALL_ISINSTANCE", 134543, "tomasr8")
    pr("gh-131798: Add `_CHECK_IS_NOT_PY_CALLABLE` to the JIT optimizer", "* Issue: gh-131798", "Wulian233",
       merged=True, number=148434)
    _pull("optimizer:_CHECK_IS_NOT_PY_CALLABLE", 148434, "Wulian233")
    c("new-xan", "Is `_LOAD_ATTR_MODULE` worth doing, given how rare it is?")
    c("new-yul", "I'll give `_CALL_BUILTIN_O` a try.")
    c("new-yul", "I'm dropping `_CALL_BUILTIN_O`, no time this month, sorry.")
    for i in range(150):
        c(f"reader{i % 17}", ("Here are the stats for this week.", "Which of these need a type guard first?",
                              "Great progress!")[i % 3])
    chatter(300)

    # ------------------------------------------------------------------ decompose: gh-148211 (a list in a comment)
    body = ("Now that the optimizer can emit several uops, split the composite ones into their parts.\n\n"
            "### Linked PRs\n* gh-148230\n* gh-148283\n* gh-148313\n* gh-148357\n")
    fake.add_issue("Refactor the JIT uops", body, labels=["topic-JIT"], number=148211, author=LEAD)
    c = lambda who, text: fake.add_comment(148211, who, text)  # noqa: E731
    c(LEAD, "Composite uops that can be split cleanly:\n\n- ~~`_POP_TOP_LOAD_CONST_INLINE`~~\n"
            "- ~~`_POP_TOP_LOAD_CONST_INLINE_BORROW`~~\n- `_INSERT_1_LOAD_CONST_INLINE`\n"
            "- `_INSERT_1_LOAD_CONST_INLINE_BORROW`\n- `_POP_TWO_LOAD_CONST_INLINE_BORROW`\n"
            "- `_INSERT_2_LOAD_CONST_INLINE_BORROW`\n- `_SHUFFLE_2_LOAD_CONST_INLINE_BORROW`\n"
            "- `_POP_CALL_ONE_LOAD_CONST_INLINE_BORROW`\n- `_LOAD_CONST_UNDER_INLINE`\n"
            "- `_LOAD_CONST_UNDER_INLINE_BORROW`\n")
    c("NekoAsakura", "I'll take these")
    for n in ("_INSERT_1_LOAD_CONST_INLINE", "_INSERT_1_LOAD_CONST_INLINE_BORROW", "_POP_TWO_LOAD_CONST_INLINE_BORROW",
              "_INSERT_2_LOAD_CONST_INLINE_BORROW", "_SHUFFLE_2_LOAD_CONST_INLINE_BORROW",
              "_POP_CALL_ONE_LOAD_CONST_INLINE_BORROW", "_LOAD_CONST_UNDER_INLINE", "_LOAD_CONST_UNDER_INLINE_BORROW"):
        _claim(f"decompose:{n}", "NekoAsakura")
    pr("gh-148211: decompose `_POP_TOP_LOAD_CONST_INLINE(_BORROW)` in JIT", "* Issue: gh-148211", "NekoAsakura",
       merged=True, number=148230)
    for n in ("_POP_TOP_LOAD_CONST_INLINE", "_POP_TOP_LOAD_CONST_INLINE_BORROW"):
        _pull(f"decompose:{n}", 148230, "NekoAsakura")
    pr("gh-148211: decompose `_INSERT_1_LOAD_CONST_INLINE(_BORROW)` in JIT", "* Issue: gh-148211", "NekoAsakura",
       merged=True, number=148283)
    for n in ("_INSERT_1_LOAD_CONST_INLINE", "_INSERT_1_LOAD_CONST_INLINE_BORROW"):
        _pull(f"decompose:{n}", 148283, "NekoAsakura")
    pr("gh-148211: decompose `[_POP_CALL_X/_SHUFFLE_2]_LOAD_CONST_INLINE_BORROW` in JIT", "* Issue: gh-148211",
       "NekoAsakura", merged=True, number=148313)
    for n in ("_POP_CALL_ONE_LOAD_CONST_INLINE_BORROW", "_SHUFFLE_2_LOAD_CONST_INLINE_BORROW"):
        _pull(f"decompose:{n}", 148313, "NekoAsakura")
    pr("gh-148211: decompose `[_POP_TWO/_INSERT_2]_LOAD_CONST_INLINE_BORROW` in JIT", "* Issue: gh-148211",
       "NekoAsakura", merged=True, number=148357)
    for n in ("_POP_TWO_LOAD_CONST_INLINE_BORROW", "_INSERT_2_LOAD_CONST_INLINE_BORROW"):
        _pull(f"decompose:{n}", 148357, "NekoAsakura")
    fake.add_comment(148357, "NekoAsakura", "Rebased on main again.\nNext PR would be: `_POP_CALL(_ONE/_TWO)`")
    for n in ("_POP_CALL", "_POP_CALL_ONE", "_POP_CALL_TWO"):
        _claim(f"decompose:{n}", "NekoAsakura")
    fake.add_comment(148357, LEAD, "Nice cleanup, thanks!")
    pr("gh-148211: decompose `_LOAD_CONST_UNDER_INLINE(_BORROW)` in JIT", "* Issue: gh-148211", "new-bo",
       number=160020)
    for n in ("_LOAD_CONST_UNDER_INLINE", "_LOAD_CONST_UNDER_INLINE_BORROW"):
        _pull(f"decompose:{n}", 160020, "new-bo")
    c("new-bo", "I already have a branch for these, so I opened a PR for `_LOAD_CONST_UNDER_INLINE(_BORROW)`.")
    chatter(unrelated)  # the rest of the noise
