"""Reading the campaign over real HTTP (the fake GitHub of tests.github.fake): claims in
comments, pull requests working on tasks, adopted tracking issues read and never written."""

from __future__ import annotations

import pytest

from tracker.campaign.names import NameIndex
from tracker.campaign.tracking import Tracked
from tracker.github import client as gc, planning, reading, rest
from tracker.tasks import TaskSet
from tracker.tickets import make_marker

from ..campaign.corpus import CASES, TASKS
from .fake import OWNER, REPO, FakeGitHub

HERE = f"{OWNER}/{REPO}"


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gc, "WRITE_INTERVAL", None)
    return FakeGitHub(httpserver)


def client(fake) -> gc.GitHub:
    return gc.GitHub(HERE, "tok", base_url=fake.base_url, per_page=2, sleep=lambda s: None)


def task_issue(fake, task_id, state="open"):
    return fake.add_issue(f"Task {task_id}", f"body\n{make_marker(task_id, '0' * 64)}\n", state=state)


def reader(fake, **kw) -> rest.Reader:
    return rest.Reader(HERE, "tok", base_url=fake.base_url, sleep=lambda s: None, **kw)


def read(fake, adopted=None, **kw):
    """Read the fake's campaign as sync does: adopted issues, and the open task issues."""
    kept, _ = planning.ours(client(fake).issues())
    task_issues = {tid: i.number for tid, i in kept.items() if i.state == "open"}
    tracked = [Tracked(k, n) for k, n in (adopted or {}).items()]
    return reading.read_campaign(reader(fake, **kw), TaskSet({}, TASKS), tracked, task_issues=task_issues)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_comment_corpus_over_http(fake, case):
    _, where, thread, expected = case
    place, _, rest = where.partition(":")
    adopted = {}
    if place == "tracking":
        issue = fake.add_issue(f"Tracking {rest}", "- [ ] nothing yet")
        adopted = {rest: issue["number"]}
    else:
        issue = task_issue(fake, rest)
    for author, body in thread:
        fake.add_comment(issue["number"], author, body)
    campaign = read(fake, adopted)
    assert {t: c.by for t, c in campaign.claims.items()} == expected
    assert all(c.source == "comment" and "#issuecomment-" in c.url for c in campaign.claims.values())
    assert campaign.comments == len(thread)
    assert fake.writes == []


# (title, body, author, state, merged, expected tasks); {T} is the tracking issue, {I} the
# issue of refcount:_IS_OP; tracking issue kind: refcount
PULLS = [
    ("gh-{T}: Eliminate redundant refcounting from `_COMPARE_OP_INT`", "", "ana", "open", False,
     ["refcount:_COMPARE_OP_INT"]),
    ("gh-{T}:Eliminate redundant refcounting from `CALL_LEN`", "", "ben", "open", False, ["refcount:_CALL_LEN"]),
    ("GH-{T}: Convert _LOAD_ATTR_WITH_HINT", "", "cai", "closed", True, ["refcount:_LOAD_ATTR_WITH_HINT"]),
    ("gh-{T}: Eliminate redundant refcounting from `_CONTAINS_{{OP|OP_SET|OP_DICT}}`", "", "dee", "open", False,
     ["refcount:_CONTAINS_OP", "refcount:_CONTAINS_OP_SET", "refcount:_CONTAINS_OP_DICT"]),
    ("gh-{T}: Eliminate redundant refcounting from `UNPACK_SEQUENCE` family", "", "eli", "open", False,
     ["refcount:_UNPACK_SEQUENCE_LIST", "refcount:_UNPACK_SEQUENCE_TUPLE"]),
    ("Pop inputs explicitly", "Closes #{I}", "fay", "open", False, ["refcount:_IS_OP"]),
    ("Refcounting of STORE_ATTR_INSTANCE_VALUE", "* Issue: gh-{T}", "gus", "open", False,
     ["refcount:_STORE_ATTR_INSTANCE_VALUE"]),
    ("Speed up something", "Part of gh-{T}: `_BINARY_OP_ADD_INT` now pops its inputs", "hal", "open", False,
     ["refcount:_BINARY_OP_ADD_INT"]),
    ("gh-{T}: Optimise _ITER_CHECK_LIST", "", "ida", "open", False, []),  # another kind's uop
    ("gh-99999: Fix _CALL_ISINSTANCE crash", "", "jon", "open", False, []),  # another issue
    ("Fix `_BINARY_OP_SUBSCR_DICT` docs", "", "kay", "open", False, []),  # names no issue
    ("gh-{T}: Eliminate refcounting from `_BINARY_OP_MULTIPLY_INT`", "", "lou", "closed", False, []),  # closed unmerged
    ("gh-{T}: Eliminate refcounting from the remaining BINARY_OP ones", "", "max", "open", False, []),
]


def test_pull_request_corpus_over_http(fake):
    tracking = fake.add_issue("Refcount tracking", "- [ ] `_CALL_LEN`")
    is_op = task_issue(fake, "refcount:_IS_OP")
    made = []
    for title, body, author, state, merged, expected in PULLS:
        fill = {"T": tracking["number"], "I": is_op["number"]}
        pr = fake.add_pull(title.format(**fill), body.format(**fill), author, state, merged)
        made.append((pr, author, merged, expected))
    campaign = read(fake, {"refcount": tracking["number"]})
    want = {t: (pr["number"], author, "merged" if merged else "open")
            for pr, author, merged, expected in made for t in expected}
    got = {t: (p.number, p.author, p.state) for t, p in campaign.pulls.items()}
    assert got == want
    # only the pull requests that reference a campaign issue are seen (through its timeline)
    assert campaign.pull_requests == len(PULLS) - 2
    assert campaign.pulls["refcount:_LOAD_ATTR_WITH_HINT"].status == "merged, waiting for a rescan"
    assert campaign.pulls["refcount:_IS_OP"].status == "in review"
    # a pull request is a claim by its author
    assert campaign.claims["refcount:_COMPARE_OP_INT"].source == "pull"
    assert campaign.claims["refcount:_COMPARE_OP_INT"].by == "ana"


def test_the_newest_claim_wins_across_sources(fake):
    tracking = fake.add_issue("Refcount tracking", "")
    fake.add_comment(tracking["number"], "ana", "I'll take `_CALL_LEN`.")
    fake.add_pull(f"gh-{tracking['number']}: Eliminate refcounting from `_CALL_LEN`", "", "ben")
    fake.add_comment(tracking["number"], "cai", "I'm working on _IS_OP")
    fake.add_issue(f"x\n", f"{make_marker('refcount:_IS_OP', '0' * 64)}", assignees=["dee"])
    campaign = read(fake, {"refcount": tracking["number"]})
    assert (campaign.claims["refcount:_CALL_LEN"].by, campaign.claims["refcount:_CALL_LEN"].source) == ("ben", "pull")
    # the assignee dates from the issue's creation, before cai's comment
    assert (campaign.claims["refcount:_IS_OP"].by, campaign.claims["refcount:_IS_OP"].source) == ("cai", "comment")


def test_a_claim_on_the_tracking_issue_is_withdrawn_on_the_task_issue(fake):
    tracking = fake.add_issue("Refcount tracking", "")
    issue = task_issue(fake, "refcount:_CALL_LEN")
    fake.add_comment(tracking["number"], "ana", "I'll take `_CALL_LEN` and `_IS_OP`.")
    fake.add_comment(issue["number"], "ana", "Sorry, I won't have time for this one.")
    campaign = read(fake, {"refcount": tracking["number"]})
    assert {t: c.by for t, c in campaign.claims.items()} == {"refcount:_IS_OP": "ana"}


def test_checklist_of_an_adopted_issue(fake):
    body = ("Missing uops:\n\n- [ ] ~`_CHECK_FUNCTION`~ (1.0%)\n- [x] `_ITER_CHECK_LIST` (0.7%)\n"
            "- [ ] `_MAKE_FUNCTION` (0.5%)\n- [ ] ~~`_CALL_LEN`~~\n* [X] NOT_A_TASK\n")
    tracking = fake.add_issue("Optimizer coverage", body)
    campaign = read(fake, {"optimizer": tracking["number"]})
    assert {t: v["status"] for t, v in campaign.checklist.items()} == {
        "optimizer:_CHECK_FUNCTION": "not planned", "optimizer:_ITER_CHECK_LIST": "done",
        "optimizer:_CALL_LEN": "not planned"}
    assert campaign.tracking["optimizer"]["adopted"] is True


def test_all_pages_of_comments_and_pulls_are_read(fake):
    tracking = fake.add_issue("Refcount tracking", "")
    for i in range(7):
        fake.add_comment(tracking["number"], f"user{i}", "Nice work everyone.")
    fake.add_comment(tracking["number"], "last", "I'll take `_CALL_LEN`.")
    for i in range(5):
        fake.add_pull(f"Unrelated {i}")
    fake.add_pull(f"gh-{tracking['number']}: `_IS_OP`", author="first")
    campaign = read(fake, {"refcount": tracking["number"]})
    assert campaign.claims["refcount:_CALL_LEN"].by == "last"
    assert campaign.pulls["refcount:_IS_OP"].author == "first"
    assert any(p.endswith("/timeline") for m, p in fake.requests)
    assert not any(p.endswith("/pulls") for m, p in fake.requests)  # pull requests are never listed


def test_unrelated_pull_requests_are_never_fetched(fake):
    fake.add_pull("gh-1: `_CALL_LEN`")  # names no campaign issue
    tracking = fake.add_issue("Refcount tracking", "")
    for i in range(6):
        fake.add_pull(f"Recent {i}")
    campaign = read(fake, {"refcount": tracking["number"]})
    assert campaign.pull_requests == 0
    assert "refcount:_CALL_LEN" not in campaign.pulls
    assert campaign.requests["counted"] == 2  # the issue and its timeline


def test_a_failing_comment_listing_is_retried(fake):
    from .fake import Fault

    tracking = fake.add_issue("Refcount tracking", "")
    fake.add_comment(tracking["number"], "ana", "I'll take `_CALL_LEN`.")
    fake.faults.append(Fault("GET", rf"{fake.repo_path}/issues/{tracking['number']}/timeline", "500"))
    campaign = read(fake, {"refcount": tracking["number"]})
    assert campaign.claims["refcount:_CALL_LEN"].by == "ana"


def test_a_bad_tracking_option_is_a_usage_error(tmp_path, capsys):
    from tracker.cli.main import main

    from .test_sync import write_toy_sources
    assert main(["sync", *write_toy_sources(tmp_path), "--repo", HERE, "--tracking", "refcount=abc"]) == 2
    assert "--tracking" in capsys.readouterr().err


def test_pull_requests_of_other_projects_that_cite_the_issue_are_left_out(fake):
    tracking = fake.add_issue("Refcount tracking", "")
    mine = fake.add_pull(f"gh-{tracking['number']}: `_CALL_LEN`", author="ana")
    other = fake.add_pull(f"gh-{tracking['number']}: fuzz `_IS_OP`", author="fuzzer")
    other["html_url"] = "https://github.example/someone/fuzzer/pull/3"  # another project's
    campaign = read(fake, {"refcount": tracking["number"]})
    assert set(campaign.pulls) == {"refcount:_CALL_LEN"} and campaign.pulls["refcount:_CALL_LEN"].number == mine["number"]
