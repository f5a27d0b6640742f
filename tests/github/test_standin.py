"""Reading python/cpython's campaign within GitHub's free hour, against a stand-in over real
HTTP (tests/github/standin.py: the campaign's issues in every form, 3,000 unrelated pull
requests): the requests a first read and a rerun cost, a rate limit met half-way, and
who and which pull request the reader finds on each task."""

from __future__ import annotations

import pytest

from tracker.campaign import tracking
from tracker.cli.main import main
from tracker.github import reading, rest
from tracker.store import Store
from tracker.tasks import TaskSet

from . import standin
from .fake import FakeGitHub

FIRST_READ_BUDGET = 60  # GitHub's unauthenticated hour
RERUN_BUDGET = 15


@pytest.fixture(scope="module")
def server():
    from pytest_httpserver import HTTPServer

    srv = HTTPServer()
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def cpython(server):
    server.clear()
    fake = FakeGitHub(server, repo=standin.REPO)
    standin.build(fake)
    return fake


def read(fake, **kw) -> reading.Campaign:
    table = tracking.load()
    reader = rest.Reader(standin.REPO, None, base_url=fake.base_url, sleep=lambda s: None, **kw)
    return reading.read_campaign(reader, TaskSet({}, standin.TASKS), tracking.campaign(standin.REPO, table=table),
                                 kinds=table.kinds)


def test_the_stand_in_has_python_cpython_volume(cpython):
    campaign = {134584, 145866, 131798, 148211, 143995, 148171}
    linked = [p for p in cpython.pulls if any(str(n) in p["title"] + p["body"] for n in campaign)]
    assert len(cpython.pulls) - len(linked) >= 3000 and len(linked) >= 20


def test_a_first_read_fits_the_unauthenticated_hour_and_a_rerun_costs_almost_nothing(cpython):
    first = read(cpython)
    assert first.stopped is None
    assert cpython.counted == first.requests["counted"] <= FIRST_READ_BUDGET
    assert not [p for m, p in cpython.requests if p.endswith("/pulls")]  # never listed
    assert not [p for m, p in cpython.requests if "/issues?" in p]
    # nothing new: every request is conditional (304s do not count) or not sent at all
    before = cpython.counted
    again = read(cpython)
    assert cpython.counted - before == again.requests["counted"] <= RERUN_BUDGET
    # counted: the issue the stand-in lacks (a 404), and once, the since= listing of each open
    # pull request's thread (a new URL); a third read counts only the 404
    assert again.requests["counted"] <= 1 + len([p for p in first.pulls.values() if p.state == "open"])
    assert read(cpython).requests["counted"] == 1
    # GitHub exempts 304s only for requests with a token: even counting them all, a rerun
    # without a token stays within the budget, since closed threads are not asked at all
    assert again.requests["sent"] <= RERUN_BUDGET
    assert again.requests["not_modified"] > 0 and again.requests["kept"] > 0  # closed threads not even asked
    assert {t: c.by for t, c in again.claims.items()} == {t: c.by for t, c in first.claims.items()}
    # one new comment on an open issue: one page changes
    cpython.add_comment(145866, "new-fay", "I'll take `_CALL_TUPLE_1`.")
    before = cpython.counted
    third = read(cpython)
    assert cpython.counted - before <= 3
    assert third.claims["refcount:_CALL_TUPLE_1"].by == "new-fay"


def test_who_and_which_pull_request_per_task(cpython):
    found = read(cpython)
    claims = {t: c.by for t, c in found.claims.items()}
    pulls = {t: p.number for t, p in found.pulls.items()}
    false_claims = {t: who for t, who in claims.items() if standin.EXPECT_CLAIMS.get(t) != who}
    assert false_claims == {}
    assert claims == standin.EXPECT_CLAIMS
    assert pulls == standin.EXPECT_PULLS
    # forms: a merged PR outranks an unticked box, a closed one gives the task back,
    # superseded moves it, the list's @login assigns, ~~done~~ in a comment, new kinds
    assert found.pulls["optimizer:_CHECK_FUNCTION"].state == "merged"
    assert "refcount:_BINARY_SLICE" not in claims and "refcount:_BINARY_SLICE" not in pulls
    assert pulls["refcount:_LIST_EXTEND"] == 160004
    assert found.claims["refcount:_STORE_SUBSCR_DICT"].by == "new-kai"
    assert found.checklist["decompose:_POP_TOP_LOAD_CONST_INLINE"]["status"] == "done"
    assert found.checklist["optimizer:_SET_IP"]["status"] == "not planned"
    assert found.checklist["optimizer:_GUARD_NOS_INT"]["status"] == "done"
    assert "decompose:_POP_CALL_TWO" in found.extra_tasks
    assert found.pulls["refcount:_DICT_UPDATE"].status == "in review"
    # the follow-up of the follow-up and a one-item issue are reported, not adopted; a bug
    # report that mentions the campaign is neither
    assert sorted((f["number"], f["role"]) for f in found.followups) == [(160100, "follow-up"), (160101, "item")]
    assert any("#143732 not read" in w for w in found.warnings)


def test_a_rate_limit_met_half_way_keeps_what_was_read_and_says_when_to_go_on(cpython):
    cpython.budget = 5
    part = read(cpython)
    assert part.stopped and "resets at" in part.stopped and "run the same command again" in part.stopped
    assert part.requests["counted"] == 5
    cpython.budget = 60
    before = cpython.counted
    whole = read(cpython)
    assert whole.stopped is None
    # what was read before the limit is asked again conditionally: 304s, not counted (all
    # but the stand-in's missing issue, a 404, which is asked again)
    assert whole.requests["not_modified"] + whole.requests["kept"] >= 4
    assert cpython.counted - before <= FIRST_READ_BUDGET - 5
    assert {t: c.by for t, c in whole.claims.items()} == standin.EXPECT_CLAIMS


def test_read_only_sync_of_python_cpython_fits_the_hour(cpython, tmp_path, capsys, monkeypatch):
    from .test_sync import write_toy_sources

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    state = tmp_path / "s.yaml"
    argv = ["sync", *write_toy_sources(tmp_path), "--repo", standin.REPO, "--label", "jit-tracker",
            "--base-url", cpython.base_url, "--state", str(state)]
    assert main(argv) == 0
    out = capsys.readouterr()
    assert "campaign of python/cpython" in out.out and "Traceback" not in out.err
    assert "found a follow-up of #145866" in out.err and "--adopt-followups" in out.err
    assert cpython.counted <= FIRST_READ_BUDGET and cpython.writes == []
    before = cpython.counted
    assert main(argv + ["--adopt-followups"]) == 0
    assert cpython.counted - before <= RERUN_BUDGET
    assert "adopted a follow-up" in capsys.readouterr().err
    remembered = Store(state).get_setting("tracking")["python/cpython"]
    assert [160100, "follow-up"] in remembered["refcount"]  # (the toy tasks have no _UNARY_NEGATIVE: no item)
    assert tracking.adopted("python/cpython", remembered)["refcount"] == 160100


def test_a_rate_limited_sync_exits_cleanly_and_says_when(cpython, tmp_path, capsys, monkeypatch):
    from .test_sync import write_toy_sources

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    cpython.budget = 3
    argv = ["sync", *write_toy_sources(tmp_path), "--repo", standin.REPO, "--label", "jit-tracker",
            "--base-url", cpython.base_url, "--state", str(tmp_path / "s.yaml")]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "rate limit" in err and "resets at" in err and "Traceback" not in err


def test_update_reads_the_campaign_with_the_definitions(cpython, tmp_path, capsys, monkeypatch):
    from .test_source import files

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    cpython.add_commit(files(), date="2026-11-20T10:00:00Z")
    state = tmp_path / "s.yaml"
    assert main(["update", "--base-url", cpython.base_url, "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("updated: CPython main ") and "campaign of python/cpython" in out
    st = Store(state)
    # the toy definitions have none of the stand-in's tasks but the new kind's, from the lists
    assert st.claims()["decompose:_POP_CALL"].by == "NekoAsakura"
    assert st.get_setting("github")["tracking"]["refcount"] == 145866  # where a claim is posted
    assert cpython.counted <= FIRST_READ_BUDGET + 5  # the definitions cost a few more


def test_update_with_the_limit_met_during_the_campaign_still_updates(cpython, tmp_path, capsys, monkeypatch):
    from .test_source import files

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    cpython.add_commit(files(), date="2026-11-20T10:00:00Z")
    cpython.budget = 10  # the definitions, then a few of the campaign's requests
    assert main(["update", "--base-url", cpython.base_url, "--state", str(tmp_path / "s.yaml")]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("updated: CPython main ")
    assert "the campaign was read in part" in captured.err and "resets at" in captured.err


def test_a_long_open_pull_request_thread_is_asked_only_for_what_is_new(cpython):
    for i in range(150):  # a review that went on and on
        cpython.add_comment(160002, "reviewer", f"Nit {i}: a blank line here, please.")
    read(cpython)
    cpython.add_comment(160002, "new-zoe", "Next PR would be: `_TO_BOOL_STR`")
    before = len(cpython.queries)
    found = read(cpython)
    asked = [q for m, q in cpython.queries[before:] if "/issues/160002/comments" in q]
    assert asked and all("since=" in q for q in asked) and len(asked) == 1  # one short page
    assert found.claims["refcount:_TO_BOOL_STR"].by == "new-zoe"
