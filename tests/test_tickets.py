"""Rendered tickets: golden files, fences that survive backticks, labels, template errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from tracker import tickets
from tracker.cli.main import main
from tracker.errors import DataError, TrackerError
from tracker.tasks import ReleasedInput, Task, TaskSet
from tracker.tickets import Links, Renderer, content_hash, fence, inline_code, parse_marker

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"

# Made-up DSL text (not CPython's): a comment and a string full of backticks.
BACKTICK_EXCERPT = '''op(_TOY_FORMAT, (value -- res)) {
    // renders ```value``` as Markdown, and ```` too
    PyObject *o = Toy_Format(PyStackRef_AsPyObjectBorrow(value), "`%s`");
    DECREF_INPUTS();
    ERROR_IF(o == NULL);
    res = PyStackRef_FromPyObjectSteal(o);
}

macro(TOY_FORMAT) = _TOY_FORMAT;'''


def fixture_tasks() -> TaskSet:
    fmt = Task(
        id="refcount:_TOY_FORMAT", kind="refcount", title="Eliminate redundant refcounting in _TOY_FORMAT",
        uop="_TOY_FORMAT", instructions=["TOY_FORMAT"], difficulty="easy",
        reasons=["1 released input(s): value", "escaping call(s): Toy_Format"],
        released_inputs=[ReleasedInput("value", 4, "DECREF_INPUTS")],
        recipe={
            "stack_effect_before": "(value -- res)",
            "stack_effect_after": "(value -- res, v)",
            "macro_before": "macro(TOY_FORMAT) = _TOY_FORMAT;",
            "macro_after": "macro(TOY_FORMAT) = _TOY_FORMAT + POP_TOP;",
            "pops": ["POP_TOP"],
            "optimizer_change": "none: _TOY_FORMAT has no optimizer case",
            "array_inputs": [],
            "review_note": "a key the template has never heard of",
            "test": "a loop formatting an int; assert POP_TOP follows _TOY_FORMAT in the trace",
        },
        file="Python/bytecodes.c", line=120, end_line=126,
        explanation="_TOY_FORMAT releases its input itself (DECREF_INPUTS).",
        excerpt=BACKTICK_EXCERPT,
    )
    opt = Task(
        id="optimizer:_TOY_LEN", kind="optimizer", title="Add an optimizer case for _TOY_LEN",
        uop="_TOY_LEN", instructions=["TOY_LEN"], difficulty="medium",
        reasons=["the result's type is known: int"],
        recipe={"case": "op(_TOY_LEN, (obj -- obj, len)) {\n    len = sym_new_type(ctx, &PyLong_Type);\n}",
                "known": ["the result is an int"]},
        file="Python/bytecodes.c", line=300, end_line=305,
        prerequisites=["helper:_Toy_Len_Borrow"],
    )
    helper = Task(
        id="helper:_Toy_Len_Borrow", kind="helper", title="Add a variant of _Toy_Len that borrows",
        uop=None, instructions=["TOY_LEN"], difficulty="medium", status="open",
        reasons=["1 conversion(s) wait for it: _TOY_LEN"], recipe={"users": ["optimizer:_TOY_LEN"]},
    )
    done = Task(id="refcount:_TOY_NOP", kind="refcount", title="done one", uop="_TOY_NOP",
                instructions=["TOY_NOP"], status="done")
    return TaskSet({"revision": "feedc0ffee1234567890", "origin": "fixture"}, [fmt, opt, helper, done])


def fixture_links() -> Links:
    return Links({"umbrella": 1, "helper:_Toy_Len_Borrow": 12, "refcount:_TOY_FORMAT": 11},
                 {"refcount:_TOY_FORMAT": "ann"})


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("task_id", ["refcount:_TOY_FORMAT", "optimizer:_TOY_LEN", "helper:_Toy_Len_Borrow"])
def test_task_ticket_matches_golden(task_id):
    ts = fixture_tasks()
    ticket = Renderer().task(ts.get(task_id), ts, fixture_links())
    golden(tickets.ticket_filename(task_id), ticket.document())


def test_umbrella_matches_golden():
    ticket = Renderer().umbrella(fixture_tasks(), fixture_links())
    golden("umbrella.md", ticket.document())


def test_excerpt_with_backticks_survives_the_fence():
    ts = fixture_tasks()
    body = Renderer().task(ts.get("refcount:_TOY_FORMAT"), ts).body
    blocks = [t for t in MarkdownIt().parse(body) if t.type == "fence"]
    # the whole excerpt is one code block, byte for byte, and nothing leaked out of it
    assert BACKTICK_EXCERPT + "\n" in [b.content for b in blocks]
    assert [b.info for b in blocks if b.content == BACKTICK_EXCERPT + "\n"] == ["c"]


def test_fence_is_longer_than_any_backtick_run():
    assert fence("no ticks") == "```"
    assert fence("a ``` b") == "````"
    assert fence("`````") == "``````"
    assert inline_code("`x`") == "`` `x` ``"
    tokens = MarkdownIt().parseInline(inline_code("a``b"))[0].children
    assert [t.content for t in tokens if t.type == "code_inline"] == ["a``b"]


def test_snapshot_ticket_says_where_and_how_to_get_the_text():
    ts = fixture_tasks()
    body = Renderer().task(ts.get("optimizer:_TOY_LEN"), ts).body
    assert "`Python/bytecodes.c`, line 300–305" in body
    assert "jit-tracker tickets path/to/cpython" in body


def test_marker_hash_is_of_the_content_without_the_marker():
    ts = fixture_tasks()
    t = Renderer().task(ts.get("refcount:_TOY_FORMAT"), ts)
    tid, digest = parse_marker(t.body)
    assert tid == "refcount:_TOY_FORMAT" and digest == t.hash
    without = t.body.replace(tickets.make_marker(tid, digest), "").rstrip()
    assert content_hash(t.title, t.labels, without) == digest
    # a changed prerequisite link changes the hash
    other = Renderer().task(ts.get("optimizer:_TOY_LEN"), ts, Links({"helper:_Toy_Len_Borrow": 5}))
    again = Renderer().task(ts.get("optimizer:_TOY_LEN"), ts, Links({"helper:_Toy_Len_Borrow": 6}))
    assert other.hash != again.hash
    assert parse_marker("<!-- jit-tracker: id=x hash=zz -->") is None
    assert parse_marker(None) is None


def test_titles_in_cpython_style():
    ts = fixture_tasks()
    r = Renderer()
    assert r.task(ts.get("refcount:_TOY_FORMAT"), ts).title == "JIT: eliminate redundant refcounting in `_TOY_FORMAT`"
    assert r.task(ts.get("optimizer:_TOY_LEN"), ts).title == "JIT: teach the tier-2 optimizer about `_TOY_LEN`"


def test_good_first_issue_only_for_easy_ready_tasks():
    ts = fixture_tasks()
    r = Renderer()
    assert "good first issue" in r.task(ts.get("refcount:_TOY_FORMAT"), ts).labels
    assert "good first issue" not in r.task(ts.get("optimizer:_TOY_LEN"), ts).labels  # medium, waits
    ts.get("refcount:_TOY_FORMAT").prerequisites = ["helper:_Toy_Len_Borrow"]  # now not ready
    labels = r.task(ts.get("refcount:_TOY_FORMAT"), ts).labels
    assert "good first issue" not in labels and "difficulty: easy" in labels


def test_label_rules_errors_name_the_file(tmp_path):
    bad = tmp_path / "labels.yaml"
    bad.write_text("define:\n  - {name: a, color: '123456'}\nall: [a, b]\n")
    with pytest.raises(DataError, match=r"labels.yaml: label\(s\) used but not under define: b"):
        tickets.load_labels(bad)
    bad.write_text("define:\n  - {name: a, color: red}\n")
    with pytest.raises(DataError, match=r"define\[0\] \(a\): color must be 6 hex digits"):
        tickets.load_labels(bad)
    bad.write_text("define:\n  - {name: a, color: '123456'}\nkind: {refcont: [a]}\n")
    with pytest.raises(DataError, match="unknown kind.*refcont"):
        tickets.load_labels(bad)
    bad.write_text("define: [\n")
    with pytest.raises(DataError, match="labels.yaml:2:1: not valid YAML"):
        tickets.load_labels(bad)


def test_missing_template_is_a_clear_error(tmp_path):
    (tmp_path / "umbrella.md.j2").write_text("{% set title = 'x' %}body\n")
    ts = fixture_tasks()
    with pytest.raises(TrackerError, match=r"template task\.md\.j2 not found in " + str(tmp_path)):
        Renderer(tmp_path).task(ts.tasks[0], ts)


def test_template_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "task.md.j2").write_text("{% set title = 'x' %}\nline two\n{% if task %}\nno endif\n")
    ts = fixture_tasks()
    with pytest.raises(TrackerError, match=r"task\.md\.j2:\d+: template syntax error"):
        Renderer(tmp_path).task(ts.tasks[0], ts)


def test_template_runtime_error_names_file_and_line(tmp_path):
    (tmp_path / "task.md.j2").write_text("{% set title = 'x' %}\nok\n{{ task.no_such_field }}\n")
    ts = fixture_tasks()
    with pytest.raises(TrackerError, match=r"task\.md\.j2:3: template error: .*no_such_field"):
        Renderer(tmp_path).task(ts.tasks[0], ts)


def test_template_must_set_a_title(tmp_path):
    (tmp_path / "task.md.j2").write_text("just a body\n")
    ts = fixture_tasks()
    with pytest.raises(TrackerError, match="must set a non-empty `title`"):
        Renderer(tmp_path).task(ts.tasks[0], ts)


def test_templates_are_found_beside_the_package():
    assert (tickets.locate_templates() / "task.md.j2").is_file()
    assert tickets.locate_templates("/somewhere") == Path("/somewhere")


def read_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def test_tickets_command_writes_one_file_per_task(tmp_path, capsys):
    out = tmp_path / "tickets"
    code = main(["tickets", "--bytecodes", str(EXAMPLES / "bytecodes.c"), "--optimizer",
                 str(EXAMPLES / "optimizer_bytecodes.c"), "--out", str(out), "--state", str(tmp_path / "s.yaml")])
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    from tracker import rules, sources
    ts = rules.scan(sources.from_files(str(EXAMPLES / "bytecodes.c"), str(EXAMPLES / "optimizer_bytecodes.c")))
    kinds = {t.kind for t in ts.tasks}
    trackers = [f"umbrella-{k}.md" for k in sorted(kinds)]  # one tracking issue per kind
    assert set(trackers) <= set(files)
    assert len(files) == len(ts.tasks) + len(kinds)
    for t in ts.tasks:
        front, body = read_front_matter(out / tickets.ticket_filename(t.id))
        assert front["id"] == t.id
        assert front["title"].startswith("JIT: ")
        assert "topic-JIT" in front["labels"]
        assert parse_marker(body)[0] == t.id
    items = 0
    for name in trackers:
        umbrella, body = read_front_matter(out / name)
        assert "tracking" in umbrella["labels"] and umbrella["id"] == "umbrella:" + name[9:-3]
        items += body.count("- [")
    assert items == len(ts.tasks)


def test_tickets_command_uses_issue_numbers_from_the_state(tmp_path):
    from tracker.store import Store

    state = tmp_path / "s.yaml"
    Store(state).set_issue("umbrella:refcount", 42, "https://github.example/o/r/issues/42", "open")
    Store(state).set_issue("umbrella", 7, "https://github.example/o/r/issues/7", "open")  # an older all-kinds one
    out = tmp_path / "t"
    assert main(["tickets", "--bytecodes", str(EXAMPLES / "bytecodes.c"), "--out", str(out),
                 "--state", str(state)]) == 0
    assert "Tracking issue: #42." in (out / "refcount-_ADD.md").read_text()
    assert "Tracking issue: #7." in (out / "split-IS.md").read_text()


def test_tickets_command_with_own_templates_and_bad_ones(tmp_path, capsys):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "task.md.j2").write_text("{% set title = 'Task ' ~ task.id %}Body of {{ task.id }}\n")
    (tpl / "umbrella.md.j2").write_text("{% set title = 'All' %}{{ total }} tasks\n")
    out = tmp_path / "out"
    args = ["tickets", "--bytecodes", str(EXAMPLES / "bytecodes.c"), "--out", str(out),
            "--template-dir", str(tpl), "--state", str(tmp_path / "s.yaml")]
    assert main(args) == 0
    front, body = read_front_matter(out / "umbrella-refcount.md")
    assert front["title"] == "All" and body.startswith("All") is False and "tasks" in body
    (tpl / "task.md.j2").write_text("{% set title = 'x' %}{{ task.id \n")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "task.md.j2:1: template syntax error" in err and "Traceback" not in err


def test_ticket_reads_the_same_wherever_the_checkout_was():
    """A scan of /home/a/cpython and one of ./cpython must not flip every issue on GitHub."""
    def render(root: str) -> tickets.Ticket:
        t = Task(id="refcount:_TOY", kind="refcount", title="t", uop="_TOY", instructions=["TOY"],
                 file=f"{root}/Python/bytecodes.c", line=3,
                 recipe={"optimizer_change": {"file": f"{root}/Python/optimizer_bytecodes.c", "line": 9}})
        return Renderer().task(t, TaskSet({}, [t]))
    a, b = render("/home/ann/src/cpython"), render("cpython")
    assert a.body == b.body and a.hash == b.hash
    assert "/home/ann" not in a.body and "`Python/bytecodes.c`, line 3" in a.body
    assert "Python/optimizer_bytecodes.c" in a.body
