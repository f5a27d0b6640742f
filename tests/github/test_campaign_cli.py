"""The live workflow end to end over HTTP: sync reads claims and pull requests into the
state, an adopted tracking issue is never written, a claim posted from one state is read
back by another, and tasks/claims --json carry it."""

from __future__ import annotations

import json

import pytest

from tracker.cli.main import main
from tracker.github import client as gc
from tracker.store import Store
from tracker.tickets import make_marker

from .fake import OWNER, REPO, FakeGitHub
from .test_sync import write_toy_sources

HERE = f"{OWNER}/{REPO}"


@pytest.fixture
def fake(httpserver, monkeypatch):
    monkeypatch.setattr(gc, "WRITE_INTERVAL", None)
    monkeypatch.setenv("GITHUB_TOKEN", "tok-secret-99")
    return FakeGitHub(httpserver)


def sync_args(tmp_path, fake, state, *extra):
    return ["sync", *write_toy_sources(tmp_path), "--repo", HERE, "--prs-repo", HERE,
            "--base-url", fake.base_url, "--state", str(tmp_path / state), *extra]


def task_issue(fake, task_id):
    return fake.add_issue(f"Task {task_id}", f"text\n{make_marker(task_id, '0' * 64)}\n")


def adopted_issue(fake):
    body = "- [x] `_ADD_STR`\n- [ ] ~`_BUILD_PAIRS`~ (rare)\n- [ ] `_CALL_TYPE_1`\n- [ ] `_ADD`\n"
    issue = fake.add_issue("Refcount work (not ours)", body)
    fake.add_comment(issue["number"], "ana", "I'd like to take `_ADD`.")
    fake.add_comment(issue["number"], "ben", "Can someone take _CALL_TYPE_1?")
    fake.add_pull(f"gh-{issue['number']}: Eliminate redundant refcounting from `_STORE_ATTR_SLOT`", "", "cai")
    fake.add_pull(f"gh-{issue['number']}: Eliminate redundant refcounting from `IS`", "", "dee", merged=True)
    return issue


def test_an_adopted_tracking_issue_is_read_and_never_written(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    fake.read_only = True  # any write is refused and recorded
    assert main(sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}")) == 0
    out = capsys.readouterr().out
    assert fake.attempted_writes == [] and fake.writes == []
    assert f"refcount #{issue['number']} (adopted)" in out
    st = Store(tmp_path / "s.yaml")
    claims = st.claims()
    assert (claims["refcount:_ADD"].by, claims["refcount:_ADD"].source) == ("ana", "comment")
    assert "#issuecomment-" in claims["refcount:_ADD"].url
    assert (claims["refcount:_STORE_ATTR_SLOT"].by, claims["refcount:_STORE_ATTR_SLOT"].source) == ("cai", "pull")
    assert "refcount:_CALL_TYPE_1" not in claims  # a question is no claim
    assert st.pulls()["refcount:_IS"]["state"] == "merged"
    assert {t: v["status"] for t, v in st.checklist().items()} == {
        "refcount:_ADD_STR": "done", "refcount:_BUILD_PAIRS": "not planned"}
    # remembered: the next sync adopts it without --tracking
    assert st.get_setting("tracking") == {HERE: {"refcount": issue["number"]}}
    assert main(sync_args(tmp_path, fake, "s.yaml")) == 0
    assert f"refcount #{issue['number']} (adopted)" in capsys.readouterr().out


def test_label_lists_only_labelled_issues_and_still_reads_the_adopted_one(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    for n in range(5):  # a big repository's unrelated issues
        fake.add_issue(f"Unrelated {n}", "nothing to do with the JIT")
    labelled = fake.add_issue("Task refcount:_ADD", f"text\n{make_marker('refcount:_ADD', '0' * 64)}\n",
                              labels=["jit-tracker"])
    fake.read_only = True
    assert main(sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}",
                          "--label", "jit-tracker", "--json")) == 0
    listings = [q for m, q in fake.queries if m == "GET" and q.startswith(f"/repos/{HERE}/issues?")]
    assert listings and all("labels=jit-tracker" in q for q in listings)
    st = Store(tmp_path / "s.yaml")
    assert st.issues()["refcount:_ADD"]["number"] == labelled["number"]  # the labelled one was seen
    assert st.claims()["refcount:_ADD"].by == "ana"  # the adopted issue, read by number
    assert fake.attempted_writes == []


def test_apply_files_its_own_issues_but_never_edits_the_adopted_one(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    before = dict(fake.issues[issue["number"]])
    n_comments = len(fake.comments[issue["number"]])
    assert main(sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}",
                          "--apply", "--max-new", "2")) == 0
    touched = [p for m, p in fake.writes if p.startswith(f"{fake.repo_path}/issues/{issue['number']}")]
    assert touched == []
    assert fake.issues[issue["number"]] == before and len(fake.comments[issue["number"]]) == n_comments
    filed = fake.ours()
    # one tracking issue filed per other kind, none for refcount; refcount tickets link the adopted one
    assert "umbrella:refcount" not in filed
    assert {k for k in filed if k.startswith("umbrella")} == {
        "umbrella:optimizer", "umbrella:tier2", "umbrella:helper", "umbrella:split"}
    optimizer = filed["umbrella:optimizer"][0]
    assert optimizer["title"] == "JIT: tracking issue for uops the JIT optimizer ignores"
    assert "## optimizer" in optimizer["body"] and "## refcount" not in optimizer["body"]
    assert f"Refcount tasks are tracked in #{issue['number']}" in optimizer["body"]
    refcount = [v[0] for k, v in filed.items() if k.startswith("refcount:")]
    assert refcount and all(f"Tracking issue: #{issue['number']}" in i["body"] for i in refcount)


def test_a_claim_posted_from_the_cli_is_read_back_by_a_second_state(fake, tmp_path, capsys):
    issue = task_issue(fake, "refcount:_ADD")
    assert main(sync_args(tmp_path, fake, "a.yaml")) == 0  # records repo, API URL, issue numbers
    capsys.readouterr()
    fake.login = "alice-gh"
    assert main(["claim", "refcount:_ADD", "--by", "alice", "--comment", *write_toy_sources(tmp_path),
                 "--state", str(tmp_path / "a.yaml")]) == 0
    out = capsys.readouterr()
    assert fake.writes == [("POST", f"{fake.repo_path}/issues/{issue['number']}/comments")]
    posted = fake.comments[issue["number"]][-1]["body"]
    assert "`_ADD`" in posted and "jit-tracker: claim id=refcount:_ADD by=alice" in posted
    assert f"posted on {HERE} #{issue['number']} (the task's issue)" in out.out and "tok-secret-99" not in out.out + out.err
    assert Store(tmp_path / "a.yaml").claims()["refcount:_ADD"].source == "local"

    assert main(sync_args(tmp_path, fake, "b.yaml")) == 0
    capsys.readouterr()
    seen = Store(tmp_path / "b.yaml").claims()["refcount:_ADD"]
    assert (seen.by, seen.source) == ("alice", "comment")
    assert main(["claims", "--json", "--state", str(tmp_path / "b.yaml")]) == 0
    rows = json.loads(capsys.readouterr().out)["claims"]
    assert [(r["task"], r["by"], r["source"]) for r in rows] == [("refcount:_ADD", "alice", "comment")]
    assert "#issuecomment-" in rows[0]["url"]

    # the local claim of the first state is never overwritten by what it reads back
    assert main(sync_args(tmp_path, fake, "a.yaml")) == 0
    assert Store(tmp_path / "a.yaml").claims()["refcount:_ADD"].source == "local"

    # released with a comment: gone for the second state after its next sync
    assert main(["release", "refcount:_ADD", "--comment", "--state", str(tmp_path / "a.yaml")]) == 0
    assert "jit-tracker: release id=refcount:_ADD by=alice" in fake.comments[issue["number"]][-1]["body"]
    assert main(sync_args(tmp_path, fake, "b.yaml")) == 0
    assert "refcount:_ADD" not in Store(tmp_path / "b.yaml").claims()


def test_a_claim_goes_on_the_tracking_issue_when_the_task_has_none(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    assert main(sync_args(tmp_path, fake, "a.yaml", "--tracking", f"refcount={issue['number']}")) == 0
    assert main(["claim", "refcount:_ADD_FLOAT", "--by", "zed", "--comment", *write_toy_sources(tmp_path),
                 "--state", str(tmp_path / "a.yaml")]) == 0
    assert fake.writes == [("POST", f"{fake.repo_path}/issues/{issue['number']}/comments")]


def test_without_a_token_the_claim_stays_local_and_says_so(fake, tmp_path, capsys, monkeypatch):
    task_issue(fake, "refcount:_ADD")
    assert main(sync_args(tmp_path, fake, "a.yaml")) == 0
    capsys.readouterr()
    monkeypatch.delenv("GITHUB_TOKEN")
    assert main(["claim", "refcount:_ADD", "--by", "alice", "--comment", *write_toy_sources(tmp_path),
                 "--state", str(tmp_path / "a.yaml")]) == 0
    err = capsys.readouterr().err
    assert "kept locally" in err and "GITHUB_TOKEN" in err
    assert fake.writes == []
    assert Store(tmp_path / "a.yaml").claims()["refcount:_ADD"].by == "alice"


def test_offline_the_claim_stays_local(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "tok")
    st = Store(tmp_path / "a.yaml")
    st.set_setting("github", {"repo": HERE, "base_url": "http://127.0.0.1:9/api/v3", "tracking": {}})
    st.set_issue("refcount:_ADD", 3, "https://x/3", "open")
    monkeypatch.setattr(gc.time, "sleep", lambda s: None)
    assert main(["claim", "refcount:_ADD", "--by", "alice", "--comment", *write_toy_sources(tmp_path),
                 "--state", str(tmp_path / "a.yaml")]) == 0
    err = capsys.readouterr().err
    assert "kept locally" in err and "Traceback" not in err
    assert st.claims()["refcount:_ADD"].by == "alice"


def test_tasks_json_carries_claim_and_pull_request(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    assert main(sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}")) == 0
    capsys.readouterr()
    assert main(["tasks", *write_toy_sources(tmp_path), "--json", "--state", str(tmp_path / "s.yaml")]) == 0
    tasks = {t["id"]: t for t in json.loads(capsys.readouterr().out)["tasks"]}
    assert tasks["refcount:_ADD"]["claim"]["by"] == "ana" and tasks["refcount:_ADD"]["claim"]["source"] == "comment"
    pr = tasks["refcount:_STORE_ATTR_SLOT"]["pull_request"]
    assert (pr["author"], pr["state"]) == ("cai", "open") and pr["url"].endswith(f"/pull/{pr['number']}")
    assert tasks["refcount:_BUILD_PAIRS"]["tracking"]["status"] == "not planned"
    assert tasks["refcount:_ADD_FLOAT"]["claim"] is None and tasks["refcount:_ADD_FLOAT"]["pull_request"] is None
    assert main(["claims", "--json", "--state", str(tmp_path / "s.yaml")]) == 0
    rows = {r["task"]: r for r in json.loads(capsys.readouterr().out)["claims"]}
    assert rows["refcount:_STORE_ATTR_SLOT"]["source"] == "pull"
    assert rows["refcount:_STORE_ATTR_SLOT"]["pull_request"]["state"] == "open"
    assert rows["refcount:_ADD"]["pull_request"] is None


def test_sync_json_reports_the_campaign(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    assert main(sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    campaign = data["campaign"]
    assert campaign["tracking"]["refcount"] == {"number": issue["number"], "url": campaign["tracking"]["refcount"]["url"],
                                                "adopted": True, "title": "Refcount work (not ours)"}
    assert campaign["claims"]["refcount:_ADD"]["by"] == "ana"
    assert campaign["pull_requests"]["refcount:_STORE_ATTR_SLOT"]["author"] == "cai"
    assert campaign["comments_read"] == 2 and campaign["pull_requests_read"] == 2
    # the plan files no refcount umbrella: the adopted issue tracks them
    assert any(a["id"] == "umbrella:optimizer" and a["op"] == "create" for a in data["actions"])
    assert not any(a["id"] == "umbrella:refcount" for a in data["actions"])


def test_the_prs_repo_is_never_listed(fake, tmp_path, capsys):
    issue = adopted_issue(fake)
    args = sync_args(tmp_path, fake, "s.yaml", "--tracking", f"refcount={issue['number']}")
    args[args.index("--prs-repo") + 1] = "python/cpython"  # not on this (enterprise) host
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert not [p for m, p in fake.requests if "/pulls" in p]  # pull requests come from timelines
    assert Store(tmp_path / "s.yaml").claims()["refcount:_ADD"].by == "ana"  # comments still read
