"""Sync against the fake GitHub of :mod:`tests.github.fake`, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.cli.main import main
from tracker.errors import TrackerError
from tracker.github import client as gc, planning, writing
from tracker.store import Store
from tracker.tasks import Task, TaskSet
from tracker.tickets import Renderer

from .fake import OWNER, REPO, Fault, FakeGitHub

# ---------------------------------------------------------------------------- fixtures

def task(tid, difficulty="easy", status="open", prerequisites=(), **kw) -> Task:
    kind, subject = tid.split(":", 1)
    return Task(id=tid, kind=kind, title=f"Do {subject}", uop=subject if subject.startswith("_") else None,
                instructions=[subject.lstrip("_")], status=status, difficulty=difficulty,
                prerequisites=list(prerequisites), file="Python/bytecodes.c", line=10,
                recipe=kw.pop("recipe", {"pops": ["POP_TOP"]}), **kw)


def toy_tasks(**changes) -> TaskSet:
    tasks = [
        task("refcount:_A"), task("refcount:_B"), task("refcount:_C", "medium"),
        task("helper:_Make_Thing", "medium"),
        task("refcount:_D", "easy", prerequisites=["helper:_Make_Thing"]),
        task("optimizer:_E", "hard"), task("split:F", "medium"),
        task("refcount:_G", status="done"),
    ]
    for t in tasks:
        for key, value in changes.get(t.id, {}).items():
            setattr(t, key, value)
    return TaskSet({"revision": "0123456789abcdef"}, tasks)


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gc, "WRITE_INTERVAL", None)  # no 1 s pause between writes in tests
    return FakeGitHub(httpserver)


@pytest.fixture
def renderer():
    return Renderer()


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def client(fake, sleeps=None, **kw) -> gc.GitHub:
    return gc.GitHub(f"{OWNER}/{REPO}", "s3cret-token", base_url=fake.base_url, per_page=3,
                     sleep=sleeps if sleeps is not None else Sleeps(), **kw)


def sync(fake, taskset, renderer, store=None, max_new=10, sleeps=None, **kw):
    gh = client(fake, sleeps, **kw)
    issues = gh.issues()
    p = planning.plan(taskset, issues, renderer, max_new=max_new)
    result = writing.Executor(gh, renderer, store).run(taskset, p, issues)
    return p, result


def assert_no_duplicates(fake):
    dup = {tid: [i["number"] for i in found] for tid, found in fake.ours().items() if len(found) > 1}
    assert dup == {}


# ---------------------------------------------------------------------------- the planner

def test_plan_on_an_empty_repository_files_ready_and_easy_first(renderer):
    ts = toy_tasks()
    p = planning.plan(ts, [], renderer, max_new=4)
    creates = [a.id for a in p.actions if a.op == "create"]
    # one tracking issue per kind first, so that task issues can link theirs
    assert creates[:4] == ["umbrella:refcount", "umbrella:optimizer", "umbrella:helper", "umbrella:split"]
    # ready easy tasks first, then ready medium (refcount before helper); D waits for the helper
    assert creates[4:] == ["refcount:_A", "refcount:_B", "refcount:_C", "helper:_Make_Thing"]
    later = [a.id for a in p.actions if a.op == "later"]
    assert set(later) == {"refcount:_D", "split:F", "optimizer:_E"}
    assert "refcount:_G" not in {a.id for a in p.actions}  # done, never filed
    a = next(a for a in p.actions if a.id == "refcount:_A")
    assert "good first issue" in a.labels and "kind: refcount" in a.labels


def test_creation_order_puts_prerequisites_first():
    ts = toy_tasks()
    chosen, later = planning.creation_order([t for t in ts.tasks if t.status == "open"],
                                      {"refcount:_A"}, max_new=10)
    ids = [t.id for t in chosen]
    assert later == []
    assert ids.index("helper:_Make_Thing") < ids.index("refcount:_D")
    assert ids[0] == "refcount:_A"


def test_plan_leaves_foreign_and_human_closed_issues_alone(renderer):
    ts = toy_tasks()
    a = renderer.task(ts.get("refcount:_A"), ts)
    b = renderer.task(ts.get("refcount:_B"), ts)
    g = renderer.task(ts.get("refcount:_G"), ts)
    gone = renderer.task(task("refcount:_GONE"), TaskSet({}, [task("refcount:_GONE")]))
    issues = [
        gc.RemoteIssue(1, "A person's issue", "mentions refcount:_A", "open", [], [], "u1"),
        gc.RemoteIssue(2, a.title, a.body, "closed", [], [], "u2"),  # closed by a person, task open
        gc.RemoteIssue(3, b.title, b.body, "open", [], ["ann"], "u3"),
        gc.RemoteIssue(4, g.title, g.body, "open", [], [], "u4"),  # task done
        gc.RemoteIssue(5, gone.title, gone.body, "open", [], [], "u5"),
        gc.RemoteIssue(6, b.title, b.body, "open", [], [], "u6"),  # a duplicate of #3
    ]
    p = planning.plan(ts, issues, renderer, max_new=0)
    by = {(a.op, a.number) for a in p.actions if a.number}
    assert ("unchanged", 2) in by  # not reopened
    assert ("close", 4) in by and ("close", 5) in by
    assert ("skip", 6) in by
    assert not any(a.number == 1 for a in p.actions)  # no marker: invisible to sync
    # B's body links the umbrella that will be created, so it is due for an update
    assert ("update", 3) in by
    reason = next(a.reason for a in p.actions if a.number == 2)
    assert "not reopened" in reason


# ---------------------------------------------------------------------------- against the fake GitHub

def test_sync_creates_pages_and_second_run_writes_nothing(fake, renderer, tmp_path):
    fake.add_issue("Unrelated bug", "no marker here")
    fake.add_issue("A pull request", "<!-- not ours -->", pull_request=True)
    store = Store(tmp_path / "state.yaml")
    ts = toy_tasks()
    p, result = sync(fake, ts, renderer, store, max_new=10)
    assert result.stopped is None
    filed = fake.ours()
    trackers = {"umbrella:refcount", "umbrella:optimizer", "umbrella:helper", "umbrella:split"}
    assert set(filed) == trackers | {t.id for t in ts.tasks if t.status == "open"}
    assert_no_duplicates(fake)
    # labels defined in data/labels.yaml were created, with their colours
    assert fake.labels["good first issue"]["color"] == "7057ff"
    a = filed["refcount:_A"][0]
    assert {lb["name"] for lb in a["labels"]} >= {"good first issue", "kind: refcount", "difficulty: easy"}
    umbrella = filed["umbrella:refcount"][0]
    assert f"Tracking issue: #{umbrella['number']}" in a["body"]
    assert f"Tracking issue: #{filed['umbrella:helper'][0]['number']}" in filed["helper:_Make_Thing"][0]["body"]
    assert "## helper" not in umbrella["body"] and "Helper tasks are tracked in #" in umbrella["body"]
    helper = filed["helper:_Make_Thing"][0]
    d = filed["refcount:_D"][0]
    assert f"#{helper['number']}" in d["body"]  # prerequisite linked by number
    assert f"#{a['number']} `_A`" in umbrella["body"]
    # the foreign issue is untouched
    assert fake.issues[1]["body"] == "no marker here"
    assert store.issues()["refcount:_A"]["number"] == a["number"]
    # the token went in the Authorization header (never anywhere else)
    assert any("s3cret-token" in h for h in fake.authorization)

    fake.writes.clear()
    fake.requests.clear()
    p2, result2 = sync(fake, ts, renderer, store, max_new=10)
    assert fake.writes == []
    # 13 issues at per_page=3: the listing followed the Link headers through 5 pages
    pages = [path for m, path in fake.requests if m == "GET" and path.endswith("/issues")]
    assert len(pages) == 5
    assert result2.writes == 0
    assert {a.op for a in p2.actions} == {"unchanged"}


def test_sync_updates_closes_and_keeps_people_changes(fake, renderer, tmp_path):
    store = Store(tmp_path / "state.yaml")
    sync(fake, toy_tasks(), renderer, store)
    filed = {tid: found[0] for tid, found in fake.ours().items()}
    # a person adds a label, closes one issue, and assigns another
    filed["refcount:_A"]["labels"].append({"name": "needs review"})
    filed["refcount:_B"]["state"] = "closed"
    filed["refcount:_C"]["assignees"] = [{"login": "ann"}]
    fake.writes.clear()

    # upstream: _A's recipe changed, _C is done
    ts = toy_tasks(**{"refcount:_A": {"recipe": {"pops": ["_POP_TOP_INT"]}},
                      "refcount:_C": {"status": "done"}})
    p, result = sync(fake, ts, renderer, store)
    ops = {(a.op, a.id) for a in p.actions}
    assert ("update", "refcount:_A") in ops
    assert ("close", "refcount:_C") in ops
    assert ("unchanged", "refcount:_B") in ops
    a = filed["refcount:_A"]
    assert "_POP_TOP_INT" in a["body"]
    assert "needs review" in {lb["name"] for lb in a["labels"]}  # a person's label kept
    assert filed["refcount:_B"]["state"] == "closed"  # not reopened
    c = filed["refcount:_C"]
    assert c["state"] == "closed" and c["state_reason"] == "completed"
    comments = fake.comments[c["number"]]
    assert len(comments) == 1 and "0123456789ab" in comments[0]["body"]
    umbrella = fake.ours()["umbrella:refcount"][0]
    assert "- [x]" in umbrella["body"]  # _C checked off in the tracking issue
    # only what changed was written: _A, _C (comment + close), the umbrella
    assert sorted(fake.writes) == sorted([
        ("PATCH", f"{fake.repo_path}/issues/{a['number']}"),
        ("POST", f"{fake.repo_path}/issues/{c['number']}/comments"),
        ("PATCH", f"{fake.repo_path}/issues/{c['number']}"),
        ("PATCH", f"{fake.repo_path}/issues/{umbrella['number']}"),
    ])
    fake.writes.clear()
    sync(fake, ts, renderer, store)
    assert fake.writes == []


def test_assignees_become_claims(fake, renderer, tmp_path):
    store = Store(tmp_path / "state.yaml")
    sync(fake, toy_tasks(), renderer, store)
    issue = fake.ours()["refcount:_B"][0]
    issue["assignees"] = [{"login": "octocat"}]
    fake.writes.clear()
    p, result = sync(fake, toy_tasks(), renderer, store)
    claim = store.claims()["refcount:_B"]
    assert (claim.by, claim.source) == ("octocat", "assignee")
    assert claim.issue.endswith(f"/issues/{issue['number']}")
    umbrella = fake.ours()["umbrella:refcount"][0]
    assert "claimed by `octocat`" in umbrella["body"]
    # the assignment going away on GitHub drops the claim
    issue["assignees"] = []
    sync(fake, toy_tasks(), renderer, store)
    assert "refcount:_B" not in store.claims()


def test_a_500_is_retried_with_backoff(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "500", skip=2))
    fake.faults.append(Fault("GET", rf"{fake.repo_path}/issues", "500"))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps)
    assert result.stopped is None
    assert sleeps == [2.0, 2.0]
    assert_no_duplicates(fake)
    assert len(fake.ours()) == 4 + 7


def test_persistent_500_stops_cleanly_and_rerun_converges(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "500", skip=3, times=10))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps, max_retries=2)
    assert result.stopped and "500" in result.stopped and "run sync again" in result.stopped
    assert sleeps == [2.0, 4.0]
    assert len(fake.ours()) == 3
    fake.faults.clear()
    p, result = sync(fake, toy_tasks(), renderer)
    assert result.stopped is None
    assert_no_duplicates(fake)
    assert len(fake.ours()) == 4 + 7
    fake.writes.clear()
    sync(fake, toy_tasks(), renderer)
    assert fake.writes == []


def test_rate_limit_far_from_reset_stops_before_the_next_item(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "ratelimit", skip=4, reset_in=3600))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps)
    assert result.stopped and "rate limit" in result.stopped and "60 min" in result.stopped
    assert sleeps == []  # did not sit waiting for an hour
    assert len(fake.ours()) == 4
    assert_no_duplicates(fake)
    p, result = sync(fake, toy_tasks(), renderer)
    assert result.stopped is None
    assert len(fake.ours()) == 4 + 7
    assert_no_duplicates(fake)


def test_rate_limit_near_its_reset_waits_and_goes_on(fake, renderer):
    fake.faults.append(Fault("PATCH", rf"{fake.repo_path}/issues/\d+", "ratelimit", reset_in=20))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps)
    assert result.stopped is None
    assert len(sleeps) == 1 and 19 <= sleeps[0] <= 22
    assert len(fake.ours()) == 4 + 7


def test_secondary_rate_limit_waits_as_told(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "secondary", skip=1))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps)
    assert result.stopped is None and sleeps == [7.0]
    assert_no_duplicates(fake)
    assert len(fake.ours()) == 4 + 7


def test_low_remaining_budget_stops_before_an_item(fake, renderer):
    sync(fake, toy_tasks(), renderer)
    fake.remaining = 2  # the next answers say almost nothing is left
    fake.writes.clear()
    ts = toy_tasks(**{"refcount:_A": {"status": "done"}})
    p, result = sync(fake, ts, renderer)
    assert result.stopped and "requests left" in result.stopped
    assert fake.writes == []


def test_dropped_connection_after_create_makes_no_duplicate(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "drop_after", skip=2))
    fake.faults.append(Fault("PATCH", rf"{fake.repo_path}/issues/\d+", "drop"))
    sleeps = Sleeps()
    p, result = sync(fake, toy_tasks(), renderer, sleeps=sleeps)
    assert result.stopped is None
    assert len(sleeps) == 2
    assert_no_duplicates(fake)
    assert len(fake.ours()) == 4 + 7
    fake.writes.clear()
    sync(fake, toy_tasks(), renderer)
    assert fake.writes == []


def test_connection_dropped_every_time_stops_then_converges(fake, renderer):
    fake.faults.append(Fault("POST", rf"{fake.repo_path}/issues", "drop_after", skip=1, times=1))
    fake.faults.append(Fault("GET", rf"{fake.repo_path}/issues", "drop", skip=1, times=10))
    p, result = sync(fake, toy_tasks(), renderer, max_retries=1)
    assert result.stopped and "connection failed" in result.stopped
    fake.faults.clear()
    sync(fake, toy_tasks(), renderer)
    assert_no_duplicates(fake)
    assert len(fake.ours()) == 4 + 7


def test_close_stopped_between_comment_and_close_comments_once(fake, renderer):
    sync(fake, toy_tasks(), renderer)
    number = fake.ours()["refcount:_A"][0]["number"]
    fake.faults.append(Fault("PATCH", rf"{fake.repo_path}/issues/{number}", "ratelimit", reset_in=3600))
    ts = toy_tasks(**{"refcount:_A": {"status": "done"}})
    p, result = sync(fake, ts, renderer)
    assert result.stopped
    assert fake.issues[number]["state"] == "open" and len(fake.comments[number]) == 1
    p, result = sync(fake, ts, renderer)
    assert result.stopped is None
    assert fake.issues[number]["state"] == "closed" and len(fake.comments[number]) == 1


def test_writes_are_paced_by_default(fake):
    gc.WRITE_INTERVAL = 1.0  # restored by the fixture's monkeypatch
    gh = gc.GitHub(f"{OWNER}/{REPO}", "t", base_url=fake.base_url)
    assert gh.gh.requester._Requester__seconds_between_writes == 1.0


def test_unknown_repository_is_a_clear_error(fake, renderer):
    gh = gc.GitHub("octo/missing", "t", base_url=fake.base_url, sleep=Sleeps())
    with pytest.raises(TrackerError, match="octo/missing: not found"):
        gh.issues()


# ---------------------------------------------------------------------------- the command

def write_toy_sources(tmp_path: Path) -> list[str]:
    root = Path(__file__).resolve().parent.parent.parent / "data" / "examples"
    return ["--bytecodes", str(root / "bytecodes.c"), "--optimizer", str(root / "optimizer_bytecodes.c")]


def test_sync_command_plans_without_writing_then_applies(fake, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MY_TOKEN", "tok-123456")
    args = ["sync", *write_toy_sources(tmp_path), "--repo", f"{OWNER}/{REPO}", "--base-url", fake.base_url,
            "--token-env", "MY_TOKEN", "--state", str(tmp_path / "s.yaml"), "--max-new", "3"]
    assert main(args) == 0
    out = capsys.readouterr()
    assert fake.writes == []
    assert "create" in out.out and "--apply" in out.out
    assert "tok-123456" not in out.out + out.err
    assert main(args + ["--apply"]) == 0
    out = capsys.readouterr()
    assert len(fake.ours()) == 5 + 3  # a tracking issue per kind, and 3 tasks
    assert "tok-123456" not in out.out + out.err
    assert "tok-123456" not in (tmp_path / "s.yaml").read_text()


def test_sync_command_apply_needs_a_token(fake, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    code = main(["sync", *write_toy_sources(tmp_path), "--repo", f"{OWNER}/{REPO}",
                 "--base-url", fake.base_url, "--apply", "--state", str(tmp_path / "s.yaml")])
    assert code == 2
    assert "GITHUB_TOKEN" in capsys.readouterr().err
    assert fake.requests == []


def test_sync_command_rejects_a_bad_repo_name_or_url(tmp_path, capsys):
    assert main(["sync", *write_toy_sources(tmp_path), "--repo", "not a repo"]) == 2
    assert "OWNER/NAME" in capsys.readouterr().err
    assert main(["sync", *write_toy_sources(tmp_path), "--repo", "o/r", "--base-url", "github.example.com"]) == 2
    assert "--base-url must be an http(s) URL" in capsys.readouterr().err


def test_sync_command_bad_token_is_a_clear_error(fake, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "bad-token-42")
    code = main(["sync", *write_toy_sources(tmp_path), "--repo", f"{OWNER}/{REPO}",
                 "--base-url", fake.base_url, "--state", str(tmp_path / "s.yaml")])
    err = capsys.readouterr().err
    assert code == 1 and "GitHub rejected the token" in err
    assert "bad-token-42" not in err and "Traceback" not in err



def test_the_all_kinds_umbrella_of_earlier_versions_goes_on_as_the_refcount_tracking_issue(fake, renderer):
    from tracker.tickets import make_marker

    old = fake.add_issue("JIT: tracking issue for making uops JIT-friendly",
                         f"every kind\n{make_marker('umbrella', 'f' * 64)}\n")
    p, result = sync(fake, toy_tasks(), renderer)
    assert ("update", "umbrella:refcount") in {(a.op, a.id) for a in p.actions}
    filed = fake.ours()
    assert filed["umbrella:refcount"][0]["number"] == old["number"]
    assert filed["umbrella:refcount"][0]["title"] == "JIT: tracking issue for eliminating redundant refcounting"
    assert "umbrella" not in filed and len(filed["umbrella:refcount"]) == 1
    assert {"umbrella:optimizer", "umbrella:helper", "umbrella:split"} <= set(filed)
    fake.writes.clear()
    sync(fake, toy_tasks(), renderer)
    assert fake.writes == []
