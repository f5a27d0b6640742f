"""The TUI's data layer: filters, fuzzy search, readiness and sorting, without Textual."""

from __future__ import annotations

from .fakes import FakeClaim, FakeStore, make_task

from tracker.tasks import TaskSet
from tracker.tui.data import Filters, TrackerData, cycle, fuzzy_score, match, recipe_markdown


def data_of(tasks, **store_kw) -> TrackerData:
    return TrackerData.load(TaskSet({"origin": "test"}, tasks), FakeStore(**store_kw))


def test_fuzzy_prefers_substrings_and_word_starts():
    assert fuzzy_score("add", "_ADD_INT") is not None
    assert fuzzy_score("xyz", "_ADD_INT") is None
    assert fuzzy_score("addint", "refcount:_ADD_INT") is not None
    # a contiguous hit beats a scattered one
    assert fuzzy_score("addint", "refcount:_ADDINT") > fuzzy_score("addint", "refcount:_ADD_INT")
    # word starts beat letters in the middle of words
    assert fuzzy_score("ai", "_ADD_INT") > fuzzy_score("ai", "_ABCDI")


def test_match_needs_every_word():
    t = make_task(1, uop="_LOAD_ATTR", instructions=["LOAD_ATTR_SLOT"])
    assert match("load slot", t) is not None
    assert match("load float", t) is None


def test_filters_combine():
    tasks = [make_task(i) for i in range(20)]
    d = data_of(tasks)
    shown = d.visible(Filters(kind="refcount", difficulty="easy"))
    assert shown and all(t.kind == "refcount" and t.difficulty == "easy" for t in shown)
    assert {t.id for t in shown} == {t.id for t in tasks if t.kind == "refcount" and t.difficulty == "easy"}
    assert all(t.status == "blocked" for t in d.visible(Filters(status="blocked")))


def test_ready_only_follows_prerequisites():
    a = make_task(0, status="open", difficulty="easy")
    b = make_task(1, status="open", prerequisites=[a.id])
    c = make_task(2, status="done")
    d_ = make_task(3, status="open", prerequisites=[c.id])
    d = data_of([a, b, c, d_])
    assert {t.id for t in d.visible(Filters(ready_only=True))} == {a.id, d_.id}
    assert d.dependents[a.id] == [b.id]
    assert d.prerequisites[b.id] == [a.id]


def test_claimed_and_unclaimed_status_filters():
    tasks = [make_task(i, status="open") for i in range(4)]
    d = data_of(tasks, claims={tasks[1].id: FakeClaim(tasks[1].id, "ada", "2026-01-01")})
    assert [t.id for t in d.visible(Filters(status="claimed"))] == [tasks[1].id]
    assert tasks[1].id not in {t.id for t in d.visible(Filters(status="unclaimed"))}
    assert len(d.visible(Filters(status="unclaimed"))) == 3


def test_recommended_order_puts_good_first_tasks_on_top():
    hard = make_task(0, status="open", difficulty="hard")
    easy_claimed = make_task(1, status="open", difficulty="easy")
    easy_free = make_task(2, status="open", difficulty="easy")
    d = data_of([hard, easy_claimed, easy_free],
                claims={easy_claimed.id: FakeClaim(easy_claimed.id, "ada", "2026-01-01")})
    order = [t.id for t in d.visible(Filters())]
    assert order[0] == easy_free.id
    assert d.is_starter(easy_free) and not d.is_starter(easy_claimed) and not d.is_starter(hard)


def test_search_orders_by_score():
    a = make_task(0, uop="_ADD_FLOAT", id="refcount:_ADD_FLOAT")
    b = make_task(1, uop="_AND_DOUBLE_FLOW_AT", id="refcount:_AND_DOUBLE_FLOW_AT")
    c = make_task(2, uop="_SUB_INT", id="refcount:_SUB_INT")
    d = data_of([b, c, a])
    shown = [t.id for t in d.visible(Filters(query="add_float"))]
    assert shown[0] == a.id and c.id not in shown


def test_sort_and_reverse():
    tasks = [make_task(i, status="open") for i in range(6)]
    d = data_of(tasks)
    ids = [t.id for t in d.visible(Filters(sort="id"))]
    assert ids == sorted(ids)
    assert [t.id for t in d.visible(Filters(sort="id", reverse=True))] == ids[::-1]
    diffs = [t.difficulty for t in d.visible(Filters(sort="difficulty"))]
    assert diffs == sorted(diffs, key=("easy", "medium", "hard").index)


def test_broken_store_becomes_a_message():
    store = FakeStore()
    store.broken = "state.yaml:3:1: not YAML"
    d = TrackerData.load(TaskSet({}, [make_task(0)]), store)
    assert d.store_error and "state.yaml:3:1" in d.store_error
    assert d.claims == {}


def test_progress_per_kind():
    tasks = [make_task(i, kind="refcount", status=("open", "done")[i % 2]) for i in range(5)]
    d = data_of(tasks, claims={tasks[0].id: FakeClaim(tasks[0].id, "ada", "2026-01-01")})
    (row,) = d.progress()
    assert row == {"kind": "refcount", "total": 5, "done": 2, "open": 3, "blocked": 0, "claimed": 1}


def test_cycle_wraps():
    assert cycle("all", ("all", "a", "b")) == "a"
    assert cycle("b", ("all", "a", "b")) == "all"


def test_recipe_markdown_lays_out_items():
    t = make_task(0, recipe={"stack_effect_before": "(a -- b)", "stack_effect_after": "(a -- b, a_out)",
                             "files": ["Python/bytecodes.c"], "test": "run test_opt"})
    md = recipe_markdown(t)
    assert "Before:" in md and "(a -- b, a_out)" in md
    assert "`Python/bytecodes.c`" in md and "run test_opt" in md
    assert "no recipe" in recipe_markdown(make_task(1))
